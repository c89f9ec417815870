"""The lead agency's pages before a discussion: the decision makers' queue, the threshold decision and
convening the strategy discussion."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mash.agencies.policy import is_lead_case_worker
from mash.agencies.selectors import actor_for
from mash.clocks.calendar import Calendar, describe_clock
from mash.common.actions import RecordActionView
from mash.common.views import page_of
from referrals import selectors as referral_selectors
from referrals import services as referral_services
from referrals.models import ReferralKind, RequestStatus, State
from referrals.requests.selectors import collation_for
from strategy import forms, policy, selectors, services
from strategy.models import DiscussionStatus


class LeadOnlyMixin(LoginRequiredMixin):
    """Pages of the lead agency's case workers (403 for anyone else)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_lead_case_worker(actor_for(request.user)):
            raise PermissionDenied("The strategy queue is for the lead agency's case workers.")
        return super().dispatch(request, *args, **kwargs)


class QueueView(LeadOnlyMixin, View):
    """Three lists, each paged by its own parameter (``page_of``): the referrals awaiting a threshold
    decision, those awaiting their strategy discussion and the discussions scheduled."""

    def get(self, request):
        awaiting = page_of(request, selectors.threshold_queue(request.user), "threshold_page")
        strategy = page_of(request, selectors.awaiting_discussion(request.user), "strategy_page")
        upcoming = page_of(
            request,
            selectors.discussions_for(request.user, status=DiscussionStatus.SCHEDULED)
            .only(*selectors.DISCUSSION_ROW)  # a row's columns (strategy/_discussion_table.html)
            .order_by("scheduled_at"),
            "scheduled_page",
        )
        # One calendar for the page: each Calendar() reads the working pattern.
        calendar, now = Calendar(), timezone.now()
        due = referral_selectors.due_descriptions(list(awaiting), now=now, calendar=calendar)
        return TemplateResponse(
            request,
            "strategy/queue.html",
            {
                "nav": "strategy",
                "awaiting": [(r, due[r.pk]) for r in awaiting],
                "awaiting_pages": awaiting,
                "strategy": [
                    (d, describe_clock(d.strategy_clock, now=now, calendar=calendar)) for d in strategy
                ],
                "strategy_pages": strategy,
                "upcoming": list(upcoming),
                "upcoming_pages": upcoming,
            },
        )


def _answered(referral):
    return referral.information_requests.filter(status=RequestStatus.ANSWERED).select_related("agency")


class ThresholdView(LeadOnlyMixin, RecordActionView):
    """The threshold decision: required, on to convening; not required, the referral's outcome too."""

    template_name = "strategy/threshold.html"
    record_name, form_class, service = "referral", forms.ThresholdForm, services.threshold_decide

    def get_record(self, request, pk):
        return referral_selectors.referral_get_for(request.user, pk, request=request)

    def form_kwargs(self, request, referral):
        return {
            "auto_id": "id_%s",  # the page's only form: Django's ids, as the page's own GET form has
            "answers": _answered(referral),
            "outcomes": referral_services.outcomes_for(referral.kind),
            "adult": referral.kind == ReferralKind.ADULT,
        }

    def render(self, request, referral, form, status=200):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "nav": "strategy",
                "referral": referral,
                "form": form,
                "subjects": referral_selectors.referral_detail_parts(referral)["subjects"],
                "collation": collation_for(request.user, referral),
                "due": referral_selectors.due_descriptions([referral])[referral.pk],
                "may_decide": policy.may_decide_threshold(actor_for(request.user)),
            },
            status=status,
        )

    def get(self, request, pk: int):
        referral = self.get_record(request, pk)
        form = self.form_class(initial={"version": referral.version}, **self.form_kwargs(request, referral))
        return self.render(request, referral, form)

    def get_success_message(self, referral, decision):
        if decision.required:
            return "Threshold decision recorded: convene the strategy discussion."
        return "Threshold decision and outcome recorded."

    def get_success_url(self, referral, decision):
        if decision.required:
            return reverse("strategy:convene", args=[referral.pk])
        return reverse("referrals:detail", args=[referral.pk])

    def render_failure(self, request, referral, form):
        referral.refresh_from_db()
        return self.render(request, referral, form, status=400)


class ConveneView(LeadOnlyMixin, RecordActionView):
    template_name = "strategy/convene.html"
    record_name, form_class, service = "referral", forms.ConveneForm, services.discussion_convene
    success = "Discussion convened; the invitations are on their way."

    def get_record(self, request, pk):
        return referral_selectors.referral_get_for(request.user, pk, request=request)

    def form_kwargs(self, request, referral):
        return {"auto_id": "id_%s", "answers": _answered(referral)}  # the page's only form: Django's ids

    def render(self, request, referral, form, status=200):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "nav": "strategy",
                "referral": referral,
                "form": form,
                "threshold": services.latest_required(referral),
                "clock": describe_clock(getattr(services.latest_required(referral), "strategy_clock", None)),
            },
            status=status,
        )

    def get(self, request, pk: int):
        referral = self.get_record(request, pk)
        if referral.state != State.STRATEGY_DISCUSSION:
            messages.info(request, "This referral is not waiting for a strategy discussion.")
            return redirect("referrals:detail", pk=referral.pk)
        answers = _answered(referral)
        form = self.form_class(
            answers=answers,
            initial={
                "chair": request.user if policy.may_chair(actor_for(request.user)) else None,
                "considered": list(answers),
                "scheduled_at": timezone.localtime().replace(second=0, microsecond=0),
            },
        )
        return self.render(request, referral, form)

    def get_success_url(self, referral, discussion):
        return reverse("strategy:discussion", args=[discussion.pk])

    def render_failure(self, request, referral, form):
        return self.render(request, referral, form, status=400)
