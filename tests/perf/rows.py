"""Rows for every list of ``bench/endpoints.py``, made through the services as the system makes them.

``ROWS[url_name](cast, count)`` makes ``count`` more rows that the catalogue's user sees in that list,
each with its own related records (people, assignees, owners, clocks), and returns a string per row that
the list shows (a reference or a name), so a test can check that the rows are on the page.

``GRANTED_ROWS[label](cast, count)`` does the same for the catalogue's entries whose user sees rows only
through their agency's object grants (``through_grants``): the rows are granted by the services that
grant in the system (a request for information, an invitation), and beside them rows of other agencies
are made that the user must not see. It returns ``Made(shown, hidden)``.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from disclosures import services as disclosures
from disclosures.models import Application, PersonRole, Route, Scheme
from mash.agencies.roles import Role
from mash.notifications import services as notifications
from mash.notifications.models import Channel
from mash.sharing.models import AccessAction, LawfulBasis
from mash.sharing.services import access_log_write, break_glass_open, dissemination_record
from missing_persons import services as missing
from missing_persons.models import FlagStatus, RepeatFlag, ReporterKind, Risk
from referrals import services as referrals
from referrals.models import State
from referrals.requests import services as request_services
from referrals.requests.services import RequestInput
from strategy import services as strategy
from strategy.models import Mode
from tests.factories import AgencyFactory, PersonFactory, member
from tests.referrals_pages.builders import make_consultation, make_referral, move_to, new_subject

_serial = itertools.count(1)


def _name() -> str:
    # Zero-padded so that one row's name is never part of another's (Perf001 is not in Perf0010).
    return f"Perf{next(_serial):04d}"


def _person(**fields):
    return PersonFactory(given_name=_name(), family_name="Rowan", **fields)


def _child():
    today = timezone.localdate()
    return _person(date_of_birth=date(today.year - 14, 3, 14))


# Referrals


def _referral(cast, n: int):
    """A received referral about two new children; two in three screened, rated and assigned to
    different practitioners."""
    referral = make_referral(
        cast,
        subjects=[new_subject(given_name=_name()), new_subject(given_name=_name(), role="sibling")],
    )
    if n % 3:
        referral = move_to(referral, State.SCREENING, cast)
        referral = referrals.referral_rate(
            referral=referral, by=cast.triage, rating=["amber", "red"][n % 2], rationale="Bruising"
        )
        referrals.referral_assign(
            referral=referral, by=cast.triage, assignee=[cast.triage, cast.manager][n % 2]
        )
    return referral


def referral_rows(cast, count):
    return [_referral(cast, n).reference for n in range(count)]


def consultation_rows(cast, count):
    made = []
    for n in range(count):
        person = _person() if n % 2 else None
        caller = f"Dr {_name()}"
        make_consultation(
            cast, caller_name=caller, person=person, anonymous_description="" if person else "boy, 6"
        )
        made.append(caller)
    return made


def _gathering(cast):
    referral = _referral(cast, 1)
    return referrals.referral_transition(
        referral=referral, by=cast.triage, to_state=State.INFORMATION_GATHERING
    )


def information_request_rows(cast, count):
    """Requests to the police about referrals in information gathering; every other one claimed."""
    made = []
    for n in range(count):
        referral = _gathering(cast)
        [request] = request_services.information_requests_send(
            referral=referral,
            by=cast.triage,
            requests=[RequestInput(agency=cast.police, questions="Any police contact?")],
        )
        if n % 2:
            request_services.information_request_claim(request=request, by=cast.police_researcher)
        made.append(referral.reference)
    return made


# Strategy


def _awaiting(cast):
    return move_to(_referral(cast, 0), State.AWAITING_THRESHOLD_DECISION, cast)


def _sent_to_strategy(cast):
    referral = _awaiting(cast)
    strategy.threshold_decide(
        referral=referral, by=cast.decision_maker, required=True, rationale="Cause to suspect harm."
    )
    referral.refresh_from_db()
    return referral


def _discussion(cast, n: int):
    invitees = [strategy.Invitee(agency=cast.police, user=cast.police_decision_maker)]
    if n % 2:
        invitees.append(strategy.Invitee(agency=cast.health))
    return strategy.discussion_convene(
        referral=_sent_to_strategy(cast),
        by=cast.decision_maker,
        scheduled_at=timezone.now().replace(second=0, microsecond=0),  # the referral came in this minute
        mode=[Mode.VIDEO, Mode.MEETING][n % 2],
        chair=cast.decision_maker,
        invitees=invitees,
    )


def threshold_queue_rows(cast, count):
    return [_awaiting(cast).reference for _ in range(count)]


def threshold_decision_rows(cast, count):
    made = []
    for n in range(count):
        referral = _awaiting(cast)
        strategy.threshold_decide(
            referral=referral,
            by=cast.decision_maker,
            required=bool(n % 2),
            rationale="Weighed the injury against the family's support.",
            outcome="" if n % 2 else "early_help",
            outcome_rationale="" if n % 2 else "Needs are met by early help.",
        )
        made.append(referral.reference)
    return made


def strategy_queue_rows(cast, count):
    """Referrals awaiting a threshold decision, sent to strategy, and with their discussion convened."""
    made = []
    for n in range(count):
        made.append(_awaiting(cast).reference)
        made.append(_sent_to_strategy(cast).reference)
        made.append(_discussion(cast, n).referral.reference)
    return made


def discussion_rows(cast, count):
    return [_discussion(cast, n).referral.reference for n in range(count)]


def action_rows(cast, count):
    """Open actions for the police decision maker, or for the police with no one named."""
    made = []
    for n in range(count):
        description = f"Check the address of {_name()}."
        strategy.action_add(
            discussion=_discussion(cast, n),
            by=cast.decision_maker,
            description=description,
            owner_agency=cast.police,
            owner=cast.police_decision_maker if n % 2 else None,
            due_on=timezone.localdate() + timedelta(days=n + 1),
        )
        made.append(description)
    return made


# Disclosures


def application_rows(cast, count):
    """Right to Ask applications, each about a new subject and applicant; every other one checked,
    verified and with a researcher."""
    made = []
    for n in range(count):
        applicant = _person()
        application = disclosures.application_create(
            by=cast.data_admin,
            scheme=Scheme.RIGHT_TO_ASK,
            route=Route.PHONE,
            circumstances="New partner; a friend says he was violent to his last partner.",
            people=[
                disclosures.PersonInput(role=PersonRole.SUBJECT, person=_person()),
                disclosures.PersonInput(role=PersonRole.APPLICANT, person=applicant),
                disclosures.PersonInput(role=PersonRole.AT_RISK, person=applicant),
            ],
            applicant_relation="Herself: his partner",
        )
        if n % 2:
            disclosures.initial_check_record(
                application=application, by=cast.data_admin, immediate_risk=False, notes="No risk now."
            )
            disclosures.verification_record(
                application=application,
                by=cast.data_admin,
                identity_method="Passport seen",
                meeting_at=timezone.now(),
            )
            disclosures.researcher_assign(
                application=application, by=cast.data_admin, researcher=cast.police_researcher
            )
        made.append(application.reference)
    return made


# Missing persons


def _episode(cast, child, *, risk=Risk.MEDIUM, days_ago=0):
    now = timezone.now() - timedelta(days=days_ago)
    return missing.episode_create(
        by=cast.data_admin,
        data=missing.EpisodeInput(
            person=child,
            reported_at=now - timedelta(hours=1),
            reported_by="A parent",
            reporter_kind=ReporterKind.PARENT,
            last_seen_at=now - timedelta(hours=4),
            last_seen_place="Ipswich bus station",
            risk=risk,
            risk_rationale="Fourteen, phone off, seen with older males.",
        ),
    )


def episode_rows(cast, count):
    """Open episodes of new children at each risk; every other child back home, the interview due."""
    made = []
    for n in range(count):
        child = _child()
        episode = _episode(cast, child, risk=[Risk.HIGH, Risk.MEDIUM, Risk.LOW][n % 3])
        if n % 2:
            missing.episode_return(
                episode=episode,
                by=cast.data_admin,
                found_at=timezone.now() - timedelta(minutes=30),
                found_place="Home",
                found_by="PC Lee",
                wellbeing_confirmed=True,
            )
        made.append(child.given_name)
    return made


def flag_rows(cast, count):
    """Children missing three times this month: the repeat trigger flags each."""
    made = []
    for _ in range(count):
        child = _child()
        for days in (20, 10, 0):
            _episode(cast, child, days_ago=days)
        made.append(child.given_name)
    return made


def dashboard_rows(cast, count):
    return episode_rows(cast, count) + flag_rows(cast, 1)


def import_rows(cast, count):
    """Import batches of the sample file, by the data administrator and by colleagues."""
    made = []
    for n in range(count):
        by = cast.data_admin if n % 2 else member(cast.police, Role.DATA_ADMINISTRATOR, username=_name())
        filename = f"{_name()}.csv"
        missing.import_reports(by=by, content=missing.sample_csv().encode(), filename=filename)
        made.append(filename)
    return made


# The core


def notification_rows(cast, count):
    """Delivered in-app messages to the triage practitioner, about different records."""
    made = []
    for _ in range(count):
        title = f"Referral of {_name()}"
        notifications.notify(
            recipients=[cast.triage],
            event="perf",
            idempotency_key=title,
            title=title,
            subject=_person(),
            channels=[Channel.IN_APP],
        )
        made.append(title)
    return made


def person_rows(cast, count):
    return [_person().given_name for _ in range(count)]


def agency_rows(cast, count):
    return [AgencyFactory(name=f"{_name()} Academy Trust").name for _ in range(count)]


def access_log_rows(cast, count):
    """Reads and refusals of different people by different users."""
    users = [cast.triage, cast.police_researcher, cast.outsider]
    made = []
    for n in range(count):
        person = _person()
        action = AccessAction.DENIED if users[n % 3] == cast.outsider else AccessAction.VIEW
        access_log_write(user=users[n % 3], obj=person, action=action)
        made.append(person.given_name)
    return made


def break_glass_rows(cast, count):
    """Break-glass openings of disclosure applications by different police MASH managers (the rule
    that lets them), waiting for review."""
    made = []
    application_rows(cast, count)
    for application in Application.objects.order_by("-pk")[:count]:
        manager = member(cast.police, Role.MASH_MANAGER, username=_name())
        break_glass_open(user=manager, obj=application, reason="Child at immediate risk tonight")
        made.append(manager.username)
    return made


def dissemination_rows(cast, count):
    made = []
    for n in range(count):
        person = _person()
        organisation = f"{_name()} Primary School"
        dissemination_record(
            by=cast.triage,
            approved_by=[cast.decision_maker, cast.manager][n % 2],
            recipient_name="Head teacher",
            recipient_organisation=organisation,
            method="email",
            what=f"Summary of the safety plan for {person.given_name}",
            lawful_basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
            need="The school must know who may collect the child",
            record=person,
            person=person,
        )
        made.append(organisation)
    return made


# Through grants: the user's agency sees these because it was asked, or invited


@dataclass
class Made:
    shown: list[str] = field(default_factory=list)  # the user's agency was granted these
    hidden: list[str] = field(default_factory=list)  # only other agencies were (or no one)

    def __iadd__(self, other: "Made") -> "Made":
        self.shown += other.shown
        self.hidden += other.hidden
        return self


def _asked(cast, referral, *agencies):
    """Ask ``agencies`` about a referral in information gathering: each is granted the referral, its
    request and the referral's subjects."""
    request_services.information_requests_send(
        referral=referral,
        by=cast.triage,
        requests=[RequestInput(agency=agency, questions="What do you know?") for agency in agencies],
    )
    return referral


