"""The inspection lists' pages: the lists, one list for a period (a page of rows at a time), and its
downloads (the whole list). The lead agency's MASH managers only (403 for anyone else)."""

from urllib.parse import urlencode

from django.core.paginator import InvalidPage
from django.http import Http404
from django.template.response import TemplateResponse
from django.views import View

from mash.common.permissions import ActorRequiredMixin
from mash.measures import inspection, inspection_files
from mash.measures.forms import PeriodForm
from mash.measures.scope import may_see_inspection_lists


class ListPeriodForm(PeriodForm):
    """The dashboards' period form, without the breakdown: a list is a row per child."""

    by = None

    def chosen_period(self):
        return self.chosen()[0]


class InspectionMixin(ActorRequiredMixin):
    allowed = staticmethod(may_see_inspection_lists)


class InspectionHomeView(InspectionMixin, View):
    def get(self, request):
        form = ListPeriodForm(request.GET or None)
        period = form.chosen_period()
        context = {
            "lists": inspection.all_lists(),
            "form": form,
            "period": period,
            "query": urlencode(period.params()),
            "nav": "measures",
        }
        return TemplateResponse(
            request, "measures/inspection_home.html", context, status=400 if form.errors else 200
        )


class InspectionListView(InspectionMixin, View):
    def get(self, request, key: str):
        item = inspection.list_of(key)
        form = ListPeriodForm(request.GET or None)
        period = form.chosen_period()
        fmt = request.GET.get("format", "")
        context = {"list": item, "lists": inspection.all_lists(), "form": form, "nav": "measures"}
        if form.errors:
            return TemplateResponse(request, "measures/inspection_list.html", context, status=400)
        if fmt == "csv":
            return inspection_files.csv_response(request.user, key, period, request=request)
        if fmt == "xlsx":
            return inspection_files.xlsx_response(request.user, key, period, request=request)
        try:
            number = request.GET.get("page") or 1
            page = inspection.page_of(request.user, key, period, number, request=request)
        except InvalidPage:
            raise Http404("No such page of this list.") from None
        context.update(
            {
                "period": period,
                "page": page,
                "page_obj": page.page,
                "query": urlencode(period.params()),
            }
        )
        return TemplateResponse(request, "measures/inspection_list.html", context)
