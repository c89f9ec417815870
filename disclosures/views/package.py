"""The research package's page and its changes: sections, graded entries, the summary, submission and
return. A save made on an old copy shows the difference (what was saved against what was typed) and
keeps what was typed."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from disclosures import forms, policy, selectors, services
from disclosures.models import PackageEntry, PackageSection, PackageStatus
from mash.agencies.selectors import actor_for
from mash.common.actions import RecordActionView
from mash.common.forms import VersionedForm
from mash.common.grading import Grading
from mash.common.versioning import StaleVersion


def _rebound(form_class, data, version, **kwargs):
    """The form as typed, but carrying the version now saved: saving again is a deliberate overwrite
    made after seeing the difference."""
    data = data.copy()
    data["version"] = version
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, "Someone else saved this first: check the difference, then save again.")
    return form


def _shown(value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


def _difference(mine: dict, theirs: dict, labels: dict) -> list[dict]:
    """The fields where the saved version differs from the one the user tried to save."""
    rows = []
    for field, saved in theirs.items():
        typed = mine.get(field)
        if _shown(saved) != _shown(typed):
            rows.append({"label": labels.get(field, field), "theirs": _shown(saved), "mine": _shown(typed)})
    return rows


class PackageView(LoginRequiredMixin, View):
    template_name = "disclosures/package.html"

    def context(
        self, request, package, *, forms_by_section=None, summary_form=None, conflict=None, failed=""
    ):
        sections = selectors.package_sections(package)
        forms_by_section = forms_by_section or {}
        rows = []
        for section in sections:
            bound = forms_by_section.get(section.pk, {})
            rows.append(
                {
                    "section": section,
                    "section_form": bound.get("section")
                    or forms.SectionForm(
                        initial={
                            "version": section.version,
                            "nothing_found": section.nothing_found,
                            "note": section.note,
                        },
                        auto_id=f"section{section.pk}_%s",
                    ),
                    "entry_form": bound.get("entry")
                    or forms.EntryForm(police=section.is_police, auto_id=f"entry{section.pk}_%s"),
                }
            )
        actor = actor_for(request.user)
        return {
            "nav": "disclosures",
            "package": package,
            "application": package.application,
            "clocks": selectors.clock_texts(package.application),
            "rows": rows,
            "summary_form": summary_form
            or forms.SummaryForm(initial={"version": package.summary_version, "summary": package.summary}),
            "return_form": forms.ReturnForm(),
            "problems": services.completeness_problems(package)
            if package.status == PackageStatus.DRAFT
            else {},
            "editable": package.status == PackageStatus.DRAFT and policy.may_research(actor),
            "may_decide": policy.may_decide(actor),
            "versions": list(selectors.packages_of(request.user, package.application)),
            "conflict": conflict,
            "failed": failed,
        }

    def get(self, request, pk: int):
        package = selectors.package_get_for(request.user, pk, request=request)
        return TemplateResponse(request, self.template_name, self.context(request, package))


def _package_url(package, anchor: str = "") -> str:
    return reverse("disclosures:package", args=[package.pk]) + (f"#{anchor}" if anchor else "")


class PackageAction(RecordActionView):
    """A change to a package from its page (mash/common/actions.py): a form, one service. On a refusal
    the package page comes back with the errors (400); a save made on an old copy shows the
    difference and keeps what was typed (409)."""

    record_name = "package"
    anchor = ""  # where on the package page a success returns to

    def get_record(self, request, pk):
        self.package = selectors.package_get_for(request.user, pk, request=request)
        return self.package

    def form_kwargs(self, request, record):
        return {"auto_id": "id_%s"}  # Django's own, as the package page shows these forms

    def success_url(self, record):
        return _package_url(self.package, self.anchor)

    def stale(self):
        """The service's refusal of a save made on an old copy (it holds the values saved now)."""
        return self.refusal if isinstance(self.refusal, StaleVersion) else None

    def fail(self, request, package, status=400, **context):
        view = PackageView()
        package.refresh_from_db()
        if package.status != PackageStatus.DRAFT and context.get("failed") != "submit":
            messages.error(
                request,
                f"Version {package.number} is {package.get_status_display().lower()}: "
                "it can no longer be changed.",
            )
        return TemplateResponse(
            request, view.template_name, view.context(request, package, **context), status=status
        )


class SectionAction(PackageAction):
    """A change to one section of the package; a success returns to the section."""

    record_name = "section"

    def get_record(self, request, pk, section_pk):
        return get_object_or_404(PackageSection, pk=section_pk, package=super().get_record(request, pk))

    def success_url(self, section):
        return _package_url(self.package, f"section-{section.kind}")


SECTION_LABELS = {"nothing_found": "Checked, nothing found", "note": "What was checked"}


