"""Known data for the quality dashboard's tests (tests/measures/test_quality*.py), built through the
services and then moved into March 2025 (``PERIOD``): four referrals, the police and health answering.

             answered      due           on time  entries (nothing known)  relied on  rated
  R1 police  10 Mar 11:00  10 Mar 12:00  yes      2 (1) graded 1B P        yes        sufficient
  R1 health  11 Mar 09:00  10 Mar 12:00  no       2 (1)                    yes        not sufficient
  R2 police  13 Mar 09:00  12 Mar 12:00  no       1 graded 2C C            yes        not sufficient
  R2 health  12 Mar 10:00  12 Mar 12:00  yes      1                        no         -
  R3 police  14 Mar 09:00  14 Mar 12:00  yes      1 not graded             no         -
  R4 police  2 Apr (out of the period)

Addenda: two to R1's police answer and one to R2's health answer in March, one to R2's police answer in
April (out of the period).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from mash.clocks.models import Clock
from mash.measures.periods import Period
from referrals.models import InformationRequest, ResponseEntry
from referrals.requests import services as request_services
from strategy import services as strategy_services
from strategy.models import AnswerRating
from tests.factories import PersonFactory
from tests.information_requests.support import (
    answer,
    ask,
    health_entry,
    police_entry,
    referral_in_gathering,
)

PERIOD = Period(date(2025, 3, 1), date(2025, 3, 31))
PERIOD_PARAMS = {"period": "dates", "since": "2025-03-01", "until": "2025-03-31"}
HEALTH_REASON = "No dates for the missed appointments."
POLICE_REASON = '<script>alert(1)</script>=HYPERLINK("http://evil")'


def at(day: int, hour: int, month: int = 3) -> datetime:
    return timezone.make_aware(datetime(2025, month, day, hour))


@dataclass
class Built:
    r1_police: InformationRequest
    r1_health: InformationRequest
    r2_police: InformationRequest
    r2_health: InformationRequest
    r3_police: InformationRequest
    r4_police: InformationRequest


def _answered(request, when, due):
    InformationRequest.objects.filter(pk=request.pk).update(answered_at=when, due_at=due)
    Clock.objects.filter(pk=request.clock_id).update(started_at=due - timedelta(days=1), due_at=due)


def _addendum(request, by, when, person):
    make = police_entry if request.agency.kind == "police" else health_entry
    entry = request_services.response_addendum_add(
        request=request, by=by, data=make(person, summary="Later."), reason="Found more."
    )
    ResponseEntry.objects.filter(pk=entry.pk).update(created_at=when)


def build(cast) -> Built:
    child, sibling = PersonFactory(), PersonFactory()
    r1 = referral_in_gathering(cast, child, sibling)
    r1_police, r1_health = ask(r1, cast.triage, cast.police, cast.health)
    r2 = referral_in_gathering(cast, PersonFactory())
    r2_police, r2_health = ask(r2, cast.triage, cast.police, cast.health)
    r3 = referral_in_gathering(cast, PersonFactory())
    [r3_police] = ask(r3, cast.triage, cast.police)
    r4 = referral_in_gathering(cast, PersonFactory())
    [r4_police] = ask(r4, cast.triage, cast.police)
    for request in (r1_police, r2_police, r3_police, r4_police):
        answer(request, cast.police_researcher)
    for request in (r1_health, r2_health):
        answer(request, cast.health_researcher)
    r2_police.entries.update(
        source_evaluation="2",
        intelligence_assessment="C",
        handling_code="C",
        handling_conditions="MASH only.",
    )
    r3_police.entries.update(source_evaluation="", intelligence_assessment="", handling_code="")
    _answered(r1_police, at(10, 11), at(10, 12))
    _answered(r1_health, at(11, 9), at(10, 12))
    _answered(r2_police, at(13, 9), at(12, 12))
    _answered(r2_health, at(12, 10), at(12, 12))
    _answered(r3_police, at(14, 9), at(14, 12))
    _answered(r4_police, at(2, 9, month=4), at(2, 12, month=4))
    _addendum(r1_police, cast.police_researcher, at(15, 9), child)
    _addendum(r1_police, cast.police_researcher, at(16, 9), child)
    _addendum(r2_health, cast.health_researcher, at(17, 9), r2.subjects.get().person)
    _addendum(r2_police, cast.police_researcher, at(3, 9, month=4), r2.subjects.get().person)
    for referral in (r1, r2):
        referral.refresh_from_db()
    strategy_services.threshold_decide(
        referral=r1,
        by=cast.decision_maker,
        required=True,
        rationale="Injury and police intelligence.",
        answers=[r1_police, r1_health],
        ratings=[
            strategy_services.RatingInput(request=r1_police, sufficient=True),
            strategy_services.RatingInput(request=r1_health, sufficient=False, reason=HEALTH_REASON),
        ],
    )
    strategy_services.threshold_decide(
        referral=r2,
        by=cast.decision_maker,
        required=True,
        rationale="Police intelligence.",
        answers=[r2_police],
        ratings=[strategy_services.RatingInput(request=r2_police, sufficient=False, reason=POLICE_REASON)],
    )
    AnswerRating.objects.update(rated_at=at(20, 10))
    return Built(r1_police, r1_health, r2_police, r2_health, r3_police, r4_police)
