"""The changes to a discussion: re-scheduling, cancelling, invitations, what is considered, attendance,
the record, decisions, actions, sign-off, addenda and findings. Each answers with the discussion."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from referrals.models import State
from strategy.models import Action, Addendum, DiscussionStatus, Invitation, StrategyDiscussion
from tests.strategy_api.conftest import denials, discussion_of_new_referral, url

pytestmark = pytest.mark.django_db


def post(api_client, user, name, body, *args):
    api_client.force_authenticate(user)
    return api_client.post(url(name, *args), body, format="json")


def change(api_client, cast, discussion, name, body, *args, user=None):
    return post(
        api_client, user or cast.decision_maker, f"api-strategy-discussion-{name}", body, discussion.pk, *args
    )


def invitation_of(discussion, agency) -> Invitation:
    return discussion.invitations.get(agency=agency)


def in_a_week() -> str:
    return (timezone.localdate() + timedelta(days=7)).isoformat()


def valid_bodies(cast, discussion, person) -> dict:
    """A valid body for each versioned change, at the discussion's current version."""
    version = {"version": discussion.version}
    return {
        "reschedule": {**version, "scheduled_at": timezone.now().isoformat(), "reason": "Chair unwell."},
        "cancel": {**version, "reason": "Family moved away."},
        "invitations": {**version, "invitees": [{"agency": cast.outsider_agency.pk}]},
        "considered": {**version, "considered": []},
        "attendance": {
            **version,
            "attendance": [
                {"invitation": invitation_of(discussion, cast.police).pk, "attendance": "attended"}
            ],
        },
        "record": {**version, "notes": "Notes.", "rationale": "Why."},
        "decisions": {**version, "decisions": [{"person": person.pk, "decision": "s47_joint"}]},
        "actions": {
            **version,
            "description": "Visit.",
            "owner_agency": cast.police.pk,
            "due_on": in_a_week(),
        },
        "sign-off": version,
    }


VERSIONED = [
    "reschedule",
    "cancel",
    "invitations",
    "considered",
    "attendance",
    "record",
    "decisions",
    "actions",
    "sign-off",
]


# --- Re-scheduling and cancelling ------------------------------------------------------------------