class SectionSaveView(SectionAction):
    form_class, service = forms.SectionForm, services.section_update

    def form_kwargs(self, request, section):
        return {"auto_id": f"section{section.pk}_%s"}

    def get_success_message(self, section, result):
        return f"{section.get_kind_display()} saved."

    def render_failure(self, request, section, form):
        conflict = None
        if stale := self.stale():
            mine = {field: form.cleaned_data[field] for field in SECTION_LABELS}
            conflict = {
                "what": section.get_kind_display(),
                "rows": _difference(mine, stale.theirs, SECTION_LABELS),
            }
            version = PackageSection.objects.get(pk=section.pk).version
            form = _rebound(forms.SectionForm, request.POST, version, auto_id=f"section{section.pk}_%s")
        return self.fail(
            request,
            self.package,
            status=409 if conflict is not None else 400,
            forms_by_section={section.pk: {"section": form}},
            conflict=conflict,
            failed="section",
        )


class EntryAddView(SectionAction):
    form_class, service, success = forms.EntryForm, services.entry_add, "Entry added."

    def form_kwargs(self, request, section):
        return {"police": section.is_police, "auto_id": f"entry{section.pk}_%s"}

    def service_kwargs(self, request, section, form):
        return {"section": section, "by": request.user, "data": Grading(**form.grading_data())}

    def render_failure(self, request, section, form):
        return self.fail(
            request, self.package, forms_by_section={section.pk: {"entry": form}}, failed="entry"
        )


class EntryEditView(PackageAction):
    """Change or remove one entry; a save made on an old copy shows the difference and keeps what was
    typed."""

    record_name, form_class, service = "entry", forms.EntryForm, services.entry_update
    template_name = "disclosures/entry_edit.html"

    def render(self, request, entry, form, conflict=None, status=200):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "nav": "disclosures",
                "package": self.package,
                "entry": entry,
                "form": form,
                "conflict": conflict,
            },
            status=status,
        )

    def get_record(self, request, pk, entry_pk):
        package = super().get_record(request, pk)
        return get_object_or_404(
            PackageEntry.objects.select_related("section"), pk=entry_pk, section__package=package
        )

    def get(self, request, pk: int, entry_pk: int):
        entry = self.get_record(request, pk, entry_pk)
        form = forms.EntryForm(
            initial={**services.entry_values(entry), "version": entry.version}, police=entry.section.is_police
        )
        return self.render(request, entry, form)

    def form_kwargs(self, request, entry):
        return {"police": entry.section.is_police, "auto_id": "id_%s"}

    def removing(self) -> bool:
        return "remove" in self.request.POST  # the page's second button

    def service_kwargs(self, request, entry, form):
        version = form.cleaned_data["version"]
        if self.removing():
            return {"entry": entry, "by": request.user, "expected_version": version}
        data = Grading(**form.grading_data())
        return {"entry": entry, "by": request.user, "data": data, "expected_version": version or 0}

    def perform(self, request, entry, form):
        service = services.entry_remove if self.removing() else services.entry_update
        return service(**self.service_kwargs(request, entry, form))

    def get_success_message(self, entry, result):
        return "Entry removed." if self.removing() else "Entry saved."

    def success_url(self, entry):
        return _package_url(self.package, f"section-{entry.section.kind}")

    def render_failure(self, request, entry, form):
        conflict = None
        if stale := self.stale():
            entry.refresh_from_db()
            labels = {
                name: field.label or name.replace("_", " ").capitalize()
                for name, field in form.fields.items()
            }
            conflict = _difference(form.grading_data(), stale.theirs, labels)
            # Keep what was typed; the next save is made on the version now saved.
            data = request.POST.copy()
            data["version"] = entry.version
            form = forms.EntryForm(data, police=entry.section.is_police)
            form.is_valid()
            form.add_error(None, stale)
        return self.render(
            request, entry, form, conflict=conflict, status=409 if conflict is not None else 400
        )


class SummaryView(PackageAction):
    form_class, service = forms.SummaryForm, services.package_summary_update
    success, anchor = "Summary saved.", "summary"

    def render_failure(self, request, package, form):
        conflict = None
        if stale := self.stale():
            mine = {"summary": form.cleaned_data["summary"]}
            conflict = {"what": "summary", "rows": _difference(mine, stale.theirs, {"summary": "Summary"})}
            package.refresh_from_db()
            form = _rebound(forms.SummaryForm, request.POST, package.summary_version)
        return self.fail(
            request,
            package,
            status=409 if conflict is not None else 400,
            summary_form=form,
            conflict=conflict,
            failed="summary",
        )


class SubmitView(PackageAction):
    form_class, service = VersionedForm, services.package_submit

    def get_success_message(self, package, result):
        return f"Version {package.number} submitted and locked; the decision makers are told."

    def success_url(self, package):
        return reverse("disclosures:application", args=[package.application_id])

    def render_failure(self, request, package, form):
        if self.refusal is not None:
            messages.error(request, "The package cannot be submitted yet: " + " ".join(self.refusal.messages))
        return self.fail(request, package, failed="submit")


class ReturnView(PackageAction):
    form_class, service = forms.ReturnForm, services.package_return

    def get_success_message(self, package, following):
        return f"Returned; version {following.number} is open for the researcher."

    def success_url(self, package):
        return reverse("disclosures:application", args=[package.application_id])

    def render_failure(self, request, package, form):
        if self.refusal is not None:
            messages.error(request, " ".join(self.refusal.messages))
        else:
            messages.error(request, "Say what the researcher should look at again.")
        return redirect("disclosures:package", pk=package.pk)
