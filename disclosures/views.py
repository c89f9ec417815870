"""Pages of the police disclosure team: the queue, intake, the application, the research package.
Agencies at a multi-agency forum see the application's summary only."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from disclosures import forms, policy, selectors, services
from disclosures.models import (
    PackageEntry,
    PackageSection,
    PackageStatus,
    PersonRole,
    Stage,
)
from mash.agencies.selectors import actor_for
from mash.common.forms import apply_validation_error
from mash.common.grading import Grading
from mash.common.versioning import StaleVersion
from mash.people.selectors import person_candidates_for, person_choosable_for
from mash.sharing import policy as sharing_policy
from mash.sharing.models import AccessAction
from mash.sharing.services import access_log_write


class TeamOnlyMixin(LoginRequiredMixin):
    """Pages of the police disclosure team (403 for anyone else)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policy.is_disclosure_team(actor_for(request.user)):
            raise PermissionDenied("Disclosure applications are for the police disclosure team.")
        return super().dispatch(request, *args, **kwargs)


class QueueView(TeamOnlyMixin, View):
    def get(self, request):
        form = forms.QueueFilterForm(request.GET or None)
        stage = form.cleaned_data["stage"] if form.is_valid() else ""
        applications = list(selectors.application_queue(request.user, stage=stage)[:200])
        return TemplateResponse(
            request,
            "disclosures/queue.html",
            {
                "nav": "disclosures",
                "filter_form": form,
                "rows": [(a, selectors.clock_texts(a)) for a in applications],
                "counts": selectors.stage_counts(request.user),
                "stages": [s for s in Stage if s != Stage.CLOSED],
                "may_record": policy.may_administer(actor_for(request.user)),
            },
        )


def _person_inputs(user, formset, chosen: dict[int, str]) -> tuple[list, dict]:
    """The people typed in, and for each new one the existing people who may be the same (to choose
    from before saving: identity matching through the core)."""
    inputs, candidates = [], {}
    for index, form in enumerate(formset.forms):
        if not form.cleaned_data or not form.has_changed():
            continue
        role, also = forms.split_role(form.cleaned_data["role"])
        match = form.cleaned_data.get("match") or chosen.get(index, "")
        person = None
        if match.isdigit():
            # An id that names nobody and a person this user may not see are answered alike.
            person = person_choosable_for(user, int(match))
            if person is None:
                raise Http404
        elif match != "new":
            found = person_candidates_for(user, **form.match_details())
            if found:
                candidates[index] = found
        inputs.append(form.choice(services.PersonInput, person=person, role=role, also_roles=also))
    return inputs, candidates


# The rows the intake page starts with (also the formset's initial on POST, so untouched rows stay empty).
# The applicant who is herself at risk takes the role "Applicant, and the person at risk" on one row.
INITIAL_PEOPLE = [{"role": PersonRole.APPLICANT}, {"role": PersonRole.SUBJECT}, {"role": PersonRole.AT_RISK}]


