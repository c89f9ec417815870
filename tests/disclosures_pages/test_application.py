"""The application page, stage by stage: each form's next step, and its refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from disclosures import services
from disclosures.models import DisclosureRecord, Outcome, PackageStatus, Stage
from mash.notifications.models import Notification
from mash.sharing import policy
from mash.sharing.models import DisseminationMethod
from tests.disclosures_pages.builders import WORDING, application_url, page

pytestmark = pytest.mark.django_db


def local(moment) -> str:
    """A time as a form field takes it, to the microsecond (the minute-precision case has its own test)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S.%f")


def post(client, user, application, name, **data):
    client.force_login(user)
    return client.post(application_url(application, name), {"version": application.version, **data})


@pytest.fixture
def checked(team, new_application):
    """Received by phone two hours ago and checked: the identity is to be verified."""
    application = new_application(received_at=timezone.now() - timedelta(hours=2))
    return services.initial_check_record(
        application=application, by=team.admin, immediate_risk=False, notes="Nothing urgent on the systems."
    )


@pytest.fixture
def verified(team, checked):
    """Verified and met: a researcher is to be assigned."""
    return services.verification_record(
        application=checked, by=team.admin, identity_method="Passport seen", meeting_at=timezone.now()
    )


def unchanged(application, stage, version) -> bool:
    application.refresh_from_db()
    return (application.stage, application.version) == (stage, version)


# What each stage offers ---------------------------------------------------------------------------


def test_a_new_application_shows_its_clocks_its_people_and_the_initial_checks(client, team, new_application):
    application = new_application()
    client.force_login(team.admin)
    response = client.get(application_url(application))
    assert response.status_code == 200
    body = page(response)
    assert application.reference in body
    assert "Initial risk checks (24 hours)" in body
    assert "Decision (28 days)" in body
    assert "Due in 27 days" in body
    assert "Mark Taylor" in body and "(subject (about whom disclosure may be made))" in body
    assert "Record the checks" in body
    assert "Withdraw the application" in body
    assert "No research yet" in body


def test_after_the_checks_the_verification_is_next(client, team, checked):
    client.force_login(team.admin)
    assert "Record the verification" in page(client.get(application_url(checked)))


def test_once_verified_the_research_is_assigned(client, team, verified):
    client.force_login(team.admin)
    body = page(client.get(application_url(verified)))
    assert "Assign the research" in body and "Not assigned" in body


def test_once_assigned_the_package_is_open(client, team, at_research):
    client.force_login(team.admin)
    body = page(client.get(application_url(at_research)))
    assert "Re-assign the research" in body
    assert "Open version 1 of the package" in body


def test_at_the_decision_the_administrator_waits_and_the_decision_maker_decides(client, team, submitted):
    application = submitted.application
    client.force_login(team.admin)
    body = page(client.get(application_url(application)))
    assert "Waiting for a police decision maker." in body
    assert "Record the decision" not in body
    client.force_login(team.decision_maker)
    body = page(client.get(application_url(application)))
    assert "Open the forum" in body and "Record the decision" in body
    assert "Withdraw the application" not in body  # only the data administrators withdraw


# Initial checks -----------------------------------------------------------------------------------


def test_recording_the_initial_checks_moves_on_to_verification(client, team, new_application):
    application = new_application()
    version = application.version
    response = post(
        client, team.admin, application, "initial_checks", immediate_risk="no", notes="PNC: nothing."
    )
    assert response.status_code == 302
    assert response.url == application_url(application)
    application.refresh_from_db()
    assert (application.stage, application.immediate_risk, application.version) == (
        Stage.VERIFICATION,
        False,
        version + 1,
    )
    assert application.initial_check_by == team.admin
    assert application.initial_check_clock.stopped_at is not None
    assert not Notification.objects.filter(event="disclosure.immediate_risk").exists()
    assert "Initial checks recorded." in page(client.get(response.url))


