"""Pages: the data administrator's dashboard, episodes, the episode page, the import, repeat flags."""

import base64

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mash.agencies.selectors import actor_for
from mash.clocks.calendar import describe_clock
from mash.common.actions import RecordActionView
from mash.common.files import read_capped
from mash.common.forms import VersionedForm, apply_validation_error
from mash.common.views import FilteredListView, page_of
from mash.people.selectors import person_candidates_for, person_choosable_for
from mash.sharing import policy as sharing_policy
from missing_persons import forms, policy, selectors, services
from missing_persons.models import Episode, EpisodeStatus, RepeatFlag, Risk
from missing_persons.services.importer import MAX_BYTES, Problem

# The fields of the episode page that are not for every audience (missing_persons/policy.py decides).
PAGE_FIELDS = (
    "police_reference",
    "reported_by",
    "circumstances",
    "places",
    "associates",
    "found_place",
    "found_by",
    "wellbeing_note",
)


class EpisodeReadersMixin(LoginRequiredMixin):
    """Pages for those who see every episode: the police and the lead agency (403 for others)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policy.sees_all_episodes(actor_for(request.user)):
            raise PermissionDenied("Missing-person episodes are for the police and the lead agency.")
        return super().dispatch(request, *args, **kwargs)


class AdminOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policy.may_administer(actor_for(request.user)):
            raise PermissionDenied("Only the police data administrators do this.")
        return super().dispatch(request, *args, **kwargs)


class DashboardView(EpisodeReadersMixin, View):
    """Three lists, each paged by its own parameter (``page_of``): who is missing now (counted by risk),
    the returns awaiting an interview and the open repeat-missing flags."""

    def get(self, request):
        now = timezone.now()
        missing = selectors.open_by_risk(request.user)
        by_risk = dict(missing.order_by().values_list("risk").annotate(n=Count("pk")))
        # Each list reads the columns its rows show (selectors.OPEN_EPISODE_ROW, INTERVIEW_ROW).
        episodes = page_of(request, missing.only(*selectors.OPEN_EPISODE_ROW), "episodes_page")
        interviews = page_of(
            request, selectors.interviews_due(request.user).only(*selectors.INTERVIEW_ROW), "interviews_page"
        )
        flags = page_of(request, selectors.open_flags(request.user), "flags_page")
        return TemplateResponse(
            request,
            "missing_persons/dashboard.html",
            {
                "nav": "missing",
                "episodes": list(episodes),
                "episode_pages": episodes,
                "counts": {r.value: by_risk.get(r.value, 0) for r in Risk},
                "risks": list(reversed(Risk)),
                "interviews": [(i, describe_clock(i.clock, now=now)) for i in interviews],
                "interview_pages": interviews,
                "flags": list(flags),
                "flag_pages": flags,
                "may_administer": policy.may_administer(actor_for(request.user)),
                "dismiss_form": forms.DismissForm(),
            },
        )


class EpisodeListView(EpisodeReadersMixin, FilteredListView):
    """Every episode (or those of one status), the latest first, 50 a page."""

    template_name = "missing_persons/episodes.html"
    context_object_name = "episodes"
    filter_form_class, selector, for_user = forms.EpisodeFilterForm, selectors.episodes_for, True
    extra_context = {"nav": "missing", "statuses": EpisodeStatus.choices}

    def get_queryset(self):
        # A row's columns only (selectors.EPISODE_ROW): not the circumstances, places and associates.
        return super().get_queryset().only(*selectors.EPISODE_ROW)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status"] = self.filter_form.cleaned_data["status"] if self.filter_form.is_valid() else ""
        return context


class EpisodeCreateView(AdminOnlyMixin, View):
    template_name = "missing_persons/episode_form.html"

    def render(self, request, form, matches=None, status=200):
        return TemplateResponse(
            request,
            self.template_name,
            {"nav": "missing", "form": form, "matches": matches or []},
            status=status,
        )

    def get(self, request):
        return self.render(request, forms.EpisodeForm())

    def post(self, request):
        form = forms.EpisodeForm(request.POST)
        if not form.is_valid():
            return self.render(request, form, status=400)
        data = form.cleaned_data
        choice = request.POST.get("person", "")
        person = None
        if choice.isdigit():
            # An id that names nobody and a person this user may not see are answered alike.
            person = person_choosable_for(request.user, int(choice))
            if person is None:
                raise Http404
        elif not choice:
            matches = person_candidates_for(request.user, **form.match_details())
            if matches:
                return self.render(request, form, matches=matches)
        try:
            # The service makes a new person in its own transaction: a refused episode leaves no one.
            episode = services.episode_create(
                by=request.user,
                data=services.EpisodeInput(
                    person=form.choice(person=person),
                    police_reference=data["police_reference"],
                    reported_at=data["reported_at"],
                    reported_by=data["reported_by"],
                    reporter_kind=data["reporter_kind"],
                    last_seen_at=data["last_seen_at"],
                    last_seen_place=data["last_seen_place"],
                    risk=data["risk"],
                    risk_rationale=data["risk_rationale"],
                    circumstances=data["circumstances"],
                    indicators=tuple(data["indicators"]),
                ),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render(request, form, status=400)
        messages.success(request, "Episode recorded.")
        return redirect("missing_persons:episode", pk=episode.pk)


class EpisodeView(LoginRequiredMixin, View):
    template_name = "missing_persons/episode.html"

    def context(self, request, episode, *, failed: str = "", form=None):
        """The page; after a refused action, its form (``failed``, as the page names it) as sent."""
        version = {"version": episode.version}
        parts = selectors.episode_detail_parts(request.user, episode)
        interview = parts["interview"]
        audience = sharing_policy.audience_of(request.user, episode)
        built = {
            "regrade_form": lambda: forms.RegradeForm(initial=version, auto_id="regrade_%s"),
            "update_form": lambda: forms.UpdateForm(
                initial={
                    **version,
                    "indicators": episode.indicators,
                    "places": episode.places,
                    "associates": episode.associates,
                    "circumstances": episode.circumstances,
                },
                auto_id="update_%s",
            ),
            "return_form": lambda: forms.ReturnForm(
                initial={**version, "found_at": timezone.localtime().replace(second=0, microsecond=0)},
                auto_id="return_%s",
            ),
            "interview_form": lambda: forms.InterviewForm(auto_id="interview_%s"),
        }
        context = {name: form if name == f"{failed}_form" else make() for name, make in built.items()}
        context.update(
            {
                "nav": "missing",
                "episode": episode,
                # What this viewer's audience shows of the episode (missing_persons/policy.py): an
                # agency asked about the referral it went with sees the partner fields.
                "shows": {name: sharing_policy.shows(audience, Episode, name) for name in PAGE_FIELDS},
                "import_shown": episode.imported_in_id is not None
                and sharing_policy.may_see_field(request.user, episode.imported_in, "filename"),
                "gradings": parts["gradings"],
                "interview": interview,
                # The referral the episode went with: named only to those who may see it (the police
                # send a repeat-missing referral but, like any referrer, do not then see it).
                "referral_shown": episode.referral_id is not None
                and sharing_policy.shows(audience, Episode, "referral")
                and sharing_policy.can_view(request.user, episode.referral),
                "interview_due": describe_clock(interview.clock) if interview else "",
                "may_administer": policy.may_administer(actor_for(request.user)),
                "may_interview": bool(interview)
                and policy.may_record_interview(actor_for(request.user), interview),
                "failed": failed,
                "failed_form": form,
            }
        )
        return context

    def get(self, request, pk: int):
        episode = selectors.episode_get_for(request.user, pk, request=request)
        return TemplateResponse(request, self.template_name, self.context(request, episode))


class EpisodeAction(RecordActionView):
    """One action on an episode from its page (mash/common/actions.py): a form, one service."""

    record_name = "episode"

    def get_record(self, request, pk):
        return selectors.episode_get_for(request.user, pk, request=request)

    def success_url(self, episode):
        return reverse("missing_persons:episode", args=[episode.pk])

    def render_failure(self, request, episode, form):
        episode.refresh_from_db()
        view = EpisodeView()
        failed = self.get_form_name().removesuffix("_form")
        context = view.context(request, episode, failed=failed, form=form)
        return TemplateResponse(request, view.template_name, context, status=400)


class RegradeView(EpisodeAction):
    form_class, service, success = forms.RegradeForm, services.episode_regrade, "Risk re-graded."


class UpdateView(EpisodeAction):
    form_class, service, success = forms.UpdateForm, services.episode_update, "Episode updated."


class ReturnView(EpisodeAction):
    form_class, service, success = forms.ReturnForm, services.episode_return, "Return recorded."


class InterviewView(EpisodeAction):
    form_class, service = forms.InterviewForm, services.interview_record
    success = "Return home interview recorded."

    def service_kwargs(self, request, episode, form):
        # The interview, not the episode: the one this user sees (None until a child returns: refused).
        interview = selectors.episode_interview_for(request.user, episode)
        return {"interview": interview, "by": request.user, **form.cleaned_data}


class CloseView(EpisodeAction):
    form_class, form_name = VersionedForm, "close_form"
    service, success = services.episode_close, "Episode closed."


SESSION_KEY = "missing_persons_import"


class ImportView(AdminOnlyMixin, View):
    """Upload, preview every row's problems, then import all or nothing."""

    template_name = "missing_persons/import.html"

    def render(self, request, form, result=None, status=200):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "nav": "missing",
                "form": form,
                "result": result,
                "pending": request.session.get(SESSION_KEY, {}).get("name"),
            },
            status=status,
        )

    def get(self, request):
        return self.render(request, forms.ImportForm())

    def post(self, request):
        if "confirm" in request.POST:
            pending = request.session.get(SESSION_KEY)
            if not pending:
                messages.error(request, "Upload the file again: nothing is waiting to be imported.")
                return redirect("missing_persons:import")
            content = base64.b64decode(pending["content"])
            try:
                batch = services.import_reports(by=request.user, content=content, filename=pending["name"])
            except ValidationError as exc:
                # Refused although its preview found nothing (the records changed since, or a rule only
                # the import meets): say what failed, and offer no second import of the same file.
                request.session.pop(SESSION_KEY, None)
                result = services.preview(by=request.user, content=content)
                if not result.problems:
                    result.problems = [Problem(0, "file", message) for message in exc.messages]
                return self.render(request, forms.ImportForm(), result=result, status=400)
            del request.session[SESSION_KEY]
            messages.success(
                request,
                f"Imported {batch.filename}: {batch.created} new, {batch.updated} updated, "
                f"{batch.unchanged} unchanged.",
            )
            return redirect("missing_persons:dashboard")
        form = forms.ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, form, status=400)
        upload = form.cleaned_data["file"]
        content = read_capped(upload, MAX_BYTES)
        result = services.preview(by=request.user, content=content)
        if result.problems:
            request.session.pop(SESSION_KEY, None)
            return self.render(request, form, result=result, status=400)
        request.session[SESSION_KEY] = {"name": upload.name, "content": base64.b64encode(content).decode()}
        return self.render(request, forms.ImportForm(), result=result)


class SampleView(AdminOnlyMixin, View):
    def get(self, request):
        response = HttpResponse(services.sample_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="missing-persons-sample.csv"'
        return response


class FlagReferView(AdminOnlyMixin, View):
    def post(self, request, pk: int):
        flag = get_object_or_404(RepeatFlag, pk=pk)
        try:
            referral = services.flag_refer(flag=flag, by=request.user, note=request.POST.get("note", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"Referral {referral.reference} sent to the MASH with the episodes attached."
            )
        return redirect("missing_persons:dashboard")


class FlagDismissView(AdminOnlyMixin, View):
    def post(self, request, pk: int):
        flag = get_object_or_404(RepeatFlag, pk=pk)
        try:
            services.flag_dismiss(flag=flag, by=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Flag dismissed.")
        return redirect("missing_persons:dashboard")
