"""Known open and closed work at known ages and assignees, for the workload dashboard's tests.

Referrals are received at chosen times through the services; requests are sent through the services
and then placed in time (their sent time and their clock's due time set on the rows) so that each
falls in a known age band and is, or is not, overdue.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from mash.clocks.models import Clock
from referrals.models import InformationRequest, Referral, State
from referrals.requests import services as request_services
from referrals.requests.services import RequestInput
from referrals.services import referral_assign
from tests.referrals.factories import make_referral, move_to

DAY = timedelta(days=1)


@dataclass
class Workload:
    now: datetime
    referrals: dict[str, Referral] = field(default_factory=dict)
    requests: dict[str, InformationRequest] = field(default_factory=dict)


def _referral(cast, now, days: float, state: str, assignee=None) -> Referral:
    referral = make_referral(by=cast.triage, received_at=now - days * DAY)
    referral = move_to(referral, state, cast=cast)
    if state not in (State.RECEIVED, State.CLOSED):
        # Screening assigns the screener: each is then given its assignee, or no one.
        referral = referral_assign(referral=referral, by=cast.triage, assignee=assignee)
    return referral


def _place(request: InformationRequest, now, *, days: float, due_in_days: float) -> InformationRequest:
    sent_at = now - days * DAY
    due_at = now + due_in_days * DAY
    InformationRequest.objects.filter(pk=request.pk).update(sent_at=sent_at, due_at=due_at)
    Clock.objects.filter(pk=request.clock_id).update(started_at=sent_at, due_at=due_at)
    request.refresh_from_db()
    return request


def build(cast) -> Workload:
    """Seven referrals (six open), four requests (three open):

    ==  =======  =============================  ===========  ==========================
        age      state                          assignee     requests
    ==  =======  =============================  ===========  ==========================
    R1  12 h     received                       no one
    R2  2 d      screening                      triage
    R3  5 d      information gathering          manager      Q1 police, Q2 health
    R4  10 d     awaiting threshold decision    triage
    R5  40 d     decided                        no one
    R6  20 d     closed (now)                   no one
    R7  30 d     information gathering          no one       Q3 police, Q4 health (withdrawn)
    ==  =======  =============================  ===========  ==========================

    Q1: sent 4 days ago, due a day ago (overdue), not claimed. Q2: sent 4 days ago, due tomorrow, not
    claimed. Q3: sent 10 days ago, due 8 days ago (overdue), claimed by the police researcher.
    """
    now = timezone.now()
    work = Workload(now=now)
    work.referrals = {
        "R1": _referral(cast, now, 0.5, State.RECEIVED),
        "R2": _referral(cast, now, 2, State.SCREENING, cast.triage),
        "R3": _referral(cast, now, 5, State.INFORMATION_GATHERING, cast.manager),
        "R4": _referral(cast, now, 10, State.AWAITING_THRESHOLD_DECISION, cast.triage),
        "R5": _referral(cast, now, 40, State.DECIDED),
        "R6": _referral(cast, now, 20, State.CLOSED),
        "R7": _referral(cast, now, 30, State.INFORMATION_GATHERING),
    }
    q1, q2 = request_services.information_requests_send(
        referral=work.referrals["R3"],
        by=cast.triage,
        requests=[
            RequestInput(agency=cast.police, questions="Any police contact?"),
            RequestInput(agency=cast.health, questions="Any health contact?"),
        ],
    )
    q3, q4 = request_services.information_requests_send(
        referral=work.referrals["R7"],
        by=cast.triage,
        requests=[
            RequestInput(agency=cast.police, questions="Any police contact?"),
            RequestInput(agency=cast.health, questions="Any health contact?"),
        ],
    )
    request_services.information_request_claim(request=q3, by=cast.police_researcher)
    q4 = request_services.information_request_withdraw(request=q4, by=cast.triage, reason="Not needed.")
    work.requests = {
        "Q1": _place(q1, now, days=4, due_in_days=-1),
        "Q2": _place(q2, now, days=4, due_in_days=1),
        "Q3": _place(q3, now, days=10, due_in_days=-8),
        "Q4": q4,
    }
    return work
