"""The rest of what the dashboards measure, in proportion to the benchmark's referrals: disclosure
applications with their clocks, the ratings of the answers threshold decisions relied on, the return
home interviews of the children found and the repeat-missing flags, the consultations that became
referrals, and the information requests' clocks under the kind the service gives them. With
bench/data/discussions.py (the strategy work), written by ``make_measured_work``, which reads what it
needs from the database: ``bench_data --if-empty`` adds each part missing from a database built before
it.
"""

import bisect
from datetime import timedelta

from django.db import connection

from bench.data.bulk import copy_rows
from bench.data.discussions import _next_id, make_strategy_work, rate_answers
from bench.data.reference import NOW, YEARS
from bench.data.staff import Staff, staff
from disclosures.models import Application, Outcome, Route, Scheme, Stage
from mash.clocks.models import Clock, ClockBasis
from missing_persons.models import Episode, FlagStatus, InterviewStatus, RepeatFlag, ReturnInterview
from referrals.models import Consultation, Referral
from referrals.requests.services.asking import REQUEST_CLOCK
from strategy.models import AnswerRating, StrategyDiscussion

DISCLOSURES_PER_REFERRAL = 1 / 25  # about 2,000 applications a year for 50,000 contacts
OPEN_DAYS = 60


def _clock(clock_id, kind, basis, amount, started, due, stopped) -> dict:
    stopped = stopped if stopped is not None and stopped <= NOW else None
    return {
        "id": clock_id,
        "created_at": started,
        "updated_at": stopped or started,
        "kind": kind,
        "basis": basis,
        "amount": amount,
        "started_at": started,
        "due_at": due,
        "stopped_at": stopped,
        "breached_at": stopped if stopped and stopped > due else None,
    }


def make_disclosures(rng, people: Staff, total: int) -> int:
    span = timedelta(days=365 * YEARS)
    first = NOW - span
    clock_id = _next_id(Clock)
    clocks, applications = [], []
    for n in range(1, total + 1):
        received = first + span * (n / total)
        scheme = rng.choices(Scheme.values, [55, 25, 20])[0]
        days = 45 if scheme == Scheme.SARAHS_LAW else 28
        open_ = NOW - received < timedelta(days=OPEN_DAYS) and rng.random() < 0.6
        decided = None if open_ else received + timedelta(days=rng.uniform(5, days * 1.25))
        checked = received + timedelta(hours=rng.uniform(1, 30))
        ids = {"clock": clock_id, "initial_check_clock": clock_id + 1, "meeting_clock": None}
        clocks.append(
            _clock(
                clock_id,
                "disclosure decision",
                ClockBasis.CALENDAR_DAYS,
                days,
                received,
                received + timedelta(days=days),
                decided,
            )
        )
        clocks.append(
            _clock(
                clock_id + 1,
                "disclosure initial risk checks",
                ClockBasis.CALENDAR_HOURS,
                24,
                received,
                received + timedelta(hours=24),
                checked,
            )
        )
        clock_id += 2
        if scheme == Scheme.SARAHS_LAW:
            met = received + timedelta(days=rng.uniform(2, 13))
            clocks.append(
                _clock(
                    clock_id,
                    "disclosure interview",
                    ClockBasis.CALENDAR_DAYS,
                    10,
                    received,
                    received + timedelta(days=10),
                    met,
                )
            )
            ids["meeting_clock"] = clock_id
            clock_id += 1
        outcome = "" if open_ else rng.choices(Outcome.values, [40, 45, 15])[0]
        applications.append(
            {
                "created_at": received,
                "updated_at": decided or received,
                "reference": f"DISC-{received.year}-{n:06d}",
                "scheme": scheme,
                "route": Route.POLICE if scheme == Scheme.RIGHT_TO_KNOW else rng.choice(Route.values[:4]),
                "received_at": received,
                "recorded_by": rng.choice(people.police_admins),
                "circumstances": "The applicant is worried about a new partner's past.",
                "stage": rng.choice(Stage.values[:5]) if open_ else Stage.CLOSED,
                "outcome": outcome,
                "initial_check_at": checked if checked <= NOW else None,
                "closed_at": decided,
                **ids,
            }
        )
    copy_rows(Clock, clocks)
    copy_rows(Application, applications)
    return len(applications)


