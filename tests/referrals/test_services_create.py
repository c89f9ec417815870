"""referral_create: a referral, its subjects, its decision clock and its first timeline event."""

import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.clocks.calendar import due_after
from mash.clocks.models import Clock, ClockBasis
from mash.people.models import Person
from referrals import services
from referrals.models import EventKind, State
from referrals.services import SubjectInput
from tests.referrals.factories import at, new_subject
from tests.referrals.helpers import OUTSIDE_THE_LEAD_AGENCY, error_fields, row_counts

pytestmark = pytest.mark.django_db


def test_it_issues_references_in_sequence_for_the_year_received(new_referral):
    first = new_referral(received_at=at(2026, 11, 2, 10, 0))
    second = new_referral(received_at=at(2026, 11, 3, 10, 0))
    # The last day of last year is always within the year a referral may be back-dated.
    year = timezone.localtime().year - 1
    last_year = new_referral(received_at=at(year, 12, 31, 23, 30))
    assert first.reference == "MASH-2026-000001"
    assert second.reference == "MASH-2026-000002"
    assert last_year.reference == f"MASH-{year}-000001"
    assert all(re.fullmatch(r"MASH-\d{4}-\d{6}", r.reference) for r in (first, second, last_year))


def test_it_records_the_referral_with_the_details_given(cast, person, new_referral):
    received = at(2026, 11, 24, 10, 30)
    referral = new_referral(
        person=person,
        received_at=received,
        referrer_name="  Mrs Joan Price  ",
        concerns=["neglect", "physical", "neglect"],
        consent="not_sought",
        consent_reason="Asking the mother could put Jayden at more risk.",
    )
    referral.refresh_from_db()
    assert referral.state == State.RECEIVED
    assert referral.version == 1
    assert referral.received_at == received
    assert referral.recorded_by == cast.triage
    assert referral.assigned_to is None
    assert referral.referrer_name == "Mrs Joan Price"
    assert referral.concerns == ["physical", "neglect"], "deduplicated, in the stable order of Concern"
    assert referral.consent_reason == "Asking the mother could put Jayden at more risk."
    assert (referral.rag, referral.outcome) == ("", "")


def test_it_links_existing_people_and_creates_new_ones(person, new_referral):
    people_before = Person.objects.count()
    referral = new_referral(
        subjects=[
            SubjectInput(person=person),
            new_subject(given_name="Amelia", role="sibling", nhs_number="401 023 2137", postcode="ip1 2ab"),
        ]
    )
    assert Person.objects.count() == people_before + 1
    links = list(referral.subjects.order_by("pk"))
    assert [(link.person_id, link.role) for link in links] == [
        (person.pk, "subject"),
        (links[1].person_id, "sibling"),
    ]
    amelia = links[1].person
    assert (amelia.full_name, amelia.nhs_number, amelia.postcode) == ("Amelia Smith", "4010232137", "IP1 2AB")


def test_it_reports_a_bad_nhs_number_against_the_subject_and_saves_nothing(person, new_referral):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        new_referral(
            subjects=[
                SubjectInput(person=person),
                new_subject(given_name="Amelia", role="sibling"),
                new_subject(given_name="Kai", role="sibling", nhs_number="943 476 5918"),
            ]
        )
    assert error_fields(excinfo) == {"subjects-2-nhs_number"}
    assert "check digit" in excinfo.value.message_dict["subjects-2-nhs_number"][0]
    assert row_counts() == before, "no referral, no person (not even Amelia), no clock, no event"
    assert new_referral(received_at=at(2026, 11, 2, 10, 0)).reference == "MASH-2026-000001", (
        "the refused referral used up no reference number"
    )


@pytest.mark.parametrize(
    ("subject", "field"),
    [
        pytest.param({"nhs_number": "9434765919"}, "subjects-0-nhs_number", id="nhs-number-taken"),
        pytest.param({"nhs_number": "12345"}, "subjects-0-nhs_number", id="nhs-number-short"),
        pytest.param({"family_name": ""}, "subjects-0-family_name", id="no-family-name"),
    ],
)
def test_it_reports_a_bad_new_person_against_the_subject(person, new_referral, subject, field):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        new_referral(subjects=[new_subject(**subject)])
    assert field in error_fields(excinfo)
    assert row_counts() == before


@pytest.mark.parametrize(
    "subjects",
    [
        pytest.param([], id="nobody"),
        pytest.param([new_subject(role="parent_carer"), new_subject(role="sibling")], id="no-subject-role"),
    ],
)
def test_it_needs_at_least_one_person_in_the_subject_role(new_referral, subjects):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        new_referral(subjects=subjects)
    assert error_fields(excinfo) == {"subjects"}
    assert row_counts() == before


def test_it_refuses_the_same_person_twice(person, new_referral):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        new_referral(subjects=[SubjectInput(person=person), SubjectInput(person=person, role="sibling")])
    assert excinfo.value.message_dict == {"subjects-1-person": ["Jayden Smith is already in this referral."]}
    assert row_counts() == before


def test_it_refuses_an_unknown_subject_role(person, new_referral):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        new_referral(subjects=[SubjectInput(person=person), new_subject(given_name="Ava", role="uncle")])
    assert "subjects-1-role" in error_fields(excinfo)
    assert row_counts() == before


@pytest.mark.parametrize(
    ("concerns", "message"),
    [
        ([], "Choose at least one concern category."),
        (["physical", "witchcraft"], "Unknown concern categories: witchcraft."),
    ],
)
def test_it_requires_known_concerns(new_referral, concerns, message):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        new_referral(concerns=concerns)
    assert excinfo.value.message_dict == {"concerns": [message]}
    assert row_counts() == before