def _subject_names(referral) -> list[str]:
    return [link.person.given_name for link in referral.subjects.select_related("person")]


def asked_referral_rows(cast, count):
    """Referrals the police were asked about (every other one with health asked too); beside them a
    referral only health was asked about and one no agency was asked about."""
    made = Made()
    for n in range(count):
        agencies = [cast.police, cast.health] if n % 2 else [cast.police]
        made.shown.append(_asked(cast, _gathering(cast), *agencies).reference)
    made.hidden.append(_asked(cast, _gathering(cast), cast.health).reference)
    made.hidden.append(_referral(cast, 0).reference)
    return made


def granted_person_rows(cast, count):
    """The subjects of referrals the police were asked about; beside them the subjects of a referral
    only health was asked about, and a person no agency was granted."""
    made = Made()
    for n in range(count):
        agencies = [cast.police, cast.health] if n % 2 else [cast.police]
        made.shown += _subject_names(_asked(cast, _gathering(cast), *agencies))  # two children each
    made.hidden += _subject_names(_asked(cast, _gathering(cast), cast.health))
    made.hidden.append(_person().given_name)
    return made


def invited_discussion_rows(cast, count):
    """Discussions the police are invited to (every other one with health too); beside them one only
    health is invited to."""
    made = Made(shown=[_discussion(cast, n).referral.reference for n in range(count)])
    hidden = strategy.discussion_convene(
        referral=_sent_to_strategy(cast),
        by=cast.decision_maker,
        scheduled_at=timezone.now().replace(second=0, microsecond=0),  # the referral came in this minute
        mode=Mode.MEETING,
        chair=cast.decision_maker,
        invitees=[strategy.Invitee(agency=cast.health)],
    )
    made.hidden.append(hidden.referral.reference)
    return made