def test_the_chair_reschedules(api_client, cast, discussion):
    when = timezone.now() + timedelta(days=1)

    response = change(
        api_client,
        cast,
        discussion,
        "reschedule",
        {
            "version": discussion.version,
            "scheduled_at": when.isoformat(),
            "reason": "Chair unwell.",
            "mode": "call",
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert parse_datetime(body["scheduled_at"]) == when
    assert (body["mode"], body["location"], body["version"]) == ("call", "Teams", discussion.version + 1)
    assert StrategyDiscussion.objects.get().sequence == 1


def test_a_reschedule_without_a_reason_is_a_400_naming_it(api_client, cast, discussion):
    body = {"version": discussion.version, "scheduled_at": timezone.now().isoformat()}

    response = change(api_client, cast, discussion, "reschedule", body)

    assert response.status_code == 400
    assert list(response.json()) == ["reason"]


def test_the_chair_cancels(api_client, cast, discussion):
    response = change(
        api_client, cast, discussion, "cancel", {"version": discussion.version, "reason": "Moved away."}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["cancellation_reason"]) == ("cancelled", "Moved away.")
    assert body["cancelled_by"]["id"] == cast.decision_maker.pk


# --- Invitations and what is considered -------------------------------------------------------------


def test_more_agencies_are_invited_and_then_see_the_discussion(api_client, cast, education, discussion):
    response = change(
        api_client,
        cast,
        discussion,
        "invitations",
        {"version": discussion.version, "invitees": [{"agency": education["agency"].pk}]},
    )

    assert response.status_code == 201, response.content
    assert education["agency"].pk in {row["agency"]["id"] for row in response.json()["invitations"]}
    api_client.force_authenticate(education["researcher"])
    assert api_client.get(url("api-strategy-discussion", discussion.pk)).status_code == 200


def test_inviting_twice_is_a_400_naming_the_invitees(api_client, cast, discussion):
    response = change(
        api_client,
        cast,
        discussion,
        "invitations",
        {"version": discussion.version, "invitees": [{"agency": cast.health.pk}]},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["invitees"]


def test_someone_of_another_agency_is_refused(api_client, cast, discussion):
    response = change(
        api_client,
        cast,
        discussion,
        "invitations",
        {
            "version": discussion.version,
            "invitees": [{"agency": cast.health.pk, "user": cast.police_researcher.pk}],
        },
    )

    assert response.status_code == 400
    assert "does not work for" in response.json()["invitees"][0]


def test_an_invitation_is_withdrawn_and_the_agency_loses_sight(api_client, cast, discussion):
    health = invitation_of(discussion, cast.health)

    response = change(
        api_client, cast, discussion, "invitation-remove", {"version": discussion.version}, health.pk
    )

    assert response.status_code == 200, response.content
    assert cast.health.pk not in {row["agency"]["id"] for row in response.json()["invitations"]}
    api_client.force_authenticate(cast.health_researcher)
    assert api_client.get(url("api-strategy-discussion", discussion.pk)).status_code == 404


def test_the_chair_cannot_be_uninvited(api_client, cast, discussion):
    chair = invitation_of(discussion, cast.lead)

    response = change(
        api_client, cast, discussion, "invitation-remove", {"version": discussion.version}, chair.pk
    )

    assert response.status_code == 400
    assert "chair" in response.json()["non_field_errors"][0]


def test_an_invitation_of_another_discussion_is_a_404(api_client, cast, discussion):
    other = discussion_of_new_referral(cast)
    police = invitation_of(other, cast.police)

    response = change(
        api_client, cast, discussion, "invitation-remove", {"version": discussion.version}, police.pk
    )

    assert response.status_code == 404
    assert Invitation.objects.filter(pk=police.pk).exists()


def test_the_considered_answers_are_chosen(api_client, cast, collated, discussion):
    body = {"version": discussion.version, "considered": [collated.police_answer.pk]}

    response = change(api_client, cast, discussion, "considered", body)

    assert response.status_code == 200, response.content
    assert response.json()["considered"] == [collated.police_answer.pk]


def test_an_answer_about_another_referral_is_refused(api_client, cast, discussion):
    other = discussion_of_new_referral(cast).referral.information_requests.get()

    response = change(
        api_client, cast, discussion, "considered", {"version": discussion.version, "considered": [other.pk]}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["considered"]


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


def test_the_decisions_are_recorded(api_client, cast, discussion, person):
    body = {
        "version": discussion.version,
        "decisions": [{"person": person.pk, "decision": "s47_joint", "rationale": "Injury."}],
    }

    response = change(api_client, cast, discussion, "decisions", body)

    assert response.status_code == 200, response.content
    [decision] = response.json()["decisions"]
    assert (decision["person"]["id"], decision["decision"], decision["rationale"], decision["finding"]) == (
        person.pk,
        "s47_joint",
        "Injury.",
        "",
    )
    assert decision["conference_clock"] is None


@pytest.mark.parametrize(
    "decisions, field",
    [
        ([], "decisions"),
        ([{"person": 999999, "decision": "s47_joint"}], "decisions"),
        ([{"person": "sibling", "decision": "s47_joint"}], "decisions"),
        ([{"person": "person", "decision": "s42_enquiry"}], "decision-{person}"),  # an adult's decision
        ([{"person": "person", "decision": "maybe"}], "decisions"),
    ],
)
def test_bad_decisions_are_a_400_naming_the_field(
    api_client, cast, collated, discussion, person, decisions, field
):
    sibling = collated.subjects.get(role="sibling").person
    people = {"person": person.pk, "sibling": sibling.pk}
    items = [{**item, "person": people.get(item["person"], item["person"])} for item in decisions]

    response = change(
        api_client, cast, discussion, "decisions", {"version": discussion.version, "decisions": items}
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field.format(person=person.pk)]


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


def test_a_finding_of_continuing_risk_starts_the_conference_clock(api_client, cast, signed_off):
    decision = signed_off.decisions.get()

    response = change(api_client, cast, signed_off, "finding", {"finding": "continuing_risk"}, decision.pk)

    assert response.status_code == 200, response.content
    [row] = response.json()["decisions"]
    assert row["finding"] == "continuing_risk"
    assert row["conference_clock"]["due_at"] and row["conference_clock"]["met"] is None


def test_a_finding_waits_for_the_sign_off(api_client, cast, ready):
    decision = ready.decisions.get()

    response = change(api_client, cast, ready, "finding", {"finding": "continuing_risk"}, decision.pk)

    assert response.status_code == 400


def test_a_bad_finding_is_a_400_naming_it(api_client, cast, signed_off):
    response = change(
        api_client, cast, signed_off, "finding", {"finding": "dunno"}, signed_off.decisions.get().pk
    )

    assert response.status_code == 400
    assert list(response.json()) == ["finding"]


def test_a_decision_of_another_discussion_is_a_404(api_client, cast, signed_off):
    other = discussion_of_new_referral(cast)

    response = change(
        api_client, cast, other, "finding", {"finding": "continuing_risk"}, signed_off.decisions.get().pk
    )

    assert response.status_code == 404


# --- Refusals (one discussion, every change: each is refused without changing it) -------------------


def test_a_stale_version_is_a_409(api_client, cast, discussion, person, subtests):
    bodies = valid_bodies(cast, discussion, person)
    # Someone else changes the discussion first.
    change(api_client, cast, discussion, "record", {"version": discussion.version, "notes": "First."})

    for name in VERSIONED:
        with subtests.test(msg=name):
            response = change(api_client, cast, discussion, name, bodies[name])
            assert response.status_code == 409, response.content
            assert "Someone else changed" in response.json()["detail"]
    assert StrategyDiscussion.objects.get().version == discussion.version + 1


def test_an_invited_partner_may_not_change_the_record(api_client, cast, discussion, person, subtests):
    bodies = {**valid_bodies(cast, discussion, person), "addenda": {"text": "Mine."}}

    for name, body in bodies.items():
        with subtests.test(msg=name):
            response = change(api_client, cast, discussion, name, body, user=cast.police_decision_maker)
            assert response.status_code == 400, response.content
    assert StrategyDiscussion.objects.get().version == discussion.version


@pytest.mark.parametrize("who", ["education", "outsider"])
def test_a_discussion_out_of_sight_is_a_logged_404_whatever_the_change(
    api_client, cast, education, discussion, person, who, subtests
):
    user = education["decision_maker"] if who == "education" else cast.outsider
    bodies = {
        **valid_bodies(cast, discussion, person),
        "addenda": {"text": "Mine."},
        "invitation-remove": {"version": discussion.version},
        "finding": {"finding": "continuing_risk"},
    }
    extra = {"invitation-remove": [invitation_of(discussion, cast.health).pk], "finding": [1]}

    for name, body in bodies.items():
        with subtests.test(msg=name):
            before = denials(user, discussion)
            response = change(api_client, cast, discussion, name, body, *extra.get(name, []), user=user)
            assert response.status_code == 404
            assert denials(user, discussion) == before + 1
    assert StrategyDiscussion.objects.get().version == discussion.version
