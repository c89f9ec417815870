"""The record of a discussion: attendance, notes, decisions, actions, sign-off, addenda and findings."""

import pytest

from referrals.models import State
from strategy.models import Action, Addendum, DiscussionStatus, StrategyDiscussion
from tests.strategy_api.conftest import (
    change,
    discussion_of_new_referral,
    in_a_week,
    invitation_of,
    url,
)

pytestmark = pytest.mark.django_db


# --- The record ------------------------------------------------------------------------------------


def test_attendance_is_recorded(api_client, cast, discussion):
    police, health = invitation_of(discussion, cast.police), invitation_of(discussion, cast.health)
    body = {
        "version": discussion.version,
        "attendance": [
            {"invitation": police.pk, "attendance": "attended"},
            {"invitation": health.pk, "attendance": "apologies"},
        ],
    }

    response = change(api_client, cast, discussion, "attendance", body)

    assert response.status_code == 200, response.content
    rows = {row["id"]: row["attendance"] for row in response.json()["invitations"]}
    assert (rows[police.pk], rows[health.pk]) == ("attended", "apologies")


@pytest.mark.parametrize(
    "item", [{"invitation": 999999, "attendance": "attended"}, {"invitation": 1, "attendance": "late"}]
)
def test_bad_attendance_is_a_400_naming_it(api_client, cast, discussion, item):
    response = change(
        api_client, cast, discussion, "attendance", {"version": discussion.version, "attendance": [item]}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["attendance"]


def test_the_notes_and_rationale_are_saved(api_client, cast, discussion):
    body = {"version": discussion.version, "notes": "Bruising discussed.", "rationale": "Injury unexplained."}

    response = change(api_client, cast, discussion, "record", body)

    assert response.status_code == 200, response.content
    assert (response.json()["notes"], response.json()["rationale"]) == (
        "Bruising discussed.",
        "Injury unexplained.",
    )


def test_the_decisions_are_recorded_for_every_child(api_client, cast, collated, discussion, person):
    sibling = collated.subjects.get(role="sibling").person
    api_client.force_authenticate(cast.decision_maker)
    detail = api_client.get(url("api-strategy-discussion", discussion.pk))
    assert [p["id"] for p in detail.json()["decided_for"]] == [person.pk, sibling.pk]
    body = {
        "version": discussion.version,
        "decisions": [
            {"person": person.pk, "decision": "s47_joint", "rationale": "Injury."},
            {"person": sibling.pk, "decision": "s17_assessment"},
        ],
    }

    response = change(api_client, cast, discussion, "decisions", body)

    assert response.status_code == 200, response.content
    decision, for_sibling = response.json()["decisions"]
    assert (decision["person"]["id"], decision["decision"], decision["rationale"], decision["finding"]) == (
        person.pk,
        "s47_joint",
        "Injury.",
        "",
    )
    assert decision["conference_clock"] is None
    assert (for_sibling["person"]["id"], for_sibling["decision"]) == (sibling.pk, "s17_assessment")


@pytest.mark.parametrize(
    "decisions, fields",
    [
        ([], ["decisions"]),
        ([{"person": 999999, "decision": "s47_joint"}], ["decisions"]),
        ([{"person": "sibling", "decision": "s47_joint"}], ["decision-{person}"]),  # a child left out
        ([{"person": "person", "decision": "s42_enquiry"}], ["decision-{person}", "decision-{sibling}"]),
        ([{"person": "person", "decision": "maybe"}], ["decisions"]),
    ],
)
def test_bad_decisions_are_a_400_naming_every_field_at_once(
    api_client, cast, collated, discussion, person, decisions, fields
):
    sibling = collated.subjects.get(role="sibling").person
    people = {"person": person.pk, "sibling": sibling.pk}
    items = [{**item, "person": people.get(item["person"], item["person"])} for item in decisions]

    response = change(
        api_client, cast, discussion, "decisions", {"version": discussion.version, "decisions": items}
    )

    assert response.status_code == 400, response.content
    assert sorted(response.json()) == sorted(f.format(person=person.pk, sibling=sibling.pk) for f in fields)
    assert not discussion.decisions.exists()


def test_an_action_is_added(api_client, cast, discussion):
    body = {
        "version": discussion.version,
        "description": "Visit the school.",
        "owner_agency": cast.health.pk,
        "owner": cast.health_researcher.pk,
        "due_on": in_a_week(),
    }

    response = change(api_client, cast, discussion, "actions", body)

    assert response.status_code == 201, response.content
    [action] = response.json()["actions"]
    assert (action["description"], action["owner_agency"]["id"], action["owner"]["id"], action["status"]) == (
        "Visit the school.",
        cast.health.pk,
        cast.health_researcher.pk,
        "open",
    )
    assert action["due_on"] == in_a_week()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"description": " "}, "description"),
        ({"owner_agency": 999999}, "owner_agency"),
        ({"owner": 999999}, "owner"),
        ({"owner": "police_researcher"}, "owner"),  # not of the health agency
        ({"due_on": "2000-01-01"}, "due_on"),
        ({"due_on": "soon"}, "due_on"),
    ],
)
def test_a_bad_action_is_a_400_naming_the_field(api_client, cast, discussion, fields, field):
    if fields.get("owner") == "police_researcher":
        fields = {"owner": cast.police_researcher.pk}
    body = {
        "version": discussion.version,
        "description": "Visit the school.",
        "owner_agency": cast.health.pk,
        "due_on": in_a_week(),
        **fields,
    }

    response = change(api_client, cast, discussion, "actions", body)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert not Action.objects.exists()


