"""The information requests of every referral past screening, their answers, and the object grants the
sharing policy makes when an agency is asked (its request, the referral and the referral's subjects)."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from bench.data.build import Build
from bench.data.bulk import copy_rows, working_due
from bench.data.reference import DETAIL, KNOWN
from mash.agencies.models import AgencyKind
from mash.agencies.roles import Role
from mash.clocks.models import Clock, ClockBasis
from mash.people.models import Person, PersonGroupObjectPermission
from referrals.models import (
    InformationRequest,
    InformationRequestGroupObjectPermission,
    Rag,
    Referral,
    ReferralGroupObjectPermission,
    RequestStatus,
    ResponseEntry,
    State,
)
from referrals.requests.services.asking import REQUEST_CLOCK


def make_requests(build: Build) -> None:
    rng = build.rng
    perm = {
        model: Permission.objects.get(
            content_type=ContentType.objects.get_for_model(model),
            codename=f"view_{model._meta.model_name}",
        ).pk
        for model in (Referral, InformationRequest, Person)
    }
    weights = [a.weight for a in build.partners]
    hours = {Rag.RED: 4, Rag.AMBER: 24, Rag.GREEN: 72}
    clocks, requests, entries = [], [], []
    grants_referral, grants_request, grants_person = [], [], []
    people_granted = set()
    asked_states = (
        State.INFORMATION_GATHERING,
        State.AWAITING_THRESHOLD_DECISION,
        State.STRATEGY_DISCUSSION,
        State.DECIDED,
        State.CLOSED,
    )
    request_id = entry_id = 0
    clock_id = build.next_clock
    for referral_id, state, rag, received, _decided, people in build.referral_rows:
        if state not in asked_states or rag in ("", Rag.BLUE):
            continue
        count = rng.choice((3, 4, 4, 4, 5))
        agencies = set()
        while len(agencies) < count:
            agencies.add(rng.choices(build.partners, weights)[0])
        sent = received + timedelta(hours=rng.uniform(0.5, 3))
        for agency in sorted(agencies, key=lambda a: a.pk):
            request_id += 1
            answered = state != State.INFORMATION_GATHERING or rng.random() < 0.4
            answered_at = sent + timedelta(hours=rng.uniform(1, hours[rag] * 1.2)) if answered else None
            due = working_due(sent, hours[rag])
            clocks.append(
                {
                    "id": clock_id,
                    "created_at": sent,
                    "updated_at": sent,
                    "kind": REQUEST_CLOCK,
                    "basis": ClockBasis.WORKING_HOURS,
                    "amount": hours[rag],
                    "started_at": sent,
                    "due_at": due,
                    "stopped_at": answered_at,
                    "breached_at": answered_at if answered_at and answered_at > due else None,
                }
            )
            researchers = build.users_by.get((agency.pk, Role.AGENCY_RESEARCHER), [None])
            researcher = rng.choice(researchers)
            requests.append(
                {
                    "id": request_id,
                    "created_at": sent,
                    "updated_at": answered_at or sent,
                    "referral": referral_id,
                    "agency": agency.pk,
                    "questions": "What do you know of the subjects? Any concerns in the household?",
                    "status": RequestStatus.ANSWERED if answered else RequestStatus.OPEN,
                    "clock": clock_id,
                    "due_at": due,
                    "sent_by": rng.choice(build.practitioners),
                    "sent_at": sent,
                    "assigned_to": researcher if answered or rng.random() < 0.5 else None,
                    "answered_at": answered_at,
                    "answered_by": researcher if answered else None,
                    "version": 2,
                }
            )
            clock_id += 1
            grants_request.append((request_id, agency.group_id))
            grants_referral.append((referral_id, agency.group_id))
            for person in people:
                if (person, agency.group_id) not in people_granted:
                    people_granted.add((person, agency.group_id))
                    grants_person.append((person, agency.group_id))
            if answered:
                police = agency.kind == AgencyKind.POLICE
                for person in people:
                    entry_id += 1
                    known = rng.random() < 0.6
                    entries.append(
                        {
                            "id": entry_id,
                            "created_at": answered_at,
                            "updated_at": answered_at,
                            "request": request_id,
                            "person": person,
                            "author": researcher,
                            "nothing_known": not known,
                            "source_system": f"{agency.name} records" if known else "",
                            "information_date": (answered_at - timedelta(days=rng.randint(5, 900))).date()
                            if known
                            else None,
                            "summary": KNOWN if known else "",
                            "detail": DETAIL if known else "",
                            "source_evaluation": "1" if police and known else "",
                            "intelligence_assessment": "A" if police and known else "",
                            "handling_code": "P" if police and known else "",
                        }
                    )
    copy_rows(Clock, clocks)
    build.next_clock = clock_id
    copy_rows(InformationRequest, requests)
    copy_rows(ResponseEntry, entries)
    copy_rows(
        InformationRequestGroupObjectPermission,
        (
            {"content_object": r, "group": g, "permission": perm[InformationRequest]}
            for r, g in grants_request
        ),
    )
    copy_rows(
        ReferralGroupObjectPermission,
        (
            {"content_object": r, "group": g, "permission": perm[Referral]}
            for r, g in sorted(set(grants_referral))
        ),
    )
    copy_rows(
        PersonGroupObjectPermission,
        ({"content_object": p, "group": g, "permission": perm[Person]} for p, g in grants_person),
    )
