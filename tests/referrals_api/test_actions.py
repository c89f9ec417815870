import pytest

from mash.notifications.models import Notification
from mash.sharing.models import AccessAction, AccessLog
from mash.sharing.services import grant_view
from referrals import services
from referrals.models import RagRating, TimelineEvent
from tests.referrals_api.conftest import url

pytestmark = pytest.mark.django_db


def post(api_client, user, name, referral, data):
    api_client.force_authenticate(user)
    return api_client.post(url(name, referral.pk), data, format="json")


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def test_a_referral_goes_from_received_to_closed_and_back(api_client, cast, referral):
    body = ok(
        post(
            api_client,
            cast.triage,
            "api-referral-transition",
            referral,
            {"to_state": "screening", "version": 1},
        )
    )
    assert (body["state"], body["version"], body["assigned_to"]["id"]) == ("screening", 2, cast.triage.pk)
    assert body["allowed_transitions"] == ["information_gathering", "awaiting_threshold_decision"]

    body = ok(
        post(
            api_client,
            cast.triage,
            "api-referral-rag",
            referral,
            {"rating": "amber", "rationale": "Bruising", "version": 2},
        )
    )
    assert (body["rag"], body["rag_rationale"], body["version"]) == ("amber", "Bruising", 3)
    body = ok(
        post(
            api_client,
            cast.triage,
            "api-referral-rag",
            referral,
            {"rating": "red", "rationale": "Disclosure", "version": 3},
        )
    )
    assert [(r["rating"], r["previous"], r["by"]) for r in body["rag_history"]] == [
        ("amber", "", cast.triage.get_full_name()),
        ("red", "amber", cast.triage.get_full_name()),
    ]

    for version, state in [(4, "information_gathering"), (5, "awaiting_threshold_decision")]:
        body = ok(
            post(
                api_client,
                cast.triage,
                "api-referral-transition",
                referral,
                {"to_state": state, "version": version},
            )
        )
        assert body["state"] == state

    body = ok(
        post(
            api_client,
            cast.decision_maker,
            "api-referral-outcome",
            referral,
            {"outcome": "s17_assessment", "rationale": "Child in need", "version": 6},
        )
    )
    assert (body["state"], body["outcome"], body["outcome_by"]["id"]) == (
        "decided",
        "s17_assessment",
        cast.decision_maker.pk,
    )
    assert body["decision_clock"]["stopped_at"] is not None
    assert body["allowed_transitions"] == []

    body = ok(post(api_client, cast.triage, "api-referral-close", referral, {"version": 7}))
    assert (body["state"], body["version"]) == ("closed", 8)
    assert body["closed_at"] is not None
    assert Notification.objects.get(event="referral.feedback").address == "dsl@orwell-primary.example"

    body = ok(
        post(
            api_client,
            cast.triage,
            "api-referral-reopen",
            referral,
            {"reason": "A new disclosure", "version": 8},
        )
    )
    assert (body["state"], body["outcome"], body["closed_at"]) == ("screening", "", None)
    assert body["decision_clock"]["stopped_at"] is None  # a new decision, on a new clock

    body = ok(
        post(
            api_client,
            cast.triage,
            "api-referral-assign",
            referral,
            {"assignee_id": cast.manager.pk, "version": 9},
        )
    )
    assert body["assigned_to"] == {"id": cast.manager.pk, "name": cast.manager.get_full_name()}
    body = ok(
        post(api_client, cast.triage, "api-referral-assign", referral, {"assignee_id": None, "version": 10})
    )
    assert body["assigned_to"] is None

    referral.refresh_from_db()
    assert (referral.state, referral.version, referral.assigned_to) == ("screening", 11, None)
    assert RagRating.objects.filter(referral=referral).count() == 2
    assert list(TimelineEvent.objects.filter(referral=referral).values_list("kind", flat=True)) == [
        "received",
        "transition",
        "rag",
        "rag",
        "transition",
        "transition",
        "outcome",
        "feedback",
        "transition",
        "reopened",
        "assigned",
        "assigned",
    ]
    assert [event["kind"] for event in body["timeline"]][-2:] == ["assigned", "assigned"]
    # Each action first read the referral through the selector: a logged read.
    assert AccessLog.objects.filter(action=AccessAction.VIEW, object_id=str(referral.pk)).count() == 10