@pytest.mark.parametrize(
    ("consent", "reason", "decided_by", "field"),
    [
        ("not_sought", "", "", "consent_reason"),
        ("not_sought", "   ", "Mrs Price, DSL", "consent_reason"),
        ("overridden", "", "Team manager", "consent_reason"),
        ("overridden", "Asking would warn the alleged perpetrator.", "", "consent_decided_by"),
    ],
)
def test_it_needs_a_reason_when_consent_was_not_sought_or_overridden(
    new_referral, consent, reason, decided_by, field
):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        new_referral(consent=consent, consent_reason=reason, consent_decided_by=decided_by)
    assert error_fields(excinfo) == {field}
    assert row_counts() == before


@pytest.mark.parametrize(
    ("consent", "reason", "decided_by"),
    [
        ("given", "", ""),
        ("refused", "", ""),
        ("not_sought", "Asking the mother could put Jayden at more risk.", ""),
        ("overridden", "Asking would warn the alleged perpetrator.", "Team manager"),
    ],
)
def test_it_accepts_consent_recorded_as_the_guidance_asks(new_referral, consent, reason, decided_by):
    referral = new_referral(consent=consent, consent_reason=reason, consent_decided_by=decided_by)
    referral.refresh_from_db()
    assert (referral.consent, referral.consent_reason, referral.consent_decided_by) == (
        consent,
        reason,
        decided_by,
    )


def test_it_refuses_a_time_received_in_the_future(new_referral):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        new_referral(received_at=timezone.now() + timedelta(minutes=5))
    assert error_fields(excinfo) == {"received_at"}
    assert row_counts() == before


@pytest.mark.parametrize("role", ["triage", "decision_maker", "manager"])
def test_the_lead_agency_triage_team_may_record_a_referral(cast, new_referral, role):
    referral = new_referral(by=getattr(cast, role))
    assert referral.recorded_by == getattr(cast, role)


def test_nobody_else_may_record_a_referral(cast, new_referral, subtests):
    before = row_counts()
    for role in [*OUTSIDE_THE_LEAD_AGENCY, "data_admin", "governance"]:
        with (
            subtests.test(role=role),
            pytest.raises(ValidationError, match="Only the lead agency's triage team may record referrals"),
        ):
            new_referral(by=getattr(cast, role))
    assert row_counts() == before


@pytest.mark.parametrize(
    ("received_at", "due_at"),
    [
        pytest.param(at(2026, 11, 20, 15, 0), at(2026, 11, 23, 15, 0), id="friday-afternoon-to-monday"),
        pytest.param(at(2026, 11, 18, 19, 45), at(2026, 11, 20, 9, 0), id="wednesday-evening-to-friday-9am"),
        pytest.param(at(2026, 11, 21, 11, 0), at(2026, 11, 24, 9, 0), id="saturday-to-tuesday-9am"),
    ],
)
def test_the_decision_clock_starts_when_received_and_is_due_one_working_day_later(
    new_referral, received_at, due_at
):
    referral = new_referral(received_at=received_at)
    clock = Clock.objects.get(pk=referral.decision_clock_id)
    assert clock.kind == "referral decision"
    assert (clock.basis, clock.amount) == (ClockBasis.WORKING_DAYS, 1)
    assert clock.started_at == received_at
    assert clock.due_at == due_at
    assert (clock.stopped_at, clock.breached_at) == (None, None)


def test_the_decision_clock_skips_the_christmas_2026_bank_holidays(new_referral):
    # A referral cannot be received in the future (and Christmas 2026 is still to come), so the
    # clock's own terms are applied to it: 25 December is a Friday, and Monday 28 December is
    # Boxing Day's substitute.
    clock = new_referral().decision_clock
    terms = {clock.basis: clock.amount}
    assert due_after(at(2026, 12, 24, 11, 0), **terms) == at(2026, 12, 29, 11, 0)
    assert due_after(at(2026, 12, 23, 18, 30), **terms) == at(2026, 12, 29, 9, 0)


def test_it_records_a_received_event(cast, new_referral):
    received = at(2026, 11, 24, 10, 30)
    referral = new_referral(received_at=received)
    [event] = referral.timeline.all()
    assert (event.kind, event.at, event.by, event.from_state, event.to_state) == (
        EventKind.RECEIVED,
        received,
        cast.triage,
        "",
        State.RECEIVED,
    )
    assert event.note == "Received by multi-agency referral form from Mrs Joan Price"


def test_creating_a_referral_writes_audit_rows(new_referral, person):
    referral = new_referral(
        subjects=[SubjectInput(person=person), new_subject(given_name="Ava", role="sibling")]
    )
    assert LogEntry.objects.get_for_object(referral).filter(action=LogEntry.Action.CREATE).count() == 1
    for link in referral.subjects.all():
        assert LogEntry.objects.get_for_object(link).filter(action=LogEntry.Action.CREATE).count() == 1


def test_a_change_of_state_is_in_the_audit_log(cast, new_referral):
    referral = new_referral()
    services.referral_transition(referral=referral, by=cast.triage, to_state=State.SCREENING)
    update = LogEntry.objects.get_for_object(referral).filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert update.changes_dict["state"] == ["received", "screening"]


def test_a_referral_may_be_created_already_assigned_to_the_triage_team(cast, new_referral):
    assert new_referral(assigned_to=cast.manager).assigned_to == cast.manager


def test_it_refuses_to_create_a_referral_assigned_outside_the_triage_team(cast, new_referral):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        new_referral(assigned_to=cast.outsider)
    assert "assigned_to" in error_fields(excinfo)
    assert row_counts() == before


def test_it_refuses_a_time_received_more_than_a_year_ago(new_referral):

    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        new_referral(received_at=timezone.now() - timedelta(days=400))
    assert "received_at" in error_fields(excinfo)
    assert row_counts() == before
