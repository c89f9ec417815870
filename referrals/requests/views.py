"""Pages for information requests: asking agencies, the agency inbox, answering, the collation."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mash.agencies.models import Agency, AgencyKind
from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for
from mash.clocks.calendar import Calendar, describe_clock
from mash.common.actions import RecordActionView
from mash.common.permissions import ActorRequiredMixin
from referrals import policy as referral_policy
from referrals import selectors as referral_selectors
from referrals.models import QuestionTemplate, RequestStatus, ResponseEntry
from referrals.requests import forms, selectors, services
from referrals.rows import inbox_rows


class AskAgenciesView(LoginRequiredMixin, View):
    """Flag what each partner agency must provide: one request per agency, due by the RAG clock."""

    template_name = "referrals/ask.html"

    def agencies(self):
        return list(Agency.objects.filter(is_active=True, is_lead=False).order_by("name"))

    def render(self, request, referral, formset, status=200):
        agencies = {a.pk: a for a in self.agencies()}
        rows = [
            (
                form,
                agencies.get(
                    form.initial.get("agency") or form.cleaned_data.get("agency")
                    if hasattr(form, "cleaned_data")
                    else form.initial.get("agency")
                ),
            )
            for form in formset.forms
        ]
        basis, amount = (
            services.timescale_for(referral.rag) if referral.rag in ("red", "amber", "green") else ("", 0)
        )
        return TemplateResponse(
            request,
            self.template_name,
            {
                "referral": referral,
                "formset": formset,
                "rows": rows,
                "nav": "referrals",
                "timescale": f"{amount} {basis.replace('_', ' ')}" if amount else "",
            },
            status=status,
        )

    def get(self, request, pk: int):
        referral = referral_selectors.referral_get_for(request.user, pk, request=request)
        if not referral_policy.may_triage(actor_for(request.user)):
            raise PermissionDenied
        templates = {}
        for template in QuestionTemplate.objects.filter(is_active=True):
            templates.setdefault(template.agency_kind, []).append(template.text)
        initial = [
            {"agency": a.pk, "questions": "\n".join(templates.get(a.kind, []))} for a in self.agencies()
        ]
        return self.render(request, referral, forms.AskAgencyFormSet(initial=initial, prefix="agencies"))

    def post(self, request, pk: int):
        referral = referral_selectors.referral_get_for(request.user, pk, request=request)
        if not referral_policy.may_triage(actor_for(request.user)):
            raise PermissionDenied
        formset = forms.AskAgencyFormSet(request.POST, prefix="agencies")
        if formset.is_valid():
            agencies = {a.pk: a for a in self.agencies()}
            chosen = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("ask")]
            items = [
                services.RequestInput(agency=agencies[c["agency"]], questions=c["questions"])
                for c in chosen
                if c["agency"] in agencies
            ]
            try:
                sent = services.information_requests_send(
                    referral=referral,
                    by=request.user,
                    requests=items,
                    expected_version=int(request.POST.get("version") or 0) or None,
                )
            except ValidationError as exc:
                for key, msgs in (
                    exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
                ):
                    index = key.removeprefix("questions-")
                    if index.isdigit() and int(index) < len(chosen):
                        form = next(
                            f
                            for f in formset.forms
                            if f.cleaned_data.get("agency") == chosen[int(index)]["agency"]
                        )
                        for msg in msgs:
                            form.add_error("questions", msg)
                    else:
                        formset._non_form_errors = formset.error_class(
                            list(formset.non_form_errors()) + list(msgs)
                        )
            else:
                messages.success(
                    request,
                    f"Asked {len(sent)} agenc{'y' if len(sent) == 1 else 'ies'}; "
                    "their researchers have been notified.",
                )
                return redirect("referrals:detail", pk=referral.pk)
        return self.render(request, referral, formset, status=400)


# What a row of the inbox shows (referrals/agency_inbox.html, _due_texts).
INBOX_ROW = (
    "referral",
    "referral__reference",
    "referral__rag",
    "assigned_to",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__username",
    "agency",  # the key only: the agency is the actor's (selectors.agency_inbox_for)
    "clock",
    *(
        f"clock__{name}"
        for name in ("kind", "basis", "amount", "started_at", "due_at", "stopped_at", "breached_at")
    ),
)


class InboxView(ActorRequiredMixin, View):
    """A researcher's agency inbox: the agency's open requests, most urgent first, 50 to a page."""

    allowed = staticmethod(referral_policy.may_answer_requests)
    paginate_by = 50

    def get(self, request):
        actor = actor_for(request.user)
        # A row's columns only (the template's): not the referral's long texts, 50 times.
        rows = selectors.agency_inbox_for(request.user).only(*INBOX_ROW)
        page = Paginator(rows, self.paginate_by).get_page(request.GET.get("page"))
        requests = list(page.object_list)
        return TemplateResponse(
            request,
            "referrals/agency_inbox.html",
            {
                "rows": inbox_rows(requests, _due_texts(requests)),
                "page_obj": page,
                "nav": "requests",
                "agency": actor.agency,
            },
        )


def _due_texts(requests) -> dict[int, str]:
    calendar, now = Calendar(), timezone.now()
    return {
        r.pk: describe_clock(
            r.clock, now=now, calendar=calendar, met="answered in time", missed="answered late"
        )
        for r in requests
    }


def _entry_form(information_request) -> dict:
    """What an entry form of the request is made with: the referral's subjects, and police grading or not."""
    subjects = [
        link.person for link in information_request.referral.subjects.select_related("person").order_by("pk")
    ]
    return {"subjects": subjects, "police": information_request.agency.kind == AgencyKind.POLICE}


