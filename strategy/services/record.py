"""The discussion's record: attendance, notes, decisions for each subject, sign-off, addenda, and the
follow-on clock of a section 47 enquiry that finds continuing risk."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mash.agencies.selectors import actor_for
from mash.clocks.models import ClockBasis
from mash.clocks.services import clock_start, clock_stop
from mash.common.dates import format_date
from mash.common.errors import require, require_role
from mash.common.versioning import lock_for_change, save_change
from mash.notifications.services import notify
from mash.people.models import Person
from referrals import services as referral_services
from referrals.models import EventKind, Outcome, ReferralKind, ReferralSubject, SubjectRole
from strategy import policy
from strategy.models import (
    ADULT_DECISIONS,
    CHILD_DECISIONS,
    SECTION_47,
    Addendum,
    Attendance,
    Decision,
    DiscussionStatus,
    Section47Finding,
    StrategyDiscussion,
    SubjectDecision,
)
from strategy.services.access import sync_access
from strategy.services.common import agency_contacts, discussion_url, locked_open

CONFERENCE_CLOCK = "initial child protection conference"
CONFERENCE_WORKING_DAYS = 15  # Working Together 2023: within 15 working days of the last strategy discussion


def decisions_for(kind: str) -> tuple:
    return ADULT_DECISIONS if kind == ReferralKind.ADULT else CHILD_DECISIONS


# The people of a child referral who are children whatever their age is known to be; a household member
# is one when born less than 18 years before the referral came in.
CHILD_ROLES = (SubjectRole.SUBJECT, SubjectRole.SIBLING)


def _under_18(person: Person, on) -> bool:
    born = person.date_of_birth
    return born is not None and on.year - born.year - ((on.month, on.day) < (born.month, born.day)) < 18


def decided_for(referral) -> list[ReferralSubject]:
    """The referral's people the discussion makes a decision for, each with their role: every child of
    a child referral (its subjects, their siblings, a household member under 18), the subjects of an
    adult one. Parents, carers and alleged perpetrators have none."""
    links = list(referral.subjects.select_related("person"))
    if referral.kind == ReferralKind.ADULT:
        return [link for link in links if link.role == SubjectRole.SUBJECT]
    received = timezone.localdate(referral.received_at)
    return [
        link
        for link in links
        if link.role in CHILD_ROLES
        or (link.role == SubjectRole.HOUSEHOLD_MEMBER and _under_18(link.person, received))
    ]


def subjects_of(discussion: StrategyDiscussion) -> list[Person]:
    """The people the discussion decides about (``decided_for``)."""
    return [link.person for link in decided_for(discussion.referral)]


def _manage(by, discussion: StrategyDiscussion) -> None:
    require_role(
        policy.may_manage(actor_for(by), discussion),
        "Only the chair or a lead decision maker may record the discussion.",
    )


@transaction.atomic
def attendance_record(
    *, discussion: StrategyDiscussion, by, attendance: dict[int, str], expected_version: int | None = None
) -> StrategyDiscussion:
    """Record who attended, sent apologies or was absent: ``{invitation id: attendance}``."""
    discussion = locked_open(discussion, expected_version)
    _manage(by, discussion)
    invitations = {i.pk: i for i in discussion.invitations.all()}
    for pk, value in attendance.items():
        require(pk in invitations, {"attendance": "That person or agency is not invited to this discussion."})
        require(value in Attendance.values, {f"attendance-{pk}": f"{value!r} is not an attendance."})
    for pk, value in attendance.items():
        invitations[pk].attendance = value
        invitations[pk].save(update_fields=["attendance"])
    save_change(discussion, [])
    return discussion


@transaction.atomic
def record_update(
    *, discussion: StrategyDiscussion, by, notes: str, rationale: str, expected_version: int | None = None
) -> StrategyDiscussion:
    discussion = locked_open(discussion, expected_version)
    _manage(by, discussion)
    discussion.notes, discussion.rationale = notes.strip(), rationale.strip()
    save_change(discussion, ["notes", "rationale"])
    return discussion


@dataclass(frozen=True)
class DecisionInput:
    person: Person
    decision: str
    rationale: str = ""


@transaction.atomic
def decisions_record(
    *,
    discussion: StrategyDiscussion,
    by,
    decisions: list[DecisionInput],
    expected_version: int | None = None,
) -> list[SubjectDecision]:
    """The decision for every child of the referral (``decided_for``), all at once, replacing any recorded
    before while the record is open. Every problem is named at once: each child without a decision
    (``decision-<person id>``), each decision that is not one for the referral's kind."""
    discussion = locked_open(discussion, expected_version)
    _manage(by, discussion)
    subjects = {p.pk: p for p in subjects_of(discussion)}
    allowed = decisions_for(discussion.referral.kind)
    kind = "an adult" if discussion.referral.kind == ReferralKind.ADULT else "a child"
    errors = {}
    given = [item.person.pk for item in decisions]
    for item in decisions:
        if item.person.pk not in subjects:
            errors["decisions"] = f"{item.person} is not a child this discussion decides about."
        elif given.count(item.person.pk) > 1:
            errors["decisions"] = f"Give one decision for {item.person.full_name}."
        elif item.decision not in allowed:
            errors[f"decision-{item.person.pk}"] = (
                f"Choose one of the decisions for {kind} for {item.person.full_name}."
            )
    for pk, person in subjects.items():
        if pk not in given:
            errors[f"decision-{pk}"] = f"Choose the decision for {person.full_name}."
    require(not errors, errors)
    saved = []
    for item in decisions:
        row, _ = SubjectDecision.objects.update_or_create(
            discussion=discussion,
            person=item.person,
            defaults={"decision": item.decision, "rationale": item.rationale.strip()},
        )
        saved.append(row)
    save_change(discussion, [])
    return saved