def test_a_closed_referral_without_an_email_needs_a_feedback_note(api_client, cast, make_referral):
    referral = make_referral(referrer_email="")
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    referral = services.referral_record_outcome(
        referral=referral, by=cast.decision_maker, outcome="nfa", rationale="No"
    )
    response = post(api_client, cast.triage, "api-referral-close", referral, {"version": referral.version})
    assert response.status_code == 400
    assert "feedback_note" in response.json()

    data = {"feedback_note": "Told by phone", "version": referral.version}
    assert (
        ok(post(api_client, cast.triage, "api-referral-close", referral, data))["timeline"][-2]["note"]
        == "Told by phone"
    )


@pytest.mark.parametrize(
    "data, field",
    [
        ({"to_state": "decided", "version": 1}, "to_state"),  # not a simple transition
        ({"to_state": "information_gathering", "version": 1}, "to_state"),  # not from received
        ({"to_state": "lost", "version": 1}, "to_state"),
        ({"to_state": "screening"}, "version"),
        ({"to_state": "screening", "version": "one"}, "version"),
        ({"to_state": "screening", "version": 0}, "version"),
    ],
)
def test_a_refused_transition_names_the_field_and_changes_nothing(api_client, cast, referral, data, field):
    response = post(api_client, cast.triage, "api-referral-transition", referral, data)
    assert response.status_code == 400
    assert field in response.json()
    referral.refresh_from_db()
    assert (referral.state, referral.version) == ("received", 1)
    assert TimelineEvent.objects.filter(referral=referral).count() == 1


def test_a_stale_version_is_a_conflict(api_client, cast, referral):
    ok(
        post(
            api_client,
            cast.triage,
            "api-referral-transition",
            referral,
            {"to_state": "screening", "version": 1},
        )
    )
    response = post(
        api_client,
        cast.triage,
        "api-referral-rag",
        referral,
        {"rating": "red", "rationale": "Injury", "version": 1},
    )
    assert response.status_code == 409
    assert "Someone else changed this referral" in response.json()["detail"]
    referral.refresh_from_db()
    assert (referral.rag, referral.version) == ("", 2)


@pytest.mark.parametrize(
    "name, data, field",
    [
        ("api-referral-rag", {"rating": "red", "rationale": " ", "version": 2}, "rationale"),
        ("api-referral-rag", {"rating": "purple", "rationale": "Why", "version": 2}, "rating"),
        ("api-referral-outcome", {"outcome": "s42_enquiry", "rationale": "Adult", "version": 2}, "outcome"),
        ("api-referral-reopen", {"reason": "Again", "version": 2}, "non_field_errors"),  # not closed
        ("api-referral-assign", {"assignee_id": 2**40, "version": 2}, "assignee_id"),
        ("api-referral-assign", {"version": 2}, "assignee_id"),
        ("api-referral-close", {"feedback_note": "Phoned", "version": 2}, "non_field_errors"),  # not decided
    ],
)
def test_an_action_refused_by_the_service_or_the_input_is_a_400(
    api_client, cast, referral, name, data, field
):
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    user = cast.decision_maker if name == "api-referral-outcome" else cast.triage
    response = post(api_client, user, name, referral, data)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    referral.refresh_from_db()
    assert referral.version == 2


def test_only_a_triage_practitioner_may_be_assigned(api_client, cast, referral):
    response = post(
        api_client,
        cast.triage,
        "api-referral-assign",
        referral,
        {"assignee_id": cast.police_researcher.pk, "version": 1},
    )
    assert response.status_code == 400
    assert "assignee" in response.json()


def test_a_partner_agency_granted_sight_may_not_change_the_referral(api_client, cast, referral):
    grant_view(obj=referral, agency=cast.police)
    response = post(
        api_client,
        cast.police_researcher,
        "api-referral-transition",
        referral,
        {"to_state": "screening", "version": 1},
    )
    assert response.status_code == 403
    assert "triage practitioners" in response.json()["detail"]
    referral.refresh_from_db()
    assert referral.state == "received"
    assert AccessLog.objects.get(user=cast.police_researcher).action == AccessAction.VIEW


def test_only_a_decision_maker_records_the_outcome(api_client, cast, referral):
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    response = post(
        api_client,
        cast.triage,
        "api-referral-outcome",
        referral,
        {"outcome": "nfa", "rationale": "No", "version": 2},
    )
    assert response.status_code == 403
    assert "decision makers" in response.json()["detail"]