class RequestView(LoginRequiredMixin, View):
    """One request: the referral's summary, the questions, the answer being written or as submitted."""

    template_name = "referrals/request.html"

    def context(self, request, information_request, **forms_):
        actor = actor_for(request.user)
        referral = information_request.referral
        made_with = _entry_form(information_request)
        may_answer = actor.agency_id == information_request.agency_id and actor.has(Role.AGENCY_RESEARCHER)
        version = {"version": information_request.version}
        return {
            "information_request": information_request,
            "referral": referral,
            "subjects": made_with["subjects"],
            "entries": list(selectors.request_entries(request.user, information_request)),
            "due": _due_texts([information_request])[information_request.pk],
            "police": made_with["police"],
            "may_answer": may_answer,
            "is_lead": referral_policy.is_lead_case_worker(actor),
            "may_withdraw": referral_policy.may_triage(actor)
            and information_request.status != RequestStatus.WITHDRAWN,
            "entry_form": forms_.get("entry_form") or forms.EntryForm(initial=version, **made_with),
            "addendum_form": forms_.get("addendum_form")
            or forms.AddendumForm(initial=version, prefix="addendum", **made_with),
            "withdraw_form": forms_.get("withdraw_form") or forms.WithdrawForm(),
            "failed": forms_.get("failed", ""),
            "nav": "requests",
        }

    def get(self, request, pk: int):
        information_request = selectors.request_get_for(request.user, pk, request=request)
        return TemplateResponse(request, self.template_name, self.context(request, information_request))


class RequestAction(RecordActionView):
    """One action on a request from its page (mash/common/actions.py): a form, one service, back to the
    request. A refusal shows the page again (400): beside the form that was sent, whose error summary
    ``failed`` names, or, for a button with nothing typed to show it beside, as a message."""

    record_name = "request"
    failed = ""

    def get_record(self, request, pk):
        return selectors.request_get_for(request.user, pk, request=request)

    def form_kwargs(self, request, information_request):
        # Django's own ids, as the page's fresh forms have them (no two of its forms share a field name).
        return {"auto_id": "id_%s"}

    def success_url(self, information_request):
        return reverse("referrals:request", args=[information_request.pk])

    def render_failure(self, request, information_request, form):
        shown = {self.get_form_name(): form} if self.get_form_name() else {}
        if not shown:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        information_request.refresh_from_db()
        view = RequestView()
        context = view.context(request, information_request, failed=self.failed, **shown)
        return TemplateResponse(request, view.template_name, context, status=400)


class ClaimView(RequestAction):
    form_class, service = forms.ClaimForm, services.information_request_claim
    success = "The request is assigned to you."


class EntryView(RequestAction):
    form_class, service = forms.EntryForm, services.response_entry_add
    success, failed = "Entry saved to the draft answer.", "entry"

    def form_kwargs(self, request, information_request):
        return {**super().form_kwargs(request, information_request), **_entry_form(information_request)}

    def service_kwargs(self, request, information_request, form):
        return {
            "request": information_request,
            "by": request.user,
            "data": form.entry(),
            "expected_version": form.cleaned_data["version"],
        }


class RemoveEntryView(RequestAction):
    form_class, service = forms.RemoveEntryForm, services.response_entry_remove
    success = "Entry removed from the draft."

    def service_kwargs(self, request, information_request, form):
        entry = get_object_or_404(
            ResponseEntry, pk=form.cleaned_data["entry"] or 0, request=information_request
        )
        return {"entry": entry, "by": request.user}


class SubmitView(RequestAction):
    form_class, service = forms.SubmitForm, services.information_request_submit
    success, failed = "Answer submitted. The MASH has been told.", "submit"


class AddendumView(RequestAction):
    form_class, service = forms.AddendumForm, services.response_addendum_add
    success, failed = "Addendum added. The MASH has been told.", "addendum"

    def form_kwargs(self, request, information_request):
        return {
            **super().form_kwargs(request, information_request),
            **_entry_form(information_request),
            "prefix": "addendum",
        }

    def service_kwargs(self, request, information_request, form):
        # An addendum checks no version: it adds to a submitted answer, it never overwrites one.
        return {
            "request": information_request,
            "by": request.user,
            "data": form.entry(),
            "reason": form.cleaned_data["reason"],
        }


class WithdrawView(RequestAction):
    form_class, service = forms.WithdrawForm, services.information_request_withdraw
    success, failed = "Request withdrawn; the agency no longer sees it.", "withdraw"

    def success_url(self, information_request):
        return reverse("referrals:detail", args=[information_request.referral_id])


class CollationView(LoginRequiredMixin, View):
    """The lead agency's view of every answer side by side, per subject and agency."""

    def get(self, request, pk: int):
        referral = referral_selectors.referral_get_for(request.user, pk, request=request)
        if not referral_policy.is_lead_case_worker(actor_for(request.user)):
            raise PermissionDenied
        collation = selectors.collation_for(request.user, referral)
        return TemplateResponse(
            request,
            "referrals/collation.html",
            {
                "referral": referral,
                "nav": "referrals",
                **collation,
                "due": _due_texts(collation["requests"]),
            },
        )
