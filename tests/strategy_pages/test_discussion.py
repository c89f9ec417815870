"""The discussion page as the chair uses it during the meeting: attendance, notes and rationale, a
decision per subject, actions, sign-off; then the locked record, addenda and the section 47 finding."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.common.dates import format_date
from referrals.models import EventKind, Outcome, State
from strategy.models import Action, Addendum, Attendance, DiscussionStatus, SubjectDecision

pytestmark = pytest.mark.django_db

NOTES = "Police: two call-outs this year. Health: missed immunisations."
RATIONALE = "Injury and a pattern of violence at home: a joint section 47 enquiry."
FORMS = ["attendance", "record", "decisions", "action_add", "sign_off", "reschedule", "cancel", "invite"]


def page_url(discussion) -> str:
    return reverse("strategy:discussion", args=[discussion.pk])


def form_action(discussion, url_name, *args) -> str:
    return f'action="{reverse(f"strategy:{url_name}", args=[discussion.pk, *args])}"'


def everyone(discussion, value=Attendance.ATTENDED) -> dict:
    return {f"attendance-{i.pk}": value for i in discussion.invitations.all()}


def action_data(cast, **fields) -> dict:
    data = {
        "description": "Check the police systems for the stepfather.",
        "owner_agency": cast.police.pk,
        "owner": cast.police_decision_maker.pk,
        "due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
    }
    data.update(fields)
    return data


def non_field_errors(response) -> list[str]:
    return list(response.context["failed_form"].non_field_errors())


@pytest.fixture
def chair(client, cast):
    client.force_login(cast.decision_maker)
    return cast.decision_maker


def test_the_chair_records_the_meeting_and_signs_it_off(client, cast, person, discussion, chair, post_to):
    page = client.get(page_url(discussion))
    assert page.status_code == 200
    for name in FORMS:
        assert form_action(discussion, name) in page.content.decode()

    response = post_to(discussion, "attendance", everyone(discussion))
    assert response.status_code == 302
    assert response.url == page_url(discussion) + "#attendance"
    assert set(discussion.invitations.values_list("attendance", flat=True)) == {Attendance.ATTENDED}

    response = post_to(discussion, "record", {"notes": NOTES, "rationale": RATIONALE})
    assert response.status_code == 302
    discussion.refresh_from_db()
    assert (discussion.notes, discussion.rationale) == (NOTES, RATIONALE)

    sibling = discussion.referral.subjects.get(role="sibling").person
    response = post_to(
        discussion,
        "decisions",
        {
            f"decision-{person.pk}": "s47_joint",
            f"rationale-{person.pk}": "Injury.",
            f"decision-{sibling.pk}": "s17_assessment",
        },
    )
    assert response.status_code == 302
    decision = SubjectDecision.objects.get(discussion=discussion, person=person)
    assert (decision.person, decision.decision, decision.rationale) == (person, "s47_joint", "Injury.")
    assert SubjectDecision.objects.get(discussion=discussion, person=sibling).decision == "s17_assessment"

    assert post_to(discussion, "action_add", action_data(cast)).status_code == 302
    due = timezone.localdate() + timedelta(days=5)
    response = post_to(
        discussion,
        "action_add",
        action_data(
            cast,
            description="Book a paediatric assessment.",
            owner_agency=cast.health.pk,
            owner="",
            due_on=due,
        ),
    )
    assert response.status_code == 302
    actions = list(Action.objects.filter(discussion=discussion).order_by("pk"))
    assert [(a.owner_agency, a.owner) for a in actions] == [
        (cast.police, cast.police_decision_maker),
        (cast.health, None),
    ]
    assert actions[1].due_on == due

    body = client.get(page_url(discussion)).content.decode()
    assert "Check the police systems for the stepfather." in body
    assert "Book a paediatric assessment." in body
    assert format_date(due) in body
    assert "Everything needed is recorded." in body

    response = post_to(discussion, "sign_off")
    assert response.status_code == 302
    discussion.refresh_from_db()
    assert (discussion.status, discussion.signed_off_by) == (DiscussionStatus.SIGNED_OFF, cast.decision_maker)
    referral = discussion.referral
    referral.refresh_from_db()
    assert (referral.state, referral.outcome) == (State.DECIDED, Outcome.STRATEGY_DISCUSSION)
    assert referral.timeline.filter(
        kind=EventKind.STRATEGY, note__startswith="Strategy discussion record signed off"
    ).exists()
    assert (
        "Record signed off: the referral has its outcome."
        in client.get(page_url(discussion)).content.decode()
    )


def test_signing_off_an_incomplete_record_lists_each_problem(client, discussion, chair, post_to):
    version = discussion.version
    response = post_to(discussion, "sign_off")

    assert response.status_code == 400
    problems = non_field_errors(response)
    assert "Record the attendance of everyone invited." in problems
    assert "Record the decision for Jayden Smith, Amelia Smith." in problems
    assert "Give the rationale for the decisions." in problems
    body = response.content.decode()
    assert "There is a problem" in body
    assert "<title>Error: " in body
    discussion.refresh_from_db()
    assert (discussion.status, discussion.version) == (DiscussionStatus.SCHEDULED, version)
    assert discussion.referral.state == State.STRATEGY_DISCUSSION


def test_a_discussion_not_yet_held_cannot_be_signed_off(client, cast, convene, hold, chair, post_to):
    discussion = hold(convene(scheduled_at=timezone.now() + timedelta(hours=2)), sign_off=False)

    response = post_to(discussion, "sign_off")

    assert response.status_code == 400
    assert non_field_errors(response) == [
        "The discussion has not started yet: re-schedule it if it was held earlier."
    ]
    discussion.refresh_from_db()
    assert discussion.status == DiscussionStatus.SCHEDULED


@pytest.mark.parametrize(
    "url_name,data",
    [
        ("attendance", None),
        ("record", {"notes": "Overwritten.", "rationale": "Overwritten."}),
        ("decisions", {"decision-PERSON": "nfa"}),
        ("action_add", "ACTION"),
        ("sign_off", {}),
        ("cancel", {"reason": "Overwritten."}),
    ],
)
def test_a_stale_version_is_refused_and_nothing_changes(
    client, cast, person, discussion, chair, post_to, url_name, data
):
    # Someone else recorded the notes since this page was opened.
    assert post_to(discussion, "record", {"notes": NOTES, "rationale": RATIONALE}).status_code == 302
    discussion.refresh_from_db()
    stale = discussion.version - 1
    if data is None:
        data = everyone(discussion)
    elif data == "ACTION":
        data = action_data(cast)
    else:
        data = {k.replace("PERSON", str(person.pk)): v for k, v in data.items()}

    response = post_to(discussion, url_name, data, version=stale)

    assert response.status_code == 409
    if url_name == "sign_off":  # nothing typed: the refusal, with the page as saved now
        assert any("Someone else changed this discussion" in e for e in non_field_errors(response))
    else:  # what was typed is kept, at the version saved now: saving again is a deliberate overwrite
        assert any("Someone else saved this first" in e for e in non_field_errors(response))
        failed = response.context["failed_form"]
        assert str(failed["version"].value()) == str(discussion.version)
        assert {k: failed[k].value() for k in data} == {k: str(v) for k, v in data.items()}
    version = discussion.version
    discussion.refresh_from_db()
    assert discussion.version == version
    assert (discussion.notes, discussion.rationale, discussion.status) == (
        NOTES,
        RATIONALE,
        DiscussionStatus.SCHEDULED,
    )
    assert set(discussion.invitations.values_list("attendance", flat=True)) == {""}
    assert not discussion.decisions.exists()
    assert not discussion.actions.exists()


def test_the_decisions_form_asks_for_every_child_and_names_each_left_out(
    client, discussion, chair, post_to, person
):
    sibling = discussion.referral.subjects.get(role="sibling").person
    page = client.get(page_url(discussion)).content.decode()
    for child in (person, sibling):
        assert f'name="decision-{child.pk}"' in page and f'name="rationale-{child.pk}"' in page
    assert 'Amelia Smith <span class="govuk-body-s">(sibling' in page

    response = post_to(discussion, "decisions", {f"rationale-{person.pk}": "Injury."})

    assert response.status_code == 400
    body = response.content.decode()
    for child in (person, sibling):
        assert f'href="#decisions_decision-{child.pk}_0"' in body
    assert "Choose the decision for Jayden Smith." in body
    assert "Choose the decision for Amelia Smith." in body
    assert "Injury.</textarea>" in body  # what was typed stays
    assert not discussion.decisions.exists()


def test_an_action_without_description_or_agency_is_refused_naming_each(client, discussion, chair, post_to):
    response = post_to(discussion, "action_add", {"description": "", "owner_agency": "", "due_on": ""})

    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#action_description"' in body
    assert "What is to be done: Say what is to be done." in body
    assert "Agency: Choose the agency that owns the action." in body
    assert 'href="#action_due_on"' in body
    assert not discussion.actions.exists()


def test_an_action_for_someone_outside_its_agency_is_refused(client, cast, discussion, chair, post_to):
    response = post_to(discussion, "action_add", action_data(cast, owner_agency=cast.health.pk))

    assert response.status_code == 400
    assert "Person (optional): " in response.content.decode()
    assert "does not work for Integrated Care Board." in response.content.decode()
    assert not discussion.actions.exists()


def test_after_sign_off_the_forms_are_gone_and_an_addendum_can_be_added(
    client, cast, discussion, hold, chair, post_to
):
    hold(discussion)
    page = client.get(page_url(discussion)).content.decode()
    for name in FORMS:
        assert form_action(discussion, name) not in page, name
    assert form_action(discussion, "addendum") in page
    assert "The record is locked: later changes are addenda." in page

    refused = post_to(discussion, "record", {"notes": "Changed afterwards.", "rationale": "Changed."})
    assert refused.status_code == 400
    assert non_field_errors(refused) == ["This discussion is signed off: add an addendum instead."]

    response = client.post(
        reverse("strategy:addendum", args=[discussion.pk]), {"text": "The stepfather has moved out."}
    )

    assert response.status_code == 302
    assert response.url == page_url(discussion) + "#addenda"
    addendum = Addendum.objects.get(discussion=discussion)
    assert (addendum.text, addendum.by) == ("The stepfather has moved out.", cast.decision_maker)
    discussion.refresh_from_db()
    assert discussion.notes == "Police and health shared what they hold."
    assert "The stepfather has moved out." in client.get(page_url(discussion)).content.decode()
    assert discussion.referral.timeline.filter(
        note__startswith="Addendum to the strategy discussion"
    ).exists()


def test_an_empty_addendum_is_refused(client, discussion, hold, chair):
    hold(discussion)
    response = client.post(reverse("strategy:addendum", args=[discussion.pk]), {"text": " "})

    assert response.status_code == 400
    assert "Addendum: Write the addendum." in response.content.decode()
    assert not Addendum.objects.exists()


def test_a_section_47_finding_of_continuing_risk_starts_the_conference_clock(
    client, discussion, hold, chair, person
):
    hold(discussion)
    decision = SubjectDecision.objects.get(discussion=discussion, person=person)
    page = client.get(page_url(discussion)).content.decode()
    assert form_action(discussion, "finding", decision.pk) in page

    response = client.post(
        reverse("strategy:finding", args=[discussion.pk, decision.pk]), {"finding": "continuing_risk"}
    )

    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.finding == "continuing_risk"
    clock = decision.conference_clock
    assert clock is not None and clock.started_at == discussion.scheduled_at
    page = client.get(page_url(discussion)).content.decode()
    due = format_date(clock.due_at)
    assert f"Initial child protection conference due by {due}" in page
    assert "Finding recorded." in page
    assert form_action(discussion, "finding", decision.pk) not in page


def test_a_finding_without_a_choice_is_refused_with_a_message(client, discussion, hold, chair, person):
    hold(discussion)
    decision = SubjectDecision.objects.get(discussion=discussion, person=person)

    response = client.post(reverse("strategy:finding", args=[discussion.pk, decision.pk]), {}, follow=True)

    assert "Choose the finding of the enquiry." in response.content.decode()
    decision.refresh_from_db()
    assert (decision.finding, decision.conference_clock) == ("", None)


def test_an_unknown_attendance_is_refused_and_the_error_links_to_the_radios(
    client, discussion, chair, post_to
):
    invitation = discussion.invitations.order_by("pk").first()
    response = post_to(discussion, "attendance", {f"attendance-{invitation.pk}": "asleep"})

    assert response.status_code == 400
    body = response.content.decode()
    start = body.index('class="govuk-error-summary"')
    summary = body[start : body.index("</ul>", start)]
    (target,) = re.findall(r'href="#([^"]+)"', summary)
    assert f'id="{target}"' in body, f"the error links to #{target}, which is not on the page"
    invitation.refresh_from_db()
    assert invitation.attendance == ""