# --- Sign-off, addenda, findings -------------------------------------------------------------------


def test_the_record_is_signed_off(api_client, cast, ready):
    response = change(api_client, cast, ready, "sign-off", {"version": ready.version})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["signed_off_by"]["id"], body["sign_off_problems"]) == (
        "signed_off",
        cast.decision_maker.pk,
        {},
    )
    assert body["strategy_clock"]["met"] is True
    ready.referral.refresh_from_db()
    assert ready.referral.state == State.DECIDED


def test_an_incomplete_record_is_refused_naming_what_is_missing(api_client, cast, discussion):
    response = change(api_client, cast, discussion, "sign-off", {"version": discussion.version})

    assert response.status_code == 400
    assert set(response.json()) == {"attendance", "decisions", "rationale"}
    assert StrategyDiscussion.objects.get().status == DiscussionStatus.SCHEDULED


def test_a_signed_off_record_takes_addenda_not_changes(api_client, cast, signed_off):
    record = change(
        api_client,
        cast,
        signed_off,
        "record",
        {"version": signed_off.version, "notes": "x", "rationale": "y"},
    )
    addendum = change(api_client, cast, signed_off, "addenda", {"text": "The school called back."})

    assert record.status_code == 400
    assert "addendum" in record.json()["non_field_errors"][0]
    assert addendum.status_code == 201, addendum.content
    [row] = addendum.json()["addenda"]
    assert (row["text"], row["by"]["id"]) == ("The school called back.", cast.decision_maker.pk)


def test_an_open_record_takes_no_addendum(api_client, cast, discussion):
    response = change(api_client, cast, discussion, "addenda", {"text": "Later."})

    assert response.status_code == 400
    assert not Addendum.objects.exists()


def test_an_empty_addendum_is_a_400_naming_the_text(api_client, cast, signed_off):
    response = change(api_client, cast, signed_off, "addenda", {"text": " "})

    assert response.status_code == 400
    assert list(response.json()) == ["text"]


def test_a_finding_of_continuing_risk_starts_the_conference_clock(api_client, cast, signed_off, person):
    decision = signed_off.decisions.get(person=person)

    response = change(api_client, cast, signed_off, "finding", {"finding": "continuing_risk"}, decision.pk)

    assert response.status_code == 200, response.content
    row = next(row for row in response.json()["decisions"] if row["person"]["id"] == person.pk)
    assert row["finding"] == "continuing_risk"
    assert row["conference_clock"]["due_at"] and row["conference_clock"]["met"] is None


def test_a_finding_waits_for_the_sign_off(api_client, cast, ready, person):
    decision = ready.decisions.get(person=person)

    response = change(api_client, cast, ready, "finding", {"finding": "continuing_risk"}, decision.pk)

    assert response.status_code == 400


def test_a_bad_finding_is_a_400_naming_it(api_client, cast, signed_off, person):
    response = change(
        api_client,
        cast,
        signed_off,
        "finding",
        {"finding": "dunno"},
        signed_off.decisions.get(person=person).pk,
    )

    assert response.status_code == 400
    assert list(response.json()) == ["finding"]


def test_a_decision_of_another_discussion_is_a_404(api_client, cast, signed_off, person):
    other = discussion_of_new_referral(cast)

    response = change(
        api_client,
        cast,
        other,
        "finding",
        {"finding": "continuing_risk"},
        signed_off.decisions.get(person=person).pk,
    )

    assert response.status_code == 404