def _referral_outcome(kind: str, decisions: list[str]) -> str:
    """The referral's outcome from the subjects' decisions: the most serious one."""
    if kind == ReferralKind.ADULT:
        order = [
            (Decision.SECTION_42_ENQUIRY, Outcome.SECTION_42_ENQUIRY),
            (Decision.OTHER_ENQUIRY, Outcome.OTHER_ENQUIRY),
            (Decision.POLICE_INVESTIGATION, Outcome.OTHER_ENQUIRY),
            (Decision.INFORMATION_AND_ADVICE, Outcome.INFORMATION_AND_ADVICE),
        ]
    else:
        order = [
            (Decision.S47_JOINT, Outcome.STRATEGY_DISCUSSION),
            (Decision.S47_SINGLE, Outcome.STRATEGY_DISCUSSION),
            (Decision.POLICE_INVESTIGATION, Outcome.STRATEGY_DISCUSSION),
            (Decision.CHILD_AND_FAMILY_ASSESSMENT, Outcome.CHILD_AND_FAMILY_ASSESSMENT),
            (Decision.EARLY_HELP, Outcome.EARLY_HELP),
        ]
    for decision, outcome in order:
        if decision in decisions:
            return outcome
    return Outcome.NO_FURTHER_ACTION


def sign_off_problems(discussion: StrategyDiscussion) -> dict[str, str]:
    """What is missing before the record can be signed off, by field."""
    problems = {}
    if timezone.now() < discussion.scheduled_at:
        problems["scheduled_at"] = (
            "The discussion has not started yet: re-schedule it if it was held earlier."
        )
    if discussion.invitations.filter(attendance="").exists():
        problems["attendance"] = "Record the attendance of everyone invited."
    decided = set(discussion.decisions.values_list("person_id", flat=True))
    missing = [p for p in subjects_of(discussion) if p.pk not in decided]
    if missing:
        problems["decisions"] = "Record the decision for " + ", ".join(p.full_name for p in missing) + "."
    if not discussion.rationale.strip():
        problems["rationale"] = "Give the rationale for the decisions."
    return problems