def _repeat_missing_referral(cast):
    """A child missing three times this month, the repeat flag referred to the MASH (the episodes
    attached to the referral), and the referral moved to information gathering."""
    child = _child()
    for days in (20, 10, 0):
        _episode(cast, child, days_ago=days)
    flag = RepeatFlag.objects.get(person=child, status=FlagStatus.OPEN)
    referral = missing.flag_refer(flag=flag, by=cast.data_admin)
    return child, move_to(referral, State.INFORMATION_GATHERING, cast)


def asked_episode_rows(cast, count):
    """Episodes attached to referrals health was asked about (every other one with the police too);
    beside them the episodes of a referral only the police were asked about, and a child's episode on no
    referral."""
    made = Made()
    for n in range(count):
        child, referral = _repeat_missing_referral(cast)
        _asked(cast, referral, *([cast.health, cast.police] if n % 2 else [cast.health]))
        made.shown.append(child.given_name)
    child, referral = _repeat_missing_referral(cast)
    _asked(cast, referral, cast.police)
    made.hidden.append(child.given_name)
    alone = _child()
    _episode(cast, alone)
    made.hidden.append(alone.given_name)
    return made


GRANTED_ROWS = {
    "triage queue (asked agency)": asked_referral_rows,
    "api referrals (asked agency)": asked_referral_rows,
    "people (granted to the agency)": granted_person_rows,
    "api people (granted to the agency)": granted_person_rows,
    "strategy discussions (invited agency)": invited_discussion_rows,
    "api strategy discussions (invited agency)": invited_discussion_rows,
    "api missing episodes (asked agency)": asked_episode_rows,
}


