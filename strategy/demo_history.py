"""Demo strategy history for seed_demo: over the same five months as referrals/demo_history.py, a few
referrals asked about and answered, each given its Strategy Threshold Decision relying on some of the
answers (each rated sufficient or, one in four, not, with a reason); one in three needed a strategy
discussion, convened, held (one of them after its deadline), recorded and signed off, which decided the
referral. Made through the services at the time each step happened (mash/common/demo_clock.py), so the
strategy clocks, the answers relied on and their ratings are real. Idempotent; after today's strategy
demo (strategy/demo.py makes nothing once a discussion exists).
"""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from mash.agencies.models import Agency, AgencyKind
from mash.clocks.calendar import Calendar
from mash.common.demo_clock import at
from mash.notifications.models import Notification
from referrals.demo_history import HISTORY_DAYS, QUIET_DAYS, History
from referrals.models import Referral, RequestStatus, State
from strategy import services
from strategy.models import Attendance, Decision, Mode, ThresholdDecision

CONTACTS = 9


def load_demo_strategy_history(sender, users, stdout, **kwargs):
    now = timezone.now()
    if ThresholdDecision.objects.filter(decided_at__lt=now - timedelta(days=QUIET_DAYS)).exists():
        return
    agencies = {a.kind: a for a in Agency.objects.filter(is_active=True, is_lead=False).order_by("pk")}
    if AgencyKind.POLICE not in agencies or AgencyKind.HEALTH not in agencies:
        return
    first_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    history = StrategyHistory(users, agencies, Calendar(), random.Random(47), timezone.localdate())
    history.contacts(CONTACTS, ask_every=1, names_from=200)
    Notification.objects.filter(pk__gt=first_notification, read_at__isnull=True).update(read_at=now)
    stdout.write(
        f"  Demo strategy history: {history.thresholds} threshold decisions and {history.discussions} "
        f"strategy discussions over the last {HISTORY_DAYS} days."
    )


class StrategyHistory(History):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.thresholds = self.discussions = self.rated = 0

    def decide(self, referral: Referral, decided: datetime, outcome: str) -> datetime:
        if referral.state != State.AWAITING_THRESHOLD_DECISION:
            return super().decide(referral, decided, outcome)
        answers = list(referral.information_requests.filter(status=RequestStatus.ANSWERED).order_by("pk"))
        relied_on = answers[: 1 + self.thresholds % len(answers)]
        required = referral.kind == "child" and self.thresholds % 3 == 0
        self.thresholds += 1
        with at(decided):
            decision = services.threshold_decide(
                referral=referral,
                by=self.decision,
                required=required,
                rationale="Reasonable cause to suspect significant harm."
                if required
                else "The answers show no need for a strategy discussion.",
                information_relied_on=", ".join(a.agency.name for a in relied_on),
                answers=relied_on,
                outcome="" if required else outcome,
                ratings=self._ratings(relied_on),
            )
        if not required:
            return decided
        return self._discuss(referral, decision, decided)

    def _ratings(self, relied_on: list) -> list:
        """Most answers relied on rated sufficient; one in four not, with the reason (the quality
        dashboard's '% sufficient' per agency)."""
        ratings = []
        for answer in relied_on:
            self.rated += 1
            sufficient = self.rated % 4 != 0
            reason = "" if sufficient else "Nothing on the adults in the household; asked again by phone."
            ratings.append(services.RatingInput(request=answer, sufficient=sufficient, reason=reason))
        return ratings

    def _discuss(self, referral: Referral, decision, decided: datetime) -> datetime:
        """Convened at once, held before its deadline (the second one after it), signed off after."""
        due = decision.strategy_clock.due_at
        late = self.discussions % 2 == 1
        self.discussions += 1
        held = (
            due + timedelta(hours=20)
            if late
            else max(decided + timedelta(minutes=30), due - timedelta(hours=1))
        )
        with at(decided + timedelta(minutes=5)):
            discussion = services.discussion_convene(
                referral=referral,
                by=self.decision,
                scheduled_at=held,
                mode=Mode.VIDEO,
                location="Teams: MASH strategy room",
                chair=self.decision,
                invitees=[
                    services.Invitee(
                        agency=self.agencies[AgencyKind.POLICE], user=self.users["police.decision"]
                    ),
                    services.Invitee(agency=self.agencies[AgencyKind.HEALTH]),
                ],
            )
        signed = held + timedelta(hours=1)
        with at(signed):
            services.attendance_record(
                discussion=discussion,
                by=self.decision,
                attendance={i.pk: Attendance.ATTENDED for i in discussion.invitations.all()},
            )
            services.record_update(
                discussion=discussion,
                by=self.decision,
                notes="Discussed.",
                rationale="Risk of significant harm.",
            )
            services.decisions_record(
                discussion=discussion,
                by=self.decision,
                decisions=[
                    services.DecisionInput(
                        person=link.person, decision=Decision.S47_JOINT, rationale="Joint."
                    )
                    for link in referral.subjects.select_related("person")
                ],
            )
            services.discussion_sign_off(discussion=discussion, by=self.decision)
        return signed
