"""The strategy work of the benchmark's closed referrals, in proportion (the dashboards measure it).

About one closed referral in eight reached a threshold decision; three in four of those needed a
strategy discussion (their strategy clock started at the decision and stopped when the discussion was
held: a fifth of them late), which was held and signed off, decided for the main subject (a section 47
enquiry for most children, section 42 for adults), asked two agencies on average for an action each
(nine in ten done, some late) and, where a section 47 enquiry found continuing risk, started the
initial child protection conference clock (15 working days). The referral's outcome is then the
strategy discussion's (as signing off makes it), and each decision relied on most of the referral's
partner answers. Read from and written to the database as it is, so ``bench_data --if-empty`` adds it
to a database built before it.
"""

from datetime import timedelta

from django.db import connection
from django.db.models import Max

from bench.data.bulk import copy_rows, working_due
from bench.data.reference import NOW
from bench.data.staff import Staff
from mash.clocks.models import Clock, ClockBasis
from referrals.models import Referral, ReferralKind, ReferralSubject, State, SubjectRole
from strategy.models import (
    Action,
    ActionStatus,
    Addendum,
    Decision,
    DiscussionStatus,
    Mode,
    Section47Finding,
    StrategyDiscussion,
    SubjectDecision,
    ThresholdDecision,
)