@transaction.atomic
def discussion_sign_off(
    *, discussion: StrategyDiscussion, by, expected_version: int | None = None
) -> StrategyDiscussion:
    """Lock the record. The strategy clock stops at the time the discussion was held, the referral
    takes its outcome from the decisions, and invitees who did not attend lose sight of what it
    considered."""
    discussion = locked_open(discussion, expected_version)
    _manage(by, discussion)
    problems = sign_off_problems(discussion)
    require(not problems, problems)
    now = timezone.now()
    discussion.status = DiscussionStatus.SIGNED_OFF
    discussion.signed_off_at, discussion.signed_off_by = now, by
    save_change(discussion, ["status", "signed_off_at", "signed_off_by"])
    clock = discussion.threshold_decision.strategy_clock
    clock_stop(clock=clock, stopped_at=max(discussion.scheduled_at, clock.started_at))
    decisions = list(discussion.decisions.select_related("person"))
    summary = "; ".join(f"{d.person.full_name}: {d.get_decision_display()}" for d in decisions)
    referral_services.timeline_add(
        discussion.referral,
        by=by,
        kind=EventKind.STRATEGY,
        note=f"Strategy discussion record signed off. {summary}",
    )
    referral_services.referral_record_strategy_outcome(
        referral=discussion.referral,
        by=by,
        outcome=_referral_outcome(discussion.referral.kind, [d.decision for d in decisions]),
        rationale=f"Strategy discussion of {format_date(discussion.scheduled_at)}: "
        f"{summary}.\n\n{discussion.rationale}",
    )
    sync_access(discussion)
    attendees = {}
    for invitation in discussion.invitations.select_related("user").filter(attendance=Attendance.ATTENDED):
        people = [invitation.user] if invitation.user_id else agency_contacts(invitation.agency_id)
        attendees.update({u.pk: u for u in people if u.is_active})
    notify(
        recipients=list(attendees.values()),
        event="strategy_discussion.signed_off",
        idempotency_key=f"strategy_discussion:{discussion.pk}:signed_off",
        title=f"Strategy discussion record signed off: {discussion.referral.reference}",
        body="The record of the strategy discussion is signed off. Your actions are in 'My actions'.",
        url=discussion_url(discussion),
        subject=discussion,
        channels=["in_app"],
    )
    return discussion


@transaction.atomic
def addendum_add(*, discussion: StrategyDiscussion, by, text: str) -> Addendum:
    """A later change to a signed-off record: the record stays as signed, the addendum follows it."""
    discussion = lock_for_change(discussion)
    _manage(by, discussion)
    require(
        discussion.status == DiscussionStatus.SIGNED_OFF,
        "Only a signed-off record takes addenda: change the record itself while it is open.",
    )
    require(bool(text.strip()), {"text": "Write the addendum."})
    addendum = Addendum.objects.create(discussion=discussion, text=text.strip(), by=by, at=timezone.now())
    save_change(discussion, [])
    referral_services.timeline_add(
        discussion.referral,
        by=by,
        kind=EventKind.STRATEGY,
        note=f"Addendum to the strategy discussion record: {addendum.text}",
    )
    return addendum


@transaction.atomic
def finding_record(*, decision: SubjectDecision, by, finding: str) -> SubjectDecision:
    """The finding of a section 47 enquiry. Continuing risk starts the initial child protection
    conference clock: 15 working days from the (last) strategy discussion."""
    decision = SubjectDecision.objects.select_for_update().select_related("discussion").get(pk=decision.pk)
    discussion = decision.discussion
    _manage(by, discussion)
    require(
        discussion.status == DiscussionStatus.SIGNED_OFF, "Record findings once the record is signed off."
    )
    require(
        decision.decision in SECTION_47, {"finding": "Findings are recorded for section 47 enquiries only."}
    )
    require(finding in Section47Finding.values, {"finding": "Choose the finding of the enquiry."})
    require(
        not decision.finding, {"finding": "The finding is already recorded: add an addendum to change it."}
    )
    now = timezone.now()
    decision.finding, decision.finding_at, decision.finding_by = finding, now, by
    if finding == Section47Finding.CONTINUING_RISK:
        decision.conference_clock = clock_start(
            kind=CONFERENCE_CLOCK,
            basis=ClockBasis.WORKING_DAYS,
            amount=CONFERENCE_WORKING_DAYS,
            started_at=discussion.scheduled_at,
        )
    decision.full_clean()
    decision.save()
    referral_services.timeline_add(
        discussion.referral,
        by=by,
        kind=EventKind.STRATEGY,
        note=f"Section 47 finding for {decision.person.full_name}: {decision.get_finding_display()}"
        + (
            f". Initial child protection conference due by {format_date(decision.conference_clock.due_at)}."
            if decision.conference_clock
            else ""
        ),
    )
    return decision


@transaction.atomic
def conference_held(*, decision: SubjectDecision, by, held_at=None) -> SubjectDecision:
    """The initial child protection conference took place: its clock stops."""
    decision = SubjectDecision.objects.select_for_update().get(pk=decision.pk)
    _manage(by, decision.discussion)
    require(decision.conference_clock_id is not None, "No conference is due for this decision.")
    held_at = held_at or timezone.now()
    require(held_at <= timezone.now(), {"held_at": "The conference cannot be held in the future."})
    require(
        held_at >= decision.conference_clock.started_at,
        {"held_at": "The conference cannot precede the discussion."},
    )
    clock_stop(clock=decision.conference_clock, stopped_at=held_at)
    return decision
