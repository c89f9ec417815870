"""Demo strategy work for seed_demo: the red referral goes to a strategy discussion later today, with
actions for the triage practitioner and the police to do before it."""

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
    answers = list(referral.information_requests.filter(status="answered").select_related("agency"))
    services.threshold_decide(
        referral=referral,
        by=decision_maker,
        required=True,
        rationale="Reasonable cause to suspect Mohammed is suffering significant harm through criminal "
        "exploitation.",
        answers=answers,
        # The decision maker's rating of each answer (the quality dashboard): the first sufficient, any
        # other not, to show a reason on the dashboard's list.
        ratings=[
            services.RatingInput(
                request=answer,
                sufficient=n == 0,
                reason="" if n == 0 else "No dates for the contacts listed: ask for them before the meeting.",
            )
            for n, answer in enumerate(answers)
        ],
    )
    agencies = {a.kind: a for a in Agency.objects.all()}
    invitees = [
        services.Invitee(agency=agencies[AgencyKind.POLICE], user=users["police.decision"]),
        services.Invitee(agency=agencies[AgencyKind.HEALTH]),
        services.Invitee(agency=agencies[AgencyKind.EDUCATION]),
    ]
    discussion = services.discussion_convene(
        referral=referral,
        by=decision_maker,
        scheduled_at=Calendar().working_start(timezone.now() + timedelta(hours=2)),
        mode=Mode.VIDEO,
        location="Teams: MASH strategy room",
        chair=decision_maker,
        invitees=invitees,
    )
    stdout.write("  A strategy discussion about the red referral is convened for the next working hours.")
    today = timezone.localdate()
    lead = Agency.objects.get(is_lead=True)
    for owner_agency, owner, days, description in [
        (
            lead,
            users["triage"],
            0,
            "Share the school's attendance record with the attendees before the meeting.",
        ),
        (
            agencies[AgencyKind.POLICE],
            users["police.decision"],
            1,
            "Bring the stop reports of the last month.",
        ),
        (agencies[AgencyKind.POLICE], None, 2, "Check for call-outs to the addresses Mohammed was seen at."),
    ]:
        services.action_add(
            discussion=discussion,
            by=decision_maker,
            description=description,
            owner_agency=owner_agency,
            owner=owner,
            due_on=today + timedelta(days=days),
        )
    stdout.write("  Actions before the meeting for the triage practitioner and the police.")
