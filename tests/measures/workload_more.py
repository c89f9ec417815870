"""Known strategy discussions, actions, disclosure applications and missing episodes at known ages,
for the workload dashboard's tests. Made through the services, then placed in time where a service
takes no time (a row's creation, scheduled or received time set on it), so that each falls in a known
age band."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from disclosures import services as disclosures
from disclosures.models import Application, PersonRole, Route, Scheme
from missing_persons import services as missing
from missing_persons.models import InterviewStatus, ReporterKind, Risk
from referrals.models import State
from strategy import services as strategy
from strategy.models import Action, Mode, StrategyDiscussion
from tests.factories import PersonFactory
from tests.referrals_pages.builders import make_referral, move_to

DAY = timedelta(days=1)


@dataclass
class Strategy:
    now: datetime
    discussions: dict[str, StrategyDiscussion] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)


def _discussion(cast, now) -> StrategyDiscussion:
    referral = move_to(make_referral(cast), State.AWAITING_THRESHOLD_DECISION, cast)
    strategy.threshold_decide(referral=referral, by=cast.decision_maker, required=True, rationale="Cause.")
    referral.refresh_from_db()
    return strategy.discussion_convene(
        referral=referral,
        by=cast.decision_maker,
        # The next whole minute: never before the referral was received, whenever the minute turns.
        scheduled_at=(timezone.now() + timedelta(minutes=1)).replace(second=0, microsecond=0),
        mode=Mode.VIDEO,
        chair=cast.decision_maker,
        invitees=[strategy.Invitee(agency=cast.police, user=cast.police_decision_maker)],
    )


def _action(cast, discussion, agency, *, owner=None, days: float, due_in_days: int) -> Action:
    action = strategy.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="Check the address.",
        owner_agency=agency,
        owner=owner,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    due_on = timezone.localdate() + timedelta(days=due_in_days)
    Action.objects.filter(pk=action.pk).update(created_at=timezone.now() - days * DAY, due_on=due_on)
    action.refresh_from_db()
    return action


def build_strategy(cast) -> Strategy:
    """D1 held 2 days ago, not signed off; D2 to be held tomorrow; D3 cancelled.

    A1 (D1) police, owner the police decision maker, set 5 days ago, due yesterday (overdue).
    A2 (D1) police, no owner, set 10 days ago, due in 3 days. A3 (D2) health, no owner, set 12 hours
    ago, due in 5 days. A4 (D2) police, done. A5 (D3) police, open but its discussion cancelled.
    """
    now = timezone.now()
    made = Strategy(now=now)
    d1, d2, d3 = (_discussion(cast, now) for _ in range(3))
    made.actions = {
        "A1": _action(cast, d1, cast.police, owner=cast.police_decision_maker, days=5, due_in_days=-1),
        "A2": _action(cast, d1, cast.police, days=10, due_in_days=3),
        "A3": _action(cast, d2, cast.health, days=0.5, due_in_days=5),
        "A4": _action(cast, d2, cast.police, owner=cast.police_decision_maker, days=1, due_in_days=1),
        "A5": _action(cast, d3, cast.police, days=1, due_in_days=1),
    }
    strategy.action_complete(action=made.actions["A4"], by=cast.police_decision_maker, note="Done.")
    strategy.discussion_cancel(discussion=d3, by=cast.decision_maker, reason="Convened twice.")
    StrategyDiscussion.objects.filter(pk=d1.pk).update(scheduled_at=now - 2 * DAY)
    StrategyDiscussion.objects.filter(pk=d2.pk).update(scheduled_at=now + DAY)
    made.discussions = {"D1": d1, "D2": d2, "D3": d3}
    return made


def _application(cast, *, days: float, research: bool = False, researcher=None) -> Application:
    applicant = PersonFactory()
    application = disclosures.application_create(
        by=cast.data_admin,
        scheme=Scheme.RIGHT_TO_ASK,
        route=Route.PHONE,
        circumstances="New partner; a friend says he was violent to his last partner.",
        people=[
            disclosures.PersonInput(role=PersonRole.SUBJECT, person=PersonFactory()),
            disclosures.PersonInput(role=PersonRole.APPLICANT, person=applicant),
            disclosures.PersonInput(role=PersonRole.AT_RISK, person=applicant),
        ],
        applicant_relation="Herself: his partner",
        received_at=timezone.now() - days * DAY,
    )
    if research:
        disclosures.initial_check_record(
            application=application, by=cast.data_admin, immediate_risk=False, notes="No risk now."
        )
        disclosures.verification_record(
            application=application, by=cast.data_admin, identity_method="Passport", meeting_at=timezone.now()
        )
    if researcher is not None:
        disclosures.researcher_assign(application=application, by=cast.data_admin, researcher=researcher)
    application.refresh_from_db()
    return application


def build_disclosures(cast) -> dict[str, Application]:
    """P1 received 2 days ago, at the initial checks; P2 received 10 days ago, at research with the
    police researcher; P3 received 40 days ago, at research with no researcher; P4 withdrawn."""
    made = {
        "P1": _application(cast, days=2),
        "P2": _application(cast, days=10, research=True, researcher=cast.police_researcher),
        "P3": _application(cast, days=40, research=True),
        "P4": _application(cast, days=3),
    }
    disclosures.application_withdraw(application=made["P4"], by=cast.data_admin, reason="Withdrawn.")
    return made


def _episode(cast, *, risk: str, days: float, returned_days: float | None = None):
    child = PersonFactory(date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 14))
    reported = timezone.now() - days * DAY
    episode = missing.episode_create(
        by=cast.data_admin,
        data=missing.EpisodeInput(
            person=child,
            reported_at=reported,
            reported_by="A parent",
            reporter_kind=ReporterKind.PARENT,
            last_seen_at=reported - timedelta(hours=2),
            last_seen_place="Ipswich bus station",
            risk=risk,
            risk_rationale="Fourteen, phone off, seen with older males.",
        ),
    )
    if returned_days is not None:
        episode = missing.episode_return(
            episode=episode,
            by=cast.data_admin,
            found_at=timezone.now() - returned_days * DAY,
            found_place="Home",
            found_by="PC Lee",
            wellbeing_confirmed=True,
        )
    episode.refresh_from_db()
    return episode


def build_missing(cast) -> dict:
    """E1 high risk, missing 12 hours; E2 medium, missing 5 days; E3 low, reported 10 days ago and back
    2 days ago, its interview to be offered by no agency yet (due tomorrow); E4 medium, reported 40 days
    ago and back 4 days ago, its interview offered by health (overdue); E5 back and closed, its
    interview declined."""
    made = {
        "E1": _episode(cast, risk=Risk.HIGH, days=0.5),
        "E2": _episode(cast, risk=Risk.MEDIUM, days=5),
        "E3": _episode(cast, risk=Risk.LOW, days=10, returned_days=2),
        "E4": _episode(cast, risk=Risk.MEDIUM, days=40, returned_days=4),
        "E5": _episode(cast, risk=Risk.LOW, days=3, returned_days=1),
    }
    missing.interview_record(
        interview=made["E4"].interview, by=cast.data_admin, status=InterviewStatus.OFFERED, agency=cast.health
    )
    missing.interview_record(
        interview=made["E5"].interview,
        by=cast.data_admin,
        status=InterviewStatus.DECLINED,
        agency=cast.police,
    )
    made["E5"] = missing.episode_close(episode=made["E5"], by=cast.data_admin)
    return made