SHARE_DECIDED = 0.125  # closed referrals that reached a threshold decision
SHARE_REQUIRED = 0.75  # of those, a strategy discussion needed
CHILD = [
    (Decision.S47_JOINT, 40),
    (Decision.S47_SINGLE, 20),
    (Decision.CHILD_AND_FAMILY_ASSESSMENT, 20),
    (Decision.POLICE_INVESTIGATION, 5),
    (Decision.EARLY_HELP, 5),
    (Decision.NO_FURTHER_ACTION, 10),
]
ADULT = [(Decision.SECTION_42_ENQUIRY, 70), (Decision.OTHER_ENQUIRY, 15), (Decision.NO_FURTHER_ACTION, 15)]


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def make_strategy_work(rng, staff: Staff) -> dict[str, int]:
    closed = Referral.objects.filter(state=State.CLOSED, outcome_at__isnull=False).order_by("pk")
    main_subject = dict(
        ReferralSubject.objects.filter(role=SubjectRole.SUBJECT).values_list("referral_id", "person_id")
    )
    clock_id, decision_id = _next_id(Clock), _next_id(ThresholdDecision)
    discussion_id = _next_id(StrategyDiscussion)
    clocks, decisions, discussions, subject_decisions, actions, addenda = [], [], [], [], [], []
    to_strategy = {ReferralKind.CHILD: [], ReferralKind.ADULT: []}
    for pk, kind, decided_at in closed.values_list("pk", "kind", "outcome_at").iterator(chunk_size=20_000):
        if rng.random() >= SHARE_DECIDED:
            continue
        required = rng.random() < SHARE_REQUIRED
        decision = {
            "id": decision_id,
            "created_at": decided_at,
            "updated_at": decided_at,
            "referral": pk,
            "required": required,
            "rationale": "Reasonable cause to suspect significant harm."
            if required
            else "The threshold for a strategy discussion is not met.",
            "information_relied_on": "The partner agencies' answers.",
            "decided_by": rng.choice(staff.deciders),
            "decided_at": decided_at,
            "strategy_clock": clock_id if required else None,
        }
        decisions.append(decision)
        decision_id += 1
        if not required:
            continue
        to_strategy[kind].append(pk)
        red = rng.random() < 0.25
        due = working_due(decided_at, 6 if red else 24)
        held = decided_at + timedelta(hours=rng.uniform(1, 20) if rng.random() < 0.8 else rng.uniform(24, 72))
        clocks.append(
            {
                "id": clock_id,
                "created_at": decided_at,
                "updated_at": held,
                "kind": "strategy discussion",
                "basis": ClockBasis.END_OF_WORKING_DAY if red else ClockBasis.WORKING_DAYS,
                "amount": 0 if red else 1,
                "started_at": decided_at,
                "due_at": due,
                "stopped_at": held,
                "breached_at": held if held > due else None,
            }
        )
        clock_id += 1
        chair = rng.choice(staff.deciders)
        discussions.append(
            {
                "id": discussion_id,
                "created_at": decided_at,
                "updated_at": held,
                "referral": pk,
                "threshold_decision": decision["id"],
                "status": DiscussionStatus.SIGNED_OFF,
                "scheduled_at": held,
                "mode": rng.choice(Mode.values),
                "chair": chair,
                "notes": "The agencies shared what they know and agreed the plan.",
                "rationale": "The decisions follow from the information shared.",
                "convened_by": chair,
                "convened_at": decided_at,
                "signed_off_at": held + timedelta(hours=2),
                "signed_off_by": chair,
            }
        )
        choice = rng.choices(*zip(*(CHILD if kind == ReferralKind.CHILD else ADULT), strict=True))[0]
        finding, conference = "", None
        if choice in (Decision.S47_JOINT, Decision.S47_SINGLE) and held < NOW - timedelta(days=15):
            finding = rng.choices(Section47Finding.values, [50, 25, 25])[0]
            if finding == Section47Finding.CONTINUING_RISK:
                conference = clock_id
                due_conf = working_due(held, 15 * 24 * 7 / 5)
                met = rng.random() < 0.8
                stopped = (
                    due_conf - timedelta(days=rng.uniform(0, 5))
                    if met
                    else due_conf + timedelta(days=rng.uniform(1, 10))
                )
                stopped = None if stopped > NOW else stopped
                clocks.append(
                    {
                        "id": clock_id,
                        "created_at": held,
                        "updated_at": stopped or held,
                        "kind": "initial child protection conference",
                        "basis": ClockBasis.WORKING_DAYS,
                        "amount": 15,
                        "started_at": held,
                        "due_at": due_conf,
                        "stopped_at": stopped,
                        "breached_at": stopped if stopped and stopped > due_conf else None,
                    }
                )
                clock_id += 1
        subject_decisions.append(
            {
                "created_at": held,
                "updated_at": held,
                "discussion": discussion_id,
                "person": main_subject[pk],
                "decision": choice,
                "rationale": "Agreed by the discussion.",
                "finding": finding,
                "finding_at": held + timedelta(days=10) if finding else None,
                "finding_by": chair if finding else None,
                "conference_clock": conference,
            }
        )
        for _ in range(rng.choice((1, 2, 2, 3))):
            due_on = (held + timedelta(days=rng.randint(3, 20))).date()
            due_end = held.replace(year=due_on.year, month=due_on.month, day=due_on.day) + timedelta(hours=12)
            done = due_end < NOW and rng.random() < 0.9
            completed = due_end + timedelta(days=rng.uniform(-10, 4)) if done else None
            agency = staff.asked_agency(rng)
            actions.append(
                {
                    "created_at": held,
                    "updated_at": completed or held,
                    "discussion": discussion_id,
                    "description": "Share the outcome of the home visit with the social worker.",
                    "owner_agency": agency,
                    "owner": rng.choice(staff.researchers_of(agency)),
                    "due_on": due_on,
                    "status": ActionStatus.DONE if done else ActionStatus.OPEN,
                    "created_by": chair,
                    "completed_at": min(max(completed, held), NOW) if completed else None,
                    "completed_by": chair if done else None,
                    "completion_note": "Done." if done else "",
                }
            )
        if rng.random() < 0.05:
            addenda.append(
                {
                    "discussion": discussion_id,
                    "text": "A correction.",
                    "by": chair,
                    "at": held + timedelta(days=3),
                }
            )
        discussion_id += 1
    copy_rows(Clock, clocks)
    copy_rows(ThresholdDecision, decisions)
    copy_rows(StrategyDiscussion, discussions)
    copy_rows(SubjectDecision, subject_decisions)
    copy_rows(Action, actions)
    copy_rows(Addendum, addenda)
    with connection.cursor() as cursor:
        # Signing off gives the referral the discussion's outcome (section 42 for adults).
        for kind, outcome in (
            (ReferralKind.CHILD, "strategy_discussion"),
            (ReferralKind.ADULT, "s42_enquiry"),
        ):
            cursor.execute(
                "UPDATE referrals_referral SET outcome = %s WHERE id = ANY(%s)", [outcome, to_strategy[kind]]
            )
        # Each decision relied on most of the referral's partner answers.
        cursor.execute(
            "INSERT INTO strategy_thresholddecision_answers_relied_on "
            "(thresholddecision_id, informationrequest_id) "
            "SELECT d.id, r.id FROM strategy_thresholddecision d "
            "JOIN referrals_informationrequest r ON r.referral_id = d.referral_id "
            "WHERE d.id >= %s AND r.status = 'answered' AND hashtext(r.id::text) %% 10 < 7",
            [decisions[0]["id"] if decisions else 0],
        )
    return {
        "threshold decisions": len(decisions),
        "strategy discussions": len(discussions),
        "actions": len(actions),
        "conference clocks": sum(1 for c in clocks if c["kind"].startswith("initial")),
    }


def rate_answers() -> int:
    """The optional rating of the answers a decision relied on: six in ten rated, nine in ten of those
    sufficient (by the decision's maker, when it was made)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO strategy_answerrating (created_at, updated_at, threshold_decision_id, request_id, "
            "sufficient, reason, rated_by_id, rated_at) "
            "SELECT d.decided_at, d.decided_at, d.id, r.request_id, r.h > 0, "
            "CASE WHEN r.h > 0 THEN '' ELSE 'It did not say whether the family is known.' END, "
            "d.decided_by_id, d.decided_at "
            "FROM (SELECT thresholddecision_id, informationrequest_id AS request_id, "
            "abs(hashtext(id::text)) % 10 AS h, abs(hashtext(id::text || 'rated')) % 10 AS rated "
            "      FROM strategy_thresholddecision_answers_relied_on) r "
            "JOIN strategy_thresholddecision d ON d.id = r.thresholddecision_id "
            "WHERE r.rated < 6"
        )
        return cursor.rowcount