ROWS = {
    "referrals:queue": referral_rows,
    "referrals:consultations": consultation_rows,
    "referrals:agency_inbox": information_request_rows,
    "strategy:queue": strategy_queue_rows,
    "strategy:discussions": discussion_rows,
    "strategy:actions": action_rows,
    "disclosures:queue": application_rows,
    "missing_persons:dashboard": dashboard_rows,
    "missing_persons:episodes": episode_rows,
    "notifications:inbox": notification_rows,
    "people:list": person_rows,
    "sharing:access_log": access_log_rows,
    "sharing:break_glass_reviews": break_glass_rows,
    "sharing:disseminations": dissemination_rows,
    "api-agencies": agency_rows,
    "api-notifications": notification_rows,
    "api-people": person_rows,
    "api-referrals": referral_rows,
    "api-consultations": consultation_rows,
    "api-information-requests": information_request_rows,
    "api-threshold-queue": threshold_queue_rows,
    "api-threshold-decisions": threshold_decision_rows,
    "api-strategy-discussions": discussion_rows,
    "api-strategy-actions": action_rows,
    "api-disclosure-applications": application_rows,
    "api-missing-episodes": episode_rows,
    "api-missing-dashboard": dashboard_rows,
    "api-repeat-flags": flag_rows,
    "api-missing-imports": import_rows,
}
