"""The consultation line: logging a professional's call, and turning it into a referral."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from referrals import services
from referrals.models import Consultation
from tests.referrals.factories import at, new_subject
from tests.referrals.helpers import OUTSIDE_THE_LEAD_AGENCY, error_fields, row_counts

pytestmark = pytest.mark.django_db


def log_call(cast, **overrides):
    fields = {
        "by": cast.triage,
        "caller_name": "Ms Priya Shah",
        "caller_organisation": "Castle Hill Nursery",
        "caller_role": "Nursery manager",
        "caller_phone": "01473 000 000",
        "caller_email": "manager@castle-hill.example",
        "question": "A child of 3 has come in hungry three days running. Should I refer?",
        "advice": "Speak to the parent today; refer if it continues.",
        "called_at": at(2026, 11, 24, 14, 5),
    }
    fields.update(overrides)
    return services.consultation_create(**fields)


def test_it_logs_a_consultation_about_a_named_person(cast, person):
    call = log_call(cast, person=person, referral_advised=True)
    call.refresh_from_db()
    assert (call.person, call.logged_by, call.referral_advised, call.referral) == (
        person,
        cast.triage,
        True,
        None,
    )
    assert (call.caller_name, call.called_at) == ("Ms Priya Shah", at(2026, 11, 24, 14, 5))


def test_an_anonymous_consultation_needs_a_description(cast):
    with pytest.raises(ValidationError) as excinfo:
        log_call(cast, anonymous_description="  ")
    assert error_fields(excinfo) == {"anonymous_description"}
    assert Consultation.objects.count() == 0
    call = log_call(cast, anonymous_description="girl, 3, nursery")
    assert (call.person, call.anonymous_description) == (None, "girl, 3, nursery")


def test_a_consultation_cannot_be_logged_in_the_future(cast, person):
    with pytest.raises(ValidationError) as excinfo:
        log_call(cast, person=person, called_at=timezone.now() + timedelta(hours=1))
    assert error_fields(excinfo) == {"called_at"}
    assert Consultation.objects.count() == 0


def test_a_consultation_about_a_person_is_refused_to_those_who_may_not_see_them(cast, person, subtests):
    # Everyone who may log a call (the lead agency's case workers) sees every person, so for the
    # cast the refusal comes from the role check, before the service's own check of the person.
    for role in [*OUTSIDE_THE_LEAD_AGENCY, "governance"]:
        with (
            subtests.test(role=role),
            pytest.raises(ValidationError, match="Only the lead agency's triage team may log consultation"),
        ):
            log_call(cast, by=getattr(cast, role), person=person)
    assert Consultation.objects.count() == 0


def test_converting_a_consultation_carries_its_details_over(cast, person):
    call = log_call(cast, person=person)
    referral = services.consultation_convert(consultation=call, by=cast.triage, concerns=["neglect"])
    referral.refresh_from_db()
    call.refresh_from_db()
    assert call.referral == referral
    assert referral.channel == "consultation"
    assert referral.received_at == call.called_at == at(2026, 11, 24, 14, 5)
    assert referral.decision_clock.started_at == call.called_at
    assert (
        referral.referrer_name,
        referral.referrer_organisation,
        referral.referrer_role,
        referral.referrer_phone,
        referral.referrer_email,
    ) == (
        "Ms Priya Shah",
        "Castle Hill Nursery",
        "Nursery manager",
        "01473 000 000",
        "manager@castle-hill.example",
    )
    assert call.question in referral.account
    assert f"Advice given on the consultation line: {call.advice}" in referral.account
    assert referral.concerns == ["neglect"]
    assert list(referral.subjects.values_list("person", "role")) == [(person.pk, "subject")]
    assert referral.timeline.get().note == "Received by consultation call from Ms Priya Shah"


def test_a_consultation_converts_once_only(cast, person):
    call = log_call(cast, person=person)
    referral = services.consultation_convert(consultation=call, by=cast.triage)
    before = row_counts()
    with pytest.raises(ValidationError, match=f"This call already became referral {referral.reference}"):
        services.consultation_convert(consultation=call, by=cast.triage)
    assert row_counts() == before


def test_converting_an_anonymous_call_needs_the_people(cast):
    call = log_call(cast, anonymous_description="girl, 3, nursery")
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        services.consultation_convert(consultation=call, by=cast.triage)
    assert error_fields(excinfo) == {"subjects"}
    assert row_counts() == before

    referral = services.consultation_convert(
        consultation=call,
        by=cast.triage,
        subjects=[new_subject(given_name="Lily", date_of_birth=date(2023, 5, 1))],
    )
    assert [str(link.person) for link in referral.subjects.all()] == ["Lily Smith"]


def test_only_the_lead_triage_team_converts_a_consultation(cast, person):
    call = log_call(cast, person=person)
    before = row_counts()
    with pytest.raises(ValidationError, match="Only the lead agency's triage team may record referrals"):
        services.consultation_convert(consultation=call, by=cast.police_researcher)
    call.refresh_from_db()
    assert call.referral is None
    assert row_counts() == before


def test_a_consultation_converts_with_consent_overridden(cast, person):
    call = log_call(cast, person=person)
    referral = services.consultation_convert(
        consultation=call,
        by=cast.triage,
        consent="overridden",
        consent_reason="Asking would warn the alleged perpetrator.",
        consent_decided_by="Team manager",
    )
    assert referral.consent_decided_by == "Team manager"


def test_a_consultation_converted_with_consent_given_records_no_reason_to_seek_it(cast, person):
    call = log_call(cast, person=person)
    referral = services.consultation_convert(consultation=call, by=cast.triage, consent="given")
    referral.refresh_from_db()
    assert referral.consent == "given"
    assert referral.consent_reason == ""