def test_an_immediate_risk_tells_the_police_decision_makers_and_the_mash_triage_team(
    client, cast, team, new_application
):
    application = new_application()
    response = post(
        client, team.admin, application, "initial_checks", immediate_risk="yes", notes="Threats made today."
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.immediate_risk is True
    told = set(
        Notification.objects.filter(event="disclosure.immediate_risk").values_list("recipient", flat=True)
    )
    assert told == {cast.police_decision_maker.pk, cast.triage.pk}
    body = page(client.get(application_url(application)))
    assert '<strong class="mash-breach">Immediate risk</strong>: Threats made today.' in body


def test_initial_checks_without_notes_are_refused(client, team, new_application):
    application = new_application()
    version = application.version
    response = post(client, team.admin, application, "initial_checks", immediate_risk="no", notes="")
    assert response.status_code == 400
    body = page(response)
    assert "There is a problem" in body
    assert "Record what was checked and what was found." in body
    assert f"Error: {application.reference}" in body
    assert unchanged(application, Stage.INITIAL_CHECKS, version)


def test_initial_checks_without_the_risk_answer_are_refused(client, team, new_application):
    application = new_application()
    response = post(client, team.admin, application, "initial_checks", notes="Checked.")
    assert response.status_code == 400
    assert "Say whether there is an immediate risk." in page(response)
    assert unchanged(application, Stage.INITIAL_CHECKS, application.version)


def test_a_save_on_a_stale_page_is_refused(client, team, new_application):
    application = new_application()
    stale = application.version
    # Someone else records the checks while the page is open.
    services.initial_check_record(
        application=application, by=team.researcher, immediate_risk=False, notes="A"
    )
    application.refresh_from_db()
    client.force_login(team.admin)
    response = client.post(
        application_url(application, "withdraw"), {"version": stale, "reason": "The applicant withdrew."}
    )
    assert response.status_code == 400
    assert "Someone else changed this application since you opened it." in page(response)
    assert unchanged(application, Stage.VERIFICATION, application.version)


# Verification -------------------------------------------------------------------------------------


def test_recording_the_verification_moves_on_to_research(client, team, checked):
    met = timezone.now() - timedelta(minutes=30)
    response = post(
        client,
        team.admin,
        checked,
        "verification",
        identity_method="Driving licence seen",
        meeting_at=local(met),
        notes="Met at the station.",
    )
    assert response.status_code == 302
    checked.refresh_from_db()
    assert (checked.stage, checked.identity_verified, checked.verified_by) == (
        Stage.RESEARCH,
        True,
        team.admin,
    )
    assert checked.identity_method == "Driving licence seen"
    assert abs(checked.meeting_at - met) < timedelta(seconds=1)


def test_a_verification_without_the_method_or_with_a_future_meeting_is_refused(client, team, checked):
    version = checked.version
    response = post(
        client, team.admin, checked, "verification", identity_method="", meeting_at=local(timezone.now())
    )
    assert response.status_code == 400
    assert "Say how the identity was verified." in page(response)
    future = timezone.now() + timedelta(days=1)
    response = post(
        client, team.admin, checked, "verification", identity_method="Passport", meeting_at=local(future)
    )
    assert response.status_code == 400
    assert "The meeting cannot be in the future." in page(response)
    assert unchanged(checked, Stage.VERIFICATION, version)


def test_only_a_data_administrator_records_the_verification(client, team, checked):
    response = post(
        client,
        team.researcher,
        checked,
        "verification",
        identity_method="Passport",
        meeting_at=local(timezone.now()),
    )
    assert response.status_code == 400
    assert "Only the police data administrators record the verification." in page(response)
    assert unchanged(checked, Stage.VERIFICATION, checked.version)


# Assigning the researcher -------------------------------------------------------------------------


def test_assigning_a_researcher_starts_version_1_of_the_package_and_tells_them(client, team, verified):
    response = post(client, team.admin, verified, "assign", researcher=team.researcher.pk)
    assert response.status_code == 302
    verified.refresh_from_db()
    assert verified.researcher == team.researcher
    package = verified.packages.get()
    assert (package.number, package.status, package.researcher) == (1, PackageStatus.DRAFT, team.researcher)
    assert package.sections.count() == 9
    assert Notification.objects.filter(event="disclosure.assigned", recipient=team.researcher).exists()


def test_re_assigning_hands_the_same_draft_to_the_other_researcher(client, team, at_research):
    response = post(client, team.admin, at_research, "assign", researcher=team.second_researcher.pk)
    assert response.status_code == 302
    package = at_research.packages.get()
    assert package.researcher == team.second_researcher


def test_only_a_police_researcher_can_be_assigned(client, cast, team, verified):
    response = post(client, team.admin, verified, "assign", researcher=cast.health_researcher.pk)
    assert response.status_code == 400
    assert "Select a valid choice." in page(response)
    verified.refresh_from_db()
    assert verified.researcher is None
    assert not verified.packages.exists()


# The forum and the decision -----------------------------------------------------------------------


def test_opening_the_forum_lets_the_agencies_taking_part_see_the_application(client, cast, team, submitted):
    application = submitted.application
    response = post(client, team.decision_maker, application, "forum", agencies=[cast.health.pk])
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.forum_open
    assert policy.can_view(cast.health_researcher, application)
    assert not policy.can_view(cast.outsider, application)
    assert "The forum is open" in page(client.get(application_url(application)))


def test_a_forum_without_agencies_is_refused(client, team, submitted):
    application = submitted.application
    response = post(client, team.decision_maker, application, "forum")
    assert response.status_code == 400
    assert "Choose the agencies taking part." in page(response)
    application.refresh_from_db()
    assert not application.forum_open


REASONS = {
    "lawful": "Common law power to prevent harm.",
    "necessary": "She is at risk of serious harm.",
    "proportionate": "Only the conviction is disclosed.",
}


def test_deciding_to_disclose_records_the_wording_and_the_recipient(client, cast, team, submitted):
    application = submitted.application
    post(client, team.decision_maker, application, "forum", agencies=[cast.health.pk])
    application.refresh_from_db()
    response = post(
        client,
        team.decision_maker,
        application,
        "decision",
        disclose="yes",
        wording=WORDING,
        recipient_name="Keziah Oduya",
        recipient_relation="Partner",
        forum_participants="DS Khan (police), Nurse Bell (health)",
        forum_agencies=[cast.police.pk, cast.health.pk],
        marac_referral="on",
        **REASONS,
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.stage, application.forum_open) == (Stage.DISCLOSURE, False)
    decision = application.decision
    assert (decision.disclose, decision.wording, decision.recipient_name) == (True, WORDING, "Keziah Oduya")
    assert decision.marac_referral and decision.package == submitted
    assert set(decision.forum_agencies.all()) == {cast.police, cast.health}
    assert application.clock.stopped_at is not None
    # The decision closes the forum.
    assert not policy.can_view(cast.health_researcher, application)
    body = page(client.get(application_url(application)))
    assert "Referred to MARAC" in body and "Record the disclosure" in body


def test_a_disclosure_decision_needs_its_wording_and_its_recipient(client, team, submitted):
    application = submitted.application
    version = application.version
    response = post(client, team.decision_maker, application, "decision", disclose="yes", **REASONS)
    assert response.status_code == 400
    body = page(response)
    assert "Write what will be disclosed, in the words to be used." in body
    assert "Name the person best placed to protect, who will be told." in body
    assert unchanged(application, Stage.DECISION, version)


def test_a_decision_needs_its_reasoning(client, team, submitted):
    application = submitted.application
    response = post(
        client,
        team.decision_maker,
        application,
        "decision",
        disclose="yes",
        wording=WORDING,
        recipient_name="K",
    )
    assert response.status_code == 400
    body = page(response)
    for label in ("lawful", "necessary", "proportionate"):
        assert f"Say why disclosure is, or is not, {label}." in body
    assert unchanged(application, Stage.DECISION, application.version)


def test_no_disclosure_needs_its_reason(client, team, submitted):
    application = submitted.application
    response = post(
        client, team.decision_maker, application, "decision", disclose="no", applicant_told="Told.", **REASONS
    )
    assert response.status_code == 400
    assert "Give the reason for not disclosing." in page(response)
    assert unchanged(application, Stage.DECISION, application.version)


def test_no_disclosure_closes_the_application(client, team, submitted):
    application = submitted.application
    response = post(
        client,
        team.decision_maker,
        application,
        "decision",
        disclose="no",
        no_disclosure_reason="Nothing held suggests a risk of harm.",
        applicant_told="Nothing can be disclosed; she was given the helpline number.",
        **REASONS,
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.stage, application.outcome) == (Stage.CLOSED, Outcome.NOT_DISCLOSED)
    assert "Nothing held suggests a risk of harm." in page(client.get(application_url(application)))


def test_only_a_decision_maker_decides(client, team, submitted):
    application = submitted.application
    response = post(
        client,
        team.admin,
        application,
        "decision",
        disclose="yes",
        wording=WORDING,
        recipient_name="K",
        **REASONS,
    )
    assert response.status_code == 400
    assert "Only the police decision makers decide on disclosure." in page(response)
    assert unchanged(application, Stage.DECISION, application.version)


# The disclosure -----------------------------------------------------------------------------------

DISCLOSURE = {
    "place": "Ipswich police station",
    "recipient_name": "Sarah Jones",
    "recipient_relation": "Partner",
    "wording_used": WORDING,
    "safety_plan": "Referred to the domestic abuse service; panic alarm fitted.",
}


def test_recording_the_disclosure_writes_the_dissemination_log_entry(client, team, people, to_disclose):
    told = timezone.now()
    response = post(
        client,
        team.decision_maker,
        to_disclose,
        "disclosure",
        disclosed_at=local(told),
        warning_given="on",
        warning_acknowledged="on",
        **DISCLOSURE,
    )
    assert response.status_code == 302
    to_disclose.refresh_from_db()
    assert (to_disclose.stage, to_disclose.outcome) == (Stage.CLOSED, Outcome.DISCLOSED)
    record = DisclosureRecord.objects.get(application=to_disclose)
    assert (record.warning_given, record.warning_acknowledged) == (True, True)
    assert record.disclosed_by == team.decision_maker
    entry = record.dissemination
    assert (entry.recipient_name, entry.method, entry.person) == (
        "Sarah Jones",
        DisseminationMethod.IN_PERSON,
        people["subject"],
    )
    assert entry.record == to_disclose
    assert entry.recipient_organisation == "Member of the public (Partner)"
    assert to_disclose.reference in entry.what and WORDING in entry.what
    assert (entry.disseminated_by, entry.approved_by) == (team.decision_maker, team.decision_maker)
    body = page(client.get(application_url(to_disclose)))
    assert "Disclosure recorded, and entered in the dissemination log." in body
    assert "Disclosure made" in body
    assert f"Entry {entry.pk}" in body
    assert "Warning given and acknowledged" in body


def test_the_disclosure_form_starts_from_the_decision(client, team, to_disclose):
    client.force_login(team.decision_maker)
    form = client.get(application_url(to_disclose)).context["disclosure_form"]
    assert form.initial["wording_used"] == WORDING
    assert form.initial["recipient_name"] == "Sarah Jones"


def test_the_time_the_disclosure_form_offers_is_accepted(client, team, to_disclose):
    # The page offers the time to the minute; a disclosure recorded in the minute of the decision
    # must not be refused as preceding it.
    client.force_login(team.decision_maker)
    offered = client.get(application_url(to_disclose)).context["disclosure_form"].initial["disclosed_at"]
    response = post(
        client,
        team.decision_maker,
        to_disclose,
        "disclosure",
        disclosed_at=timezone.localtime(offered).strftime("%Y-%m-%dT%H:%M"),
        warning_given="on",
        warning_acknowledged="on",
        **DISCLOSURE,
    )
    assert response.status_code == 302, [e for e in response.context["disclosure_form"].errors.values()]
    assert DisclosureRecord.objects.get(application=to_disclose).disclosed_at == offered


def test_a_disclosure_without_the_confidentiality_warning_is_refused(client, team, to_disclose):
    version = to_disclose.version
    response = post(
        client,
        team.decision_maker,
        to_disclose,
        "disclosure",
        disclosed_at=local(timezone.now()),
        **DISCLOSURE,
    )
    assert response.status_code == 400
    body = page(response)
    assert "The recipient must be told they may not share the disclosure further." in body
    assert "Record the recipient&#x27;s acknowledgement of the warning." in body
    assert unchanged(to_disclose, Stage.DISCLOSURE, version)
    assert not DisclosureRecord.objects.exists()
    from mash.sharing.models import Dissemination

    assert not Dissemination.objects.exists()


def test_a_disclosure_needs_the_place_and_the_safety_plan(client, team, to_disclose):
    response = post(
        client,
        team.decision_maker,
        to_disclose,
        "disclosure",
        disclosed_at=local(timezone.now()),
        warning_given="on",
        warning_acknowledged="on",
        **{**DISCLOSURE, "place": "", "safety_plan": ""},
    )
    assert response.status_code == 400
    body = page(response)
    assert "Say where the disclosure was made." in body
    assert "Record the safety plan agreed." in body
    assert not DisclosureRecord.objects.exists()


# Withdrawal ---------------------------------------------------------------------------------------


def test_withdrawing_closes_the_application_and_stops_its_clocks(client, team, at_research):
    response = post(client, team.admin, at_research, "withdraw", reason="The applicant withdrew by phone.")
    assert response.status_code == 302
    at_research.refresh_from_db()
    assert (at_research.stage, at_research.outcome) == (Stage.CLOSED, Outcome.WITHDRAWN)
    assert at_research.clock.stopped_at is not None
    body = page(client.get(application_url(at_research)))
    assert "Withdrawn: The applicant withdrew by phone." in body
    assert "Withdraw the application" not in body


def test_a_withdrawal_needs_its_reason(client, team, at_research):
    response = post(client, team.admin, at_research, "withdraw", reason="")
    assert response.status_code == 400
    body = page(response)
    assert "Say why the application is withdrawn." in body
    assert '<details class="govuk-details" open>' in body
    assert unchanged(at_research, Stage.RESEARCH, at_research.version)