def make_interviews_and_flags(rng, people: Staff) -> tuple[int, int]:
    """A return home interview (72 hours) for every child found; a repeat flag for one in thirty."""
    clock_id = _next_id(Clock)
    clocks, interviews, flags = [], [], []
    episodes = Episode.objects.filter(found_at__isnull=False).order_by("pk")
    for pk, person, is_child, found in episodes.values_list("pk", "person_id", "is_child", "found_at"):
        if rng.random() < 1 / 30:
            flags.append(
                {
                    "created_at": found,
                    "updated_at": found,
                    "person": person,
                    "raised_at": found,
                    "status": rng.choice(FlagStatus.values),
                }
            )
        if not is_child:
            continue
        due = found + timedelta(hours=72)
        status = rng.choices(InterviewStatus.values, [5, 10, 72, 13])[0]
        status = InterviewStatus.DUE if due > NOW and rng.random() < 0.5 else status
        offered = found + timedelta(hours=rng.uniform(2, 60)) if status != InterviewStatus.DUE else None
        done = offered + timedelta(hours=rng.uniform(1, 40)) if status == InterviewStatus.DONE else None
        if done and done > NOW:
            status, done = InterviewStatus.OFFERED, None
        stopped = done or (offered if status == InterviewStatus.DECLINED else None)
        clocks.append(
            _clock(clock_id, "return home interview", ClockBasis.CALENDAR_HOURS, 72, found, due, stopped)
        )
        agency = people.asked_agency(rng)
        interviews.append(
            {
                "created_at": found,
                "updated_at": stopped or found,
                "episode": pk,
                "clock": clock_id,
                "status": status,
                "agency": agency,
                "interviewer": rng.choice(people.researchers_of(agency)) if offered else None,
                "offered_at": offered if offered and offered <= NOW else None,
                "done_at": done,
            }
        )
        clock_id += 1
    copy_rows(Clock, clocks)
    copy_rows(ReturnInterview, interviews)
    copy_rows(RepeatFlag, flags)
    return len(interviews), len(flags)


def link_consultations(rng) -> int:
    """Of the calls advised to refer, three in five became a referral: the next one received after it."""
    rows = list(Referral.objects.order_by("received_at").values_list("received_at", "pk"))
    times = [at for at, _ in rows]
    taken, links = set(), []
    advised = Consultation.objects.filter(referral_advised=True, referral__isnull=True).order_by("pk")
    for pk, called in advised.values_list("pk", "called_at"):
        index = bisect.bisect_right(times, called + timedelta(hours=rng.uniform(1, 48)))
        if rng.random() < 0.6 and index < len(rows) and rows[index][1] not in taken:
            taken.add(rows[index][1])
            links.append((rows[index][1], pk))
    with connection.cursor() as cursor:
        cursor.executemany("UPDATE referrals_consultation SET referral_id = %s WHERE id = %s", links)
    return len(links)


def missing_parts() -> list[str]:
    """The parts not in the database yet (all of them in a database built before they were)."""
    present = {
        "strategy work": StrategyDiscussion.objects.exists(),
        "answer ratings": AnswerRating.objects.exists(),
        "disclosure applications": Application.objects.exists(),
        "return home interviews": ReturnInterview.objects.exists(),
        "consultations that became referrals": Consultation.objects.filter(referral__isnull=False).exists(),
        "request clocks' kind": not Clock.objects.filter(kind="information request").exists(),
    }
    return [part for part, there in present.items() if not there]


def make_measured_work(rng, out=lambda line: None) -> None:
    """Each part that is missing, in turn."""
    people, missing = staff(), missing_parts()
    if "strategy work" in missing:
        out(f"strategy work: {make_strategy_work(rng, people)}")
    if "answer ratings" in missing:
        out(f"answers rated: {rate_answers()}")
    if "disclosure applications" in missing:
        total = round(Referral.objects.count() * DISCLOSURES_PER_REFERRAL)
        out(f"disclosure applications: {make_disclosures(rng, people, total)}")
    if "return home interviews" in missing:
        out(f"return home interviews and repeat flags: {make_interviews_and_flags(rng, people)}")
    if "consultations that became referrals" in missing:
        out(f"consultations that became referrals: {link_consultations(rng)}")
    if "request clocks' kind" in missing:
        with connection.cursor() as cursor:
            # (a database built before the bench gave them the service's kind)
            cursor.execute(
                "UPDATE clocks_clock SET kind = %s WHERE kind = 'information request'", [REQUEST_CLOCK]
            )
            out(f"information request clocks given their kind: {cursor.rowcount}")
