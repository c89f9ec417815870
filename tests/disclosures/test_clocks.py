"""The disclosure clocks (docs/domain.md): 28 calendar days for Clare's Law, 45 for Sarah's Law, the initial
risk checks within 24 hours, Sarah's Law's interview within 10 days; and the application reference."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from disclosures import services
from disclosures.models import Application, Scheme
from mash.clocks.models import ClockBasis
from mash.clocks.services import record_breaches

pytestmark = pytest.mark.django_db


def _calendar_days_later(moment, days):
    """``days`` calendar days on, at the same local wall-clock time (worked out here, not by the app)."""
    local = timezone.localtime(moment)
    return local.date() + timedelta(days=days), local.time().replace(microsecond=0)


def _local(moment):
    local = timezone.localtime(moment)
    return local.date(), local.time().replace(microsecond=0)


@pytest.mark.parametrize("scheme", [Scheme.RIGHT_TO_ASK, Scheme.RIGHT_TO_KNOW])
def test_clares_law_is_due_28_calendar_days_after_it_was_received(new_application, scheme):
    received = timezone.now() - timedelta(days=3, hours=5)

    application = new_application(scheme=scheme, received_at=received)

    clock = application.clock
    assert clock.started_at == received
    assert clock.basis == ClockBasis.CALENDAR_DAYS and clock.amount == 28
    assert _local(clock.due_at) == _calendar_days_later(received, 28)
    assert clock.stopped_at is None and not clock.is_breached()
    assert application.meeting_clock is None  # the 10-day interview is Sarah's Law's


def test_sarahs_law_is_due_45_calendar_days_after_it_was_received(new_application):
    received = timezone.now() - timedelta(days=2)

    application = new_application(scheme=Scheme.SARAHS_LAW, received_at=received)

    assert application.clock.basis == ClockBasis.CALENDAR_DAYS and application.clock.amount == 45
    assert _local(application.clock.due_at) == _calendar_days_later(received, 45)


def test_sarahs_law_interview_is_due_within_10_days_and_the_verification_stops_it(team, new_application):
    received = timezone.now() - timedelta(days=4)
    application = new_application(scheme=Scheme.SARAHS_LAW, received_at=received)
    meeting = application.meeting_clock
    assert meeting.started_at == received
    assert _local(meeting.due_at) == _calendar_days_later(received, 10)
    assert meeting.stopped_at is None

    services.initial_check_record(application=application, by=team.admin, immediate_risk=False, notes="None.")
    met_at = timezone.now() - timedelta(days=1)
    services.verification_record(
        application=application, by=team.admin, identity_method="Driving licence", meeting_at=met_at
    )

    meeting.refresh_from_db()
    assert meeting.stopped_at == met_at
    assert meeting.met is True and meeting.breached_at is None


def test_a_sarahs_law_interview_after_10_days_is_recorded_as_missed(team, new_application):
    received = timezone.now() - timedelta(days=14)
    application = new_application(scheme=Scheme.SARAHS_LAW, received_at=received)
    services.initial_check_record(application=application, by=team.admin, immediate_risk=False, notes="None.")
    met_at = received + timedelta(days=12)

    services.verification_record(
        application=application, by=team.admin, identity_method="Passport", meeting_at=met_at
    )

    meeting = Application.objects.get(pk=application.pk).meeting_clock
    assert meeting.stopped_at == met_at
    assert meeting.met is False
    assert meeting.breached_at == met_at


def test_the_initial_checks_are_due_24_hours_after_receipt_and_recording_them_stops_the_clock(
    team, new_application
):
    received = timezone.now() - timedelta(hours=3)
    application = new_application(received_at=received)
    checks = application.initial_check_clock
    assert checks.started_at == received
    assert checks.due_at == received + timedelta(hours=24)
    assert checks.stopped_at is None

    before = timezone.now()
    services.initial_check_record(
        application=application, by=team.admin, immediate_risk=False, notes="PNC and PND checked."
    )

    checks.refresh_from_db()
    assert before <= checks.stopped_at <= timezone.now()
    assert checks.met is True and checks.breached_at is None
    # The decision clock keeps running.
    application.clock.refresh_from_db()
    assert application.clock.stopped_at is None


def test_initial_checks_recorded_late_record_a_breach(team, new_application):
    application = new_application(received_at=timezone.now() - timedelta(hours=30))

    services.initial_check_record(
        application=application, by=team.admin, immediate_risk=False, notes="Checked late."
    )

    checks = Application.objects.get(pk=application.pk).initial_check_clock
    assert checks.met is False
    assert checks.breached_at is not None and checks.breached_at == checks.stopped_at
    assert checks.breached_at > checks.due_at


def test_the_breach_sweep_marks_an_application_past_28_days_with_no_decision(new_application):
    application = new_application(received_at=timezone.now() - timedelta(days=29))

    record_breaches()

    clock = Application.objects.get(pk=application.pk).clock
    assert clock.stopped_at is None
    assert clock.breached_at is not None


def test_the_decision_stops_the_decision_clock(team, compiled):
    services.package_submit(package=compiled, by=team.researcher)
    application = compiled.application
    assert application.clock.stopped_at is None
    before = timezone.now()

    decision = services.decision_record(
        application=application,
        by=team.decision_maker,
        disclose=False,
        lawful="Lawful, but see below.",
        necessary="Not necessary: she has already left him.",
        proportionate="Not proportionate to disclose now.",
        no_disclosure_reason="No current relationship.",
        applicant_told="Told that no disclosure will be made, and given the helpline number.",
    )

    clock = Application.objects.get(pk=application.pk).clock
    assert before <= clock.stopped_at <= timezone.now()
    assert clock.stopped_at == decision.decided_at
    assert clock.met is True and clock.breached_at is None


def test_a_decision_after_28_days_is_recorded_as_a_breach(team, new_application):
    application = new_application(received_at=timezone.now() - timedelta(days=30))
    services.initial_check_record(application=application, by=team.admin, immediate_risk=False, notes="None.")
    services.verification_record(
        application=application,
        by=team.admin,
        identity_method="Passport",
        meeting_at=timezone.now() - timedelta(days=29),
    )
    services.researcher_assign(application=application, by=team.admin, researcher=team.researcher)
    package = application.packages.get()
    for section in package.sections.all():
        services.section_update(section=section, by=team.researcher, nothing_found=True, note="Checked.")
    services.package_summary_update(package=package, by=team.researcher, summary="Nothing known.")
    services.package_submit(package=package, by=team.researcher)

    services.decision_record(
        application=application,
        by=team.decision_maker,
        disclose=False,
        lawful="n/a",
        necessary="Nothing to disclose.",
        proportionate="n/a",
        no_disclosure_reason="Nothing known about him.",
        applicant_told="Told there is nothing to disclose.",
    )

    clock = Application.objects.get(pk=application.pk).clock
    assert clock.met is False
    assert clock.breached_at == clock.stopped_at


def test_received_more_than_a_year_ago_is_refused(new_application):
    with pytest.raises(ValidationError) as error:
        new_application(received_at=timezone.now() - timedelta(days=400))

    assert "received_at" in error.value.message_dict
    assert not Application.objects.exists()


def test_received_in_the_future_is_refused(new_application):
    with pytest.raises(ValidationError) as error:
        new_application(received_at=timezone.now() + timedelta(hours=1))

    assert "received_at" in error.value.message_dict
    assert not Application.objects.exists()


def test_received_within_the_year_is_accepted_with_its_clocks_from_then(new_application):
    received = timezone.now() - timedelta(days=300)

    application = new_application(received_at=received)

    assert application.received_at == received
    assert application.clock.started_at == received
    assert application.initial_check_clock.started_at == received


def test_the_reference_is_disc_year_and_a_six_digit_number_in_sequence(new_application):
    first = new_application()
    second = new_application(scheme=Scheme.SARAHS_LAW)

    year = timezone.localtime(timezone.now()).year
    for application in (first, second):
        assert re.fullmatch(r"DISC-\d{4}-\d{6}", application.reference)
    assert first.reference == f"DISC-{year}-000001"
    assert second.reference == f"DISC-{year}-000002"


def test_the_reference_year_is_the_year_the_application_was_received(new_application):
    received = timezone.now() - timedelta(days=360)

    application = new_application(received_at=received)

    year = timezone.localtime(received).year
    assert application.reference == f"DISC-{year}-000001"
