"""The strategy flow through the pages: the lead decision maker decides that a strategy discussion is
required, convenes it, and records it during the meeting (attendance, a decision, notes, two actions)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mash.common.dates import format_date
from referrals import services
from referrals.models import State
from referrals.requests import services as request_services
from referrals.services import SubjectInput
from strategy.models import Action, Attendance, StrategyDiscussion, SubjectDecision, ThresholdDecision
from tests.browser.helpers import fill_date, sign_in
from tests.factories import PersonFactory
from tests.information_requests.support import answer

pytestmark = pytest.mark.browser

THRESHOLD_RATIONALE = "Bruising to a child and police intelligence of violence at home."
DECISION_RATIONALE = "Injury consistent with the account; police hold call-outs to the address."
NOTES = "Police: two domestic abuse call-outs this year. Health: missed immunisations."
RATIONALE = "Reasonable cause to suspect significant harm: a joint enquiry with the police."
POLICE_ACTION = "Check the police systems for the stepfather."
HEALTH_ACTION = "Book a paediatric assessment of the bruising."


def _awaiting_decision(cast, person):
    """A red referral whose police answer is in: awaiting the threshold decision."""
    sibling = PersonFactory(given_name="Amelia", family_name="Smith")
    referral = services.referral_create(
        by=cast.triage,
        kind="child",
        channel="phone",
        referrer_name="Mrs Price",
        referrer_email="dsl@school.example",
        account="Bruising seen at school.",
        concerns=["physical"],
        consent="given",
        subjects=[SubjectInput(person=person), SubjectInput(person=sibling, role="sibling")],
    )
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    services.referral_rate(referral=referral, by=cast.triage, rating="red", rationale="Injury to a child.")
    services.referral_transition(referral=referral, by=cast.triage, to_state="information_gathering")
    (police_request,) = request_services.information_requests_send(
        referral=referral,
        by=cast.triage,
        requests=[request_services.RequestInput(agency=cast.police, questions="Any call-outs?")],
    )
    answer(police_request, cast.police_researcher)
    referral.refresh_from_db()
    assert referral.state == State.AWAITING_THRESHOLD_DECISION
    return referral


def test_the_decision_maker_decides_convenes_and_records_the_discussion(page, cast, person):
    referral = _awaiting_decision(cast, person)
    police_name = cast.police_decision_maker.get_full_name()
    due = timezone.localdate() + timedelta(days=3)

    sign_in(page, cast.decision_maker)
    page.get_by_role("link", name="Strategy", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Strategy")).to_be_visible()
    awaiting = page.get_by_role(
        "table", name=re.compile(r"^\d+ referrals? awaiting a threshold decision, the most urgent first$")
    )
    expect(awaiting.get_by_role("row").filter(has_text=referral.reference)).to_contain_text("Jayden Smith")
    awaiting.get_by_role("link", name=f"Decide on {referral.reference}").click()

    # The threshold decision, beside the police answer.
    expect(page.get_by_role("heading", level=1, name="Strategy Threshold Decision")).to_be_visible()
    expect(page.get_by_text("Arrested for assault, 2024")).to_be_visible()
    decision = page.get_by_role("group", name="Is a strategy discussion required?")
    decision.get_by_label("Yes: there is reasonable cause to suspect significant harm").check()
    page.get_by_label("Rationale", exact=True).fill(THRESHOLD_RATIONALE)
    # The optional rating of the answer relied on: 'not sufficient' needs a reason, named by its agency.
    page.get_by_role("group", name="Partner answers relied on").get_by_label(
        re.compile("^Constabulary")
    ).check()
    rating = page.get_by_role("group", name="Was Constabulary's answer sufficient to decide on? (optional)")
    rating.get_by_label("Not sufficient", exact=True).check()
    page.get_by_role("button", name="Record the threshold decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say why Constabulary's answer was not sufficient."
    )
    page.get_by_label("Why was Constabulary's answer not sufficient?").fill("No dates for the arrests.")
    page.get_by_role("button", name="Record the threshold decision").click()

    # Convening.
    expect(page.get_by_role("heading", level=1, name="Convene the strategy discussion")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Threshold decision recorded")
    threshold = ThresholdDecision.objects.get(referral=referral)
    assert (threshold.required, threshold.rationale) == (True, THRESHOLD_RATIONALE)
    assert [(r.sufficient, r.reason) for r in threshold.ratings.all()] == [
        (False, "No dates for the arrests.")
    ]
    expect(page.get_by_role("group", name="When").get_by_label("Time")).not_to_have_value("")  # now
    page.get_by_role("group", name="How").get_by_label("Video call").check()
    page.get_by_label("Where").fill("Teams link in the invitation")
    invited = page.get_by_role("group", name="Agencies invited")
    invited.get_by_label("Constabulary").check()
    invited.get_by_label("Integrated Care Board").check()
    page.get_by_role("button", name="Convene and send the invitations").click()

    # The discussion page, as used during the meeting.
    expect(page.get_by_role("heading", level=1, name="Strategy discussion")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Discussion convened")
    discussion = StrategyDiscussion.objects.get(referral=referral)
    assert discussion.mode == "video"
    invitations = list(discussion.invitations.select_related("agency", "user"))
    assert len(invitations) == 3  # the police, health, and the chair

    attendance = page.locator("form").filter(has=page.get_by_role("button", name="Save attendance"))
    for group in [
        "Constabulary",
        "Integrated Care Board",
        f"{cast.decision_maker.get_full_name()}, County Council MASH",
    ]:
        attendance.get_by_role("group", name=group, exact=True).get_by_label("Attended").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_role("alert")).to_contain_text("Attendance recorded.")
    assert {i.attendance for i in discussion.invitations.all()} == {Attendance.ATTENDED}

    subject = page.get_by_role("group", name="Decision for Jayden Smith")
    subject.get_by_label("Section 47 enquiry (joint with police)").check()
    page.get_by_label("Why, for Jayden Smith").fill(DECISION_RATIONALE)
    page.get_by_role("button", name="Save decisions").click()
    # Every child of the referral gets a decision: his sister too, named where it is missing.
    decisions = page.locator("#decisions-section")
    expect(decisions.get_by_role("alert")).to_contain_text("Choose the decision for Amelia Smith.")
    expect(page.get_by_label("Why, for Jayden Smith")).to_have_value(DECISION_RATIONALE)
    sibling = page.get_by_role("group", name="Decision for Amelia Smith")
    sibling.get_by_label("Child and family assessment").check()
    page.get_by_role("button", name="Save decisions").click()
    expect(decisions.get_by_role("alert")).to_contain_text("Decisions recorded.")

    page.get_by_label("Discussion notes").fill(NOTES)
    page.get_by_label("Rationale for the decisions").fill(RATIONALE)
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_role("alert")).to_contain_text("Notes saved.")

    for description, agency, person_label in [
        (POLICE_ACTION, "Constabulary", f"{police_name} (Constabulary)"),
        (HEALTH_ACTION, "Integrated Care Board", None),
    ]:
        page.get_by_label("What is to be done").fill(description)
        page.get_by_label("Agency", exact=True).select_option(label=agency)
        if person_label:
            page.get_by_label("Person (optional)").select_option(label=person_label)
        fill_date(page, "Due by", due)
        page.get_by_role("button", name="Add the action").click()
        expect(page.get_by_role("alert")).to_contain_text("Action added; its owner has been told.")

    # What the page shows now.
    actions = page.get_by_role("table", name="Actions agreed")
    police_row = actions.get_by_role("row").filter(has_text=POLICE_ACTION)
    expect(police_row).to_contain_text("Constabulary")
    expect(police_row).to_contain_text(police_name)
    expect(police_row).to_contain_text(format_date(due))
    health_row = actions.get_by_role("row").filter(has_text=HEALTH_ACTION)
    expect(health_row).to_contain_text("Integrated Care Board")
    expect(health_row).to_contain_text("Open")
    expect(page.get_by_label("Discussion notes")).to_have_value(NOTES)
    expect(page.get_by_label("Rationale for the decisions")).to_have_value(RATIONALE)
    expect(subject.get_by_label("Section 47 enquiry (joint with police)")).to_be_checked()
    for group in ["Constabulary", "Integrated Care Board"]:
        expect(
            attendance.get_by_role("group", name=group, exact=True).get_by_label("Attended")
        ).to_be_checked()
    expect(page.get_by_text("Everything needed is recorded.")).to_be_visible()

    assert SubjectDecision.objects.get(discussion=discussion, person__given_name="Amelia").decision == (
        "s17_assessment"
    )
    decision_row = SubjectDecision.objects.get(discussion=discussion, person=person)
    assert (decision_row.person, decision_row.decision, decision_row.rationale) == (
        person,
        "s47_joint",
        DECISION_RATIONALE,
    )
    discussion.refresh_from_db()
    assert (discussion.notes.splitlines(), discussion.rationale) == (NOTES.splitlines(), RATIONALE)
    assert [(a.description, a.owner_agency, a.owner, a.due_on) for a in Action.objects.order_by("pk")] == [
        (POLICE_ACTION, cast.police, cast.police_decision_maker, due),
        (HEALTH_ACTION, cast.health, None, due),
    ]


def _convened(cast, person):
    """The discussion of a referral with a subject and a sibling, convened now, the police invited."""
    from strategy import services as strategy_services

    referral = _awaiting_decision(cast, person)
    strategy_services.threshold_decide(
        referral=referral, by=cast.decision_maker, required=True, rationale=THRESHOLD_RATIONALE
    )
    return strategy_services.discussion_convene(
        referral=referral,
        by=cast.decision_maker,
        scheduled_at=timezone.now().replace(second=0, microsecond=0),
        mode="video",
        chair=cast.decision_maker,
        invitees=[strategy_services.Invitee(agency=cast.police)],
    )


def test_saving_one_section_keeps_what_is_typed_in_the_others(page, cast, person):
    discussion = _convened(cast, person)
    sign_in(page, cast.decision_maker)
    page.goto(f"/strategy/discussions/{discussion.pk}/")

    page.get_by_label("Discussion notes").fill(NOTES)
    attendance = page.locator("#attendance-section")
    form = attendance.locator("form").filter(has=page.get_by_role("button", name="Save attendance"))
    for group in form.get_by_role("group").all():
        group.get_by_label("Attended").check()
    page.get_by_role("button", name="Save attendance").click()

    expect(attendance.get_by_role("alert")).to_contain_text("Attendance recorded.")
    expect(page.get_by_label("Discussion notes")).to_have_value(NOTES)
    page.get_by_label("Rationale for the decisions").fill(RATIONALE)
    page.get_by_role("button", name="Save notes").click()  # at the version the attendance moved it to
    expect(page.locator("#record-section").get_by_role("alert")).to_contain_text("Notes saved.")
    expect(attendance.get_by_role("alert")).to_have_count(0)  # the newest message only
    discussion.refresh_from_db()
    assert (discussion.notes.splitlines(), discussion.rationale) == (NOTES.splitlines(), RATIONALE)
    assert {i.attendance for i in discussion.invitations.all()} == {Attendance.ATTENDED}

    # Leaving with something typed and not saved asks first; staying keeps it.
    page.get_by_label("Discussion notes").fill(NOTES + " Education to be asked.")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss() if len(dialogs) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.get_by_role("link", name="Strategy", exact=True).click()
    expect(page.get_by_label("Discussion notes")).to_have_value(NOTES + " Education to be asked.")
    assert dialogs == ["beforeunload"]
    page.get_by_role("link", name="Strategy", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Strategy")).to_be_visible()
    assert dialogs == ["beforeunload", "beforeunload"]


def test_withdrawing_an_invitation_keeps_the_attendance_chosen(page, cast, person):
    """'Withdraw the invitation' sends the attendance section back: the choices not yet saved stay,
    and saving them afterwards is not refused as made on an out-of-date copy."""
    from strategy import services as strategy_services

    discussion = _convened(cast, person)
    strategy_services.invitations_add(
        discussion=discussion,
        by=cast.decision_maker,
        invitees=[strategy_services.Invitee(agency=cast.health)],
    )
    sign_in(page, cast.decision_maker)
    page.goto(f"/strategy/discussions/{discussion.pk}/")

    attendance = page.locator("#attendance-section")
    attendance.get_by_role("group", name="Constabulary", exact=True).get_by_label("Attended").check()
    attendance.get_by_role("button", name="Withdraw the invitation of Integrated Care Board").click()

    expect(attendance.get_by_role("alert")).to_contain_text("Invitation withdrawn.")
    expect(attendance.get_by_role("group", name="Integrated Care Board", exact=True)).to_have_count(0)
    police = attendance.get_by_role("group", name="Constabulary", exact=True)
    expect(police.get_by_label("Attended")).to_be_checked()
    page.get_by_role("button", name="Save attendance").click()
    expect(attendance.get_by_role("alert")).to_contain_text("Attendance recorded.")
    assert discussion.invitations.get(agency=cast.police).attendance == Attendance.ATTENDED
