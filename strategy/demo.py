"""Demo strategy work for seed_demo: the red referral goes to a strategy discussion later today."""

from datetime import timedelta

from django.utils import timezone

from mash.agencies.models import Agency, AgencyKind
from mash.clocks.calendar import Calendar
from referrals import services as referral_services
from referrals.models import Referral, State
from strategy import services
from strategy.models import Mode, StrategyDiscussion


def load_demo_strategy(sender, users, stdout, **kwargs):
    if StrategyDiscussion.objects.exists():
        return
    referral = Referral.objects.filter(state=State.INFORMATION_GATHERING, rag="red").order_by("pk").first()
    if referral is None:
        return
    decision_maker = users["la.decision"]
    referral_services.referral_transition(
        referral=referral,
        by=users["triage"],
        to_state=State.AWAITING_THRESHOLD_DECISION,
        note="The police answer shows county lines links; health's answer can follow.",
    )
    services.threshold_decide(
        referral=referral,
        by=decision_maker,
        required=True,
        rationale="Reasonable cause to suspect Mohammed is suffering significant harm through criminal "
        "exploitation.",
        answers=list(referral.information_requests.filter(status="answered")),
    )
    agencies = {a.kind: a for a in Agency.objects.all()}
    invitees = [
        services.Invitee(agency=agencies[AgencyKind.POLICE], user=users["police.decision"]),
        services.Invitee(agency=agencies[AgencyKind.HEALTH]),
        services.Invitee(agency=agencies[AgencyKind.EDUCATION]),
    ]
    services.discussion_convene(
        referral=referral,
        by=decision_maker,
        scheduled_at=Calendar().working_start(timezone.now() + timedelta(hours=2)),
        mode=Mode.VIDEO,
        location="Teams: MASH strategy room",
        chair=decision_maker,
        invitees=invitees,
    )
    stdout.write("  A strategy discussion about the red referral is convened for the next working hours.")