class IntakeView(TeamOnlyMixin, View):
    template_name = "disclosures/intake.html"

    def render(self, request, form, formset, candidates=None, status=200):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "nav": "disclosures",
                "form": form,
                "formset": formset,
                "candidates": candidates or {},
                "roles": PersonRole.choices,
            },
            status=status,
        )

    def get(self, request):
        if not policy.may_administer(actor_for(request.user)):
            raise PermissionDenied
        return self.render(
            request, forms.ApplicationForm(), forms.PersonFormSet(initial=INITIAL_PEOPLE, prefix="people")
        )

    def post(self, request):
        if not policy.may_administer(actor_for(request.user)):
            raise PermissionDenied
        form = forms.ApplicationForm(request.POST)
        formset = forms.PersonFormSet(request.POST, initial=INITIAL_PEOPLE, prefix="people")
        if not (form.is_valid() and formset.is_valid()):
            return self.render(request, form, formset, status=400)
        chosen = {
            int(key.removeprefix("choose-")): value
            for key, value in request.POST.items()
            if key.startswith("choose-") and key.removeprefix("choose-").isdigit()
        }
        people, candidates = _person_inputs(request.user, formset, chosen)
        if candidates:
            # Someone typed in may already be known: show who, and let the administrator choose.
            return self.render(request, form, formset, candidates=candidates, status=200)
        data = form.cleaned_data
        try:
            application = services.application_create(
                by=request.user,
                scheme=data["scheme"],
                route=data["route"],
                received_at=data["received_at"],
                circumstances=data["circumstances"],
                applicant_relation=data["applicant_relation"],
                applicant_contact=data["applicant_contact"],
                people=people,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render(request, form, formset, status=400)
        messages.success(request, f"Application {application.reference} recorded; its clocks have started.")
        return redirect("disclosures:application", pk=application.pk)


class ApplicationView(LoginRequiredMixin, View):
    template_name = "disclosures/application.html"

    def context(self, request, application, **bound):
        actor = actor_for(request.user)
        version = {"version": application.version}
        built = {
            "check": lambda: forms.InitialCheckForm(initial=version, auto_id="check_%s"),
            "verify": lambda: forms.VerificationForm(initial=version, auto_id="verify_%s"),
            "assign": lambda: forms.AssignForm(
                initial={**version, "researcher": application.researcher_id},
                agency_id=actor.agency_id,
                auto_id="assign_%s",
            ),
            "withdraw": lambda: forms.WithdrawForm(initial=version, auto_id="withdraw_%s"),
            "forum": lambda: forms.ForumForm(initial=version, auto_id="forum_%s"),
            "decision": lambda: forms.DecisionForm(initial=version, auto_id="decision_%s"),
            "disclosure": lambda: forms.DisclosureForm(
                initial={
                    **version,
                    "recipient_name": getattr(getattr(application, "decision", None), "recipient_name", ""),
                    "wording_used": getattr(getattr(application, "decision", None), "wording", ""),
                    "disclosed_at": timezone.localtime().replace(second=0, microsecond=0),
                },
                auto_id="disclosure_%s",
            ),
        }
        context = {f"{name}_form": bound.get(name) or make() for name, make in built.items()}
        decision = getattr(application, "decision", None) if hasattr(application, "decision") else None
        context.update(
            {
                "nav": "disclosures",
                "application": application,
                "people": list(application.people.select_related("person")),
                "clocks": selectors.clock_texts(application),
                "packages": list(selectors.packages_of(request.user, application)),
                "decision": decision,
                "disclosure": getattr(application, "disclosure", None)
                if hasattr(application, "disclosure")
                else None,
                "may_administer": policy.may_administer(actor),
                "may_research": policy.may_research(actor),
                "may_decide": policy.may_decide(actor),
                "failed": bound.get("failed", ""),
                "failed_form": bound.get(bound.get("failed", "")),
            }
        )
        return context

    def get(self, request, pk: int):
        application = selectors.application_get_for(request.user, pk, request=request)
        if sharing_policy.audience_of(request.user, application) != sharing_policy.Audience.FULL:
            # A forum participant (the partner audience): the summary, never the research package.
            return TemplateResponse(
                request,
                "disclosures/summary.html",
                {
                    "application": application,
                    **selectors.application_detail_parts(request.user, application),
                    "clocks": selectors.clock_texts(application),
                },
            )
        return TemplateResponse(request, self.template_name, self.context(request, application))


def _team_only(request, record) -> None:
    """A forum participant may read the summary but change nothing: refuse as if it were not there."""
    if not policy.is_disclosure_team(actor_for(request.user)):
        access_log_write(user=request.user, obj=record, action=AccessAction.DENIED, request=request)
        raise Http404("No such record, or you may not see it.")


class ApplicationActionView(LoginRequiredMixin, View):
    name = ""
    success = ""

    def get_form(self, request, application):
        raise NotImplementedError

    def perform(self, request, application, data):
        raise NotImplementedError

    def post(self, request, pk: int):
        application = selectors.application_get_for(request.user, pk, request=request)
        _team_only(request, application)
        form = self.get_form(request, application)
        if form.is_valid():
            try:
                self.perform(request, application, form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, self.success)
                return redirect("disclosures:application", pk=application.pk)
        application.refresh_from_db()
        view = ApplicationView()
        context = view.context(request, application, **{self.name: form, "failed": self.name})
        return TemplateResponse(request, view.template_name, context, status=400)


class InitialCheckView(ApplicationActionView):
    name, success = "check", "Initial checks recorded."

    def get_form(self, request, application):
        return forms.InitialCheckForm(request.POST, auto_id="check_%s")

    def perform(self, request, application, data):
        services.initial_check_record(
            application=application,
            by=request.user,
            immediate_risk=data["immediate_risk"],
            notes=data["notes"],
            expected_version=data["version"],
        )


class VerificationView(ApplicationActionView):
    name, success = "verify", "Identity verification and meeting recorded."

    def get_form(self, request, application):
        return forms.VerificationForm(request.POST, auto_id="verify_%s")

    def perform(self, request, application, data):
        services.verification_record(
            application=application,
            by=request.user,
            identity_method=data["identity_method"],
            meeting_at=data["meeting_at"],
            notes=data["notes"],
            expected_version=data["version"],
        )


class AssignView(ApplicationActionView):
    name, success = "assign", "Researcher assigned; they have been told."

    def get_form(self, request, application):
        return forms.AssignForm(
            request.POST, agency_id=actor_for(request.user).agency_id, auto_id="assign_%s"
        )

    def perform(self, request, application, data):
        services.researcher_assign(
            application=application,
            by=request.user,
            researcher=data["researcher"],
            expected_version=data["version"],
        )


class WithdrawView(ApplicationActionView):
    name, success = "withdraw", "Application withdrawn and closed."

    def get_form(self, request, application):
        return forms.WithdrawForm(request.POST, auto_id="withdraw_%s")

    def perform(self, request, application, data):
        services.application_withdraw(
            application=application, by=request.user, reason=data["reason"], expected_version=data["version"]
        )


class ForumView(ApplicationActionView):
    name, success = "forum", "Forum opened: the agencies taking part can see the summary."

    def get_form(self, request, application):
        return forms.ForumForm(request.POST, auto_id="forum_%s")

    def perform(self, request, application, data):
        services.forum_open(
            application=application,
            by=request.user,
            agencies=list(data["agencies"]),
            expected_version=data["version"],
        )


class DecisionView(ApplicationActionView):
    name, success = "decision", "Decision recorded."

    def get_form(self, request, application):
        return forms.DecisionForm(request.POST, auto_id="decision_%s")

    def perform(self, request, application, data):
        services.decision_record(
            application=application,
            by=request.user,
            disclose=data["disclose"],
            lawful=data["lawful"],
            necessary=data["necessary"],
            proportionate=data["proportionate"],
            wording=data["wording"],
            recipient_name=data["recipient_name"],
            recipient_relation=data["recipient_relation"],
            no_disclosure_reason=data["no_disclosure_reason"],
            applicant_told=data["applicant_told"],
            forum_held_at=data["forum_held_at"],
            forum_participants=data["forum_participants"],
            forum_agencies=list(data["forum_agencies"]),
            marac_referral=data["marac_referral"],
            expected_version=data["version"],
        )


class DisclosureView(ApplicationActionView):
    name, success = "disclosure", "Disclosure recorded, and entered in the dissemination log."

    def get_form(self, request, application):
        return forms.DisclosureForm(request.POST, auto_id="disclosure_%s")

    def perform(self, request, application, data):
        services.disclosure_record(
            application=application,
            by=request.user,
            disclosed_at=data["disclosed_at"],
            place=data["place"],
            recipient_name=data["recipient_name"],
            recipient_relation=data["recipient_relation"],
            wording_used=data["wording_used"],
            warning_given=data["warning_given"],
            warning_acknowledged=data["warning_acknowledged"],
            safety_plan=data["safety_plan"],
            expected_version=data["version"],
        )


# The research package ---------------------------------------------------------------------------------


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


class PackageActionView(LoginRequiredMixin, View):
    """A change to a package: on a refusal the package page comes back with the errors (400)."""

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

    def done(self, package, message, request, anchor=""):
        messages.success(request, message)
        return redirect(reverse("disclosures:package", args=[package.pk]) + (f"#{anchor}" if anchor else ""))


class SectionSaveView(PackageActionView):
    def post(self, request, pk: int, section_pk: int):
        package = selectors.package_get_for(request.user, pk, request=request)
        section = get_object_or_404(PackageSection, pk=section_pk, package=package)
        form = forms.SectionForm(request.POST, auto_id=f"section{section.pk}_%s")
        conflict = None
        if form.is_valid():
            try:
                services.section_update(
                    section=section,
                    by=request.user,
                    nothing_found=form.cleaned_data["nothing_found"],
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleVersion as exc:
                form.add_error(None, exc)
                conflict = {
                    "what": section.get_kind_display(),
                    "rows": _difference(
                        {
                            "nothing_found": form.cleaned_data["nothing_found"],
                            "note": form.cleaned_data["note"],
                        },
                        exc.theirs,
                        {"nothing_found": "Checked, nothing found", "note": "What was checked"},
                    ),
                }
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return self.done(
                    package, f"{section.get_kind_display()} saved.", request, f"section-{section.kind}"
                )
        if conflict is not None:
            form = _rebound(
                forms.SectionForm,
                request.POST,
                PackageSection.objects.get(pk=section.pk).version,
                auto_id=f"section{section.pk}_%s",
            )
        return self.fail(
            request,
            package,
            status=409 if conflict is not None else 400,
            forms_by_section={section.pk: {"section": form}},
            conflict=conflict,
            failed="section",
        )


class EntryAddView(PackageActionView):
    def post(self, request, pk: int, section_pk: int):
        package = selectors.package_get_for(request.user, pk, request=request)
        section = get_object_or_404(PackageSection, pk=section_pk, package=package)
        form = forms.EntryForm(request.POST, police=section.is_police, auto_id=f"entry{section.pk}_%s")
        if form.is_valid():
            try:
                services.entry_add(section=section, by=request.user, data=Grading(**form.grading_data()))
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return self.done(package, "Entry added.", request, f"section-{section.kind}")
        return self.fail(request, package, forms_by_section={section.pk: {"entry": form}}, failed="entry")


class EntryEditView(LoginRequiredMixin, View):
    """Change one entry; a save made on an old copy shows the difference and keeps what was typed."""

    template_name = "disclosures/entry_edit.html"

    def render(self, request, package, entry, form, conflict=None, status=200):
        return TemplateResponse(
            request,
            self.template_name,
            {"nav": "disclosures", "package": package, "entry": entry, "form": form, "conflict": conflict},
            status=status,
        )

    def load(self, request, pk, entry_pk):
        package = selectors.package_get_for(request.user, pk, request=request)
        entry = get_object_or_404(
            PackageEntry.objects.select_related("section"), pk=entry_pk, section__package=package
        )
        return package, entry

    def get(self, request, pk: int, entry_pk: int):
        package, entry = self.load(request, pk, entry_pk)
        form = forms.EntryForm(
            initial={**services.entry_values(entry), "version": entry.version}, police=entry.section.is_police
        )
        return self.render(request, package, entry, form)

    def post(self, request, pk: int, entry_pk: int):
        package, entry = self.load(request, pk, entry_pk)
        form = forms.EntryForm(request.POST, police=entry.section.is_police)
        conflict = None
        if form.is_valid():
            try:
                if "remove" in request.POST:
                    services.entry_remove(
                        entry=entry, by=request.user, expected_version=form.cleaned_data["version"]
                    )
                    messages.success(request, "Entry removed.")
                    return redirect(
                        reverse("disclosures:package", args=[package.pk]) + f"#section-{entry.section.kind}"
                    )
                services.entry_update(
                    entry=entry,
                    by=request.user,
                    data=Grading(**form.grading_data()),
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleVersion as exc:
                form.add_error(None, exc)
                entry.refresh_from_db()
                labels = {
                    name: field.label or name.replace("_", " ").capitalize()
                    for name, field in form.fields.items()
                }
                conflict = _difference(form.grading_data(), exc.theirs, labels)
                # Keep what was typed; the next save is made on the version now saved.
                data = request.POST.copy()
                data["version"] = entry.version
                form = forms.EntryForm(data, police=entry.section.is_police)
                form.is_valid()
                form.add_error(None, exc)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Entry saved.")
                return redirect(
                    reverse("disclosures:package", args=[package.pk]) + f"#section-{entry.section.kind}"
                )
        return self.render(
            request, package, entry, form, conflict=conflict, status=409 if conflict is not None else 400
        )


class SummaryView(PackageActionView):
    def post(self, request, pk: int):
        package = selectors.package_get_for(request.user, pk, request=request)
        form = forms.SummaryForm(request.POST)
        conflict = None
        if form.is_valid():
            try:
                services.package_summary_update(
                    package=package,
                    by=request.user,
                    summary=form.cleaned_data["summary"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleVersion as exc:
                form.add_error(None, exc)
                conflict = {
                    "what": "summary",
                    "rows": _difference(
                        {"summary": form.cleaned_data["summary"]}, exc.theirs, {"summary": "Summary"}
                    ),
                }
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return self.done(package, "Summary saved.", request, "summary")
        if conflict is not None:
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


class SubmitView(PackageActionView):
    def post(self, request, pk: int):
        package = selectors.package_get_for(request.user, pk, request=request)
        form = forms.VersionedForm(request.POST)
        if form.is_valid():
            try:
                services.package_submit(
                    package=package, by=request.user, expected_version=form.cleaned_data["version"]
                )
            except ValidationError as exc:
                messages.error(request, "The package cannot be submitted yet: " + " ".join(exc.messages))
                return self.fail(request, package, failed="submit")
            messages.success(
                request, f"Version {package.number} submitted and locked; the decision makers are told."
            )
            return redirect("disclosures:application", pk=package.application_id)
        return self.fail(request, package, failed="submit")


class ReturnView(PackageActionView):
    def post(self, request, pk: int):
        package = selectors.package_get_for(request.user, pk, request=request)
        form = forms.ReturnForm(request.POST)
        if form.is_valid():
            try:
                following = services.package_return(
                    package=package, by=request.user, comments=form.cleaned_data["comments"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"Returned; version {following.number} is open for the researcher.")
                return redirect("disclosures:application", pk=package.application_id)
        else:
            messages.error(request, "Say what the researcher should look at again.")
        return redirect("disclosures:package", pk=package.pk)
