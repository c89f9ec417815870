"""Information governance's pages: the landing page (``/governance/``) and the trails of a user and
of a record (mash/sharing/trails). Information governance only (``GovernanceMixin``)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from mash.common.forms import apply_validation_error
from mash.common.trays import sections_for
from mash.common.views import FilteredListView
from mash.sharing import governance
from mash.sharing.models import AccessAction
from mash.sharing.trail_forms import (
    RecordFindForm,
    RecordTrailFilterForm,
    UserSearchForm,
    UserTrailFilterForm,
)
from mash.sharing.trails import find_by_reference, record_trail, user_trail
from mash.sharing.trails.export import every_entry, trail_csv
from mash.sharing.trails.services import record_trail_read, trail_access_log, trail_entries_read
from mash.sharing.trails.subjects import record_of, trail_record, trail_user, trail_user_search
from mash.sharing.views import GovernanceMixin


class GovernanceHomeView(GovernanceMixin, TemplateView):
    """What waits for information governance (the work tray's sections, mash/common/trays.py, as on
    the home page) and the governance pages each app registers (mash/sharing/governance.py)."""

    template_name = "sharing/governance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = sections_for(self.request.user)
        context["pages"] = governance.pages()
        return context


class TrailUsersView(GovernanceMixin, FilteredListView):
    template_name = "sharing/trail_users.html"
    context_object_name = "users"
    filter_form_class, selector = UserSearchForm, trail_user_search


class RecordFindView(GovernanceMixin, View):
    """A record's trail by its reference (the kinds of record registered with ``register_reference``)."""

    def get(self, request):
        form = RecordFindForm(request.GET or None)
        if form.is_valid():
            found = find_by_reference(form.cleaned_data["reference"])
            if found is not None:
                content_type = ContentType.objects.get_for_model(found)
                return redirect("sharing:record_trail", content_type.pk, found.pk)
            form.add_error("reference", "No record has this reference: check it and try again.")
        context = {"form": form, "nav": "governance"}
        return TemplateResponse(
            request, "sharing/trail_records.html", context, status=400 if form.errors else 200
        )


def _query(request) -> str:
    query = request.GET.copy()
    for name in ("cursor", "format"):
        query.pop(name, None)
    return query.urlencode()


class _TrailView(GovernanceMixin, View):
    """A trail page: the filter form (GET), a page of the trail, 'Newer' and 'Older', and the CSV of
    the whole filtered trail (``?format=csv``)."""

    form_class = RecordTrailFilterForm
    template_name = ""

    def trail(self, subject, **filters):
        raise NotImplementedError

    def log_read(self, request, subject, entries) -> None:
        raise NotImplementedError

    def log_export(self, request, subject, entries) -> None:
        raise NotImplementedError

    def get(self, request, **kwargs):
        subject = self.subject(**kwargs)
        form = self.form_class(request.GET or None)
        page = None
        if not form.is_bound or form.is_valid():
            filters = {
                k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v not in (None, "")
            }
            try:
                if request.GET.get("format") == "csv":
                    return self.csv(request, subject, filters)
                page = self.trail(subject, cursor=request.GET.get("cursor"), **filters)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                self.log_read(request, subject, page.entries)
        context = {
            "form": form,
            "page": page,
            "query": _query(request),
            "subject": subject,
            "nav": "governance",
            **self.page_context(subject, page),
        }
        return TemplateResponse(request, self.template_name, context, status=400 if form.errors else 200)

    def csv(self, request, subject, filters) -> HttpResponse:
        entries = list(every_entry(self.trail, subject, **filters))
        self.log_export(request, subject, entries)
        response = HttpResponse(trail_csv(entries), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="{self.filename(subject)}-{stamp}.csv"'
        return response

    def page_context(self, subject, page) -> dict:
        return {}


class UserTrailView(_TrailView):
    """What one user changed, looked at, was refused and disclosed in a period (DPA 2018 s62)."""

    form_class = UserTrailFilterForm
    template_name = "sharing/user_trail.html"

    def subject(self, user_id: int):
        return trail_user(user_id)

    def trail(self, subject, **filters):
        return user_trail(subject, **filters)

    def log_read(self, request, subject, entries) -> None:
        trail_entries_read(user=request.user, entries=entries, request=request)

    def log_export(self, request, subject, entries) -> None:
        trail_entries_read(user=request.user, entries=entries, request=request)
        trail_access_log(
            user=request.user,
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            object_repr=subject.get_username(),
            action=AccessAction.EXPORT,
            request=request,
        )

    def filename(self, subject) -> str:
        return f"trail-user-{subject.pk}"


class RecordTrailView(_TrailView):
    """Every change, read, refusal and disclosure of a record and the records under it. A record
    that no longer exists (erased) still has its own rows; an id no log has heard of is a 404."""

    template_name = "sharing/record_trail.html"

    def subject(self, content_type_id: int, object_id: str):
        return trail_record(content_type_id, object_id)

    def trail(self, subject, **filters):
        return record_trail(subject, **filters)

    def log_read(self, request, subject, entries) -> None:
        record_trail_read(user=request.user, subject=subject, request=request)

    def log_export(self, request, subject, entries) -> None:
        record_trail_read(user=request.user, subject=subject, action=AccessAction.EXPORT, request=request)

    def filename(self, subject) -> str:
        content_type, object_id, _ = record_of(subject)
        return f"trail-{content_type.model}-{object_id}"

    def page_context(self, subject, page) -> dict:
        content_type, _, label = record_of(subject)
        if isinstance(subject, tuple) and page is not None and page.entries:
            label = page.entries[-1].object_repr or label
        return {
            "record_type": str(content_type.name).capitalize(),
            "record_label": label,
            "erased": isinstance(subject, tuple),
        }
