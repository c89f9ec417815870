"""The measures' pages: the landing page, a dashboard, a table's downloads, the records behind a figure."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views import View

from mash.agencies.selectors import actor_for
from mash.common.dates import format_datetime
from mash.common.forms import apply_validation_error
from mash.common.permissions import ActorRequiredMixin
from mash.measures import registry, services
from mash.measures.forms import PeriodForm
from mash.measures.scope import may_see_inspection_lists, may_see_measures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MeasuresMixin(ActorRequiredMixin):
    allowed = staticmethod(may_see_measures)


def download(table, name: str, fmt: str) -> HttpResponse:
    """A table as a CSV or a spreadsheet, every text cell neutralised against formulas."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        response = HttpResponse(table.as_xlsx(), content_type=XLSX)
    else:
        response = HttpResponse(table.as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response


class HomeView(MeasuresMixin, View):
    def get(self, request):
        context = {
            "dashboards": sorted(registry.DASHBOARDS.values(), key=lambda d: d.order),
            "may_see_inspection_lists": may_see_inspection_lists(actor_for(request.user)),
            "nav": "measures",
        }
        return TemplateResponse(request, "measures/home.html", context)


class DashboardView(MeasuresMixin, View):
    def get(self, request, key: str):
        dashboard = services.dashboard_of(key)
        form = PeriodForm(request.GET or None)
        period, by = form.chosen()
        built = services.build_dashboard(request.user, key, period, by)
        context = {
            "dashboard": dashboard,
            "dashboards": sorted(registry.DASHBOARDS.values(), key=lambda d: d.order),
            "form": form,
            "period": period,
            "by": by,
            "built": built,
            # When the figures were built (the oldest of the page's cached entries).
            "as_at": format_datetime(services.as_at(built)) if built else "",
            # The query string of the downloads: the period and breakdown shown.
            "query": urlencode({**period.params(), **({"by": by} if by else {})}),
            "nav": "measures",
        }
        return TemplateResponse(
            request, "measures/dashboard.html", context, status=400 if form.errors else 200
        )


class TableDownloadView(MeasuresMixin, View):
    def get(self, request, key: str, table_key: str, fmt: str):
        form = PeriodForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            return TemplateResponse(
                request,
                "measures/dashboard.html",
                {"dashboard": services.dashboard_of(key), "form": form, "built": [], "nav": "measures"},
                status=400,
            )
        period, by = form.chosen()
        table = services.find_table(services.build_dashboard(request.user, key, period, by), table_key)
        return download(table, f"{key}-{table_key}", fmt)


class DrillView(MeasuresMixin, View):
    """The records behind a figure (managers; through the app's selectors; each record's read logged)."""

    def get(self, request, measure_key: str):
        # Bound even with no parameter: a drill-down's refusal of its parameters is shown on the form
        # (an unbound form has no cleaned data to add an error to).
        form = PeriodForm(request.GET)
        period, _ = form.chosen()
        fmt = request.GET.get("format")
        params = {
            k: v for k, v in request.GET.items() if k not in ("period", "since", "until", "by", "format")
        }
        measure, result, error = registry.measure(measure_key), None, None
        if not form.errors:
            try:
                measure, result = services.drill(
                    request.user, measure_key, period, params, request=request, export=fmt in ("csv", "xlsx")
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
                error = exc
        else:
            services.viewer_for(request.user)
        if result is not None and fmt in ("csv", "xlsx"):
            return download(result.table, f"records-{measure_key}", fmt)
        context = {
            "measure": measure,
            "dashboard": registry.DASHBOARDS.get(measure.dashboard) if measure else None,
            "period": period,
            "table": result.table if result else None,
            "form": form,
            "error": error,
            "query": request.GET.copy().urlencode(),
            "nav": "measures",
        }
        return TemplateResponse(request, "measures/drill.html", context, status=400 if form.errors else 200)
