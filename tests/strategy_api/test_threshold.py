"""GET strategy/threshold-queue/, GET/POST threshold-decisions/, GET threshold-decisions/{id}/."""

import pytest
from django.utils.dateparse import parse_datetime

from mash.sharing.models import AccessAction, AccessLog
from referrals.models import State
from strategy.models import ThresholdDecision
from tests.strategy_api.conftest import collated_referral, denials, url

pytestmark = pytest.mark.django_db

QUEUE = "api-threshold-queue"
DECISIONS = "api-threshold-decisions"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def decide(api_client, user, referral, **fields):
    api_client.force_authenticate(user)
    body = {
        "referral": referral.pk,
        "version": referral.version,
        "required": True,
        "rationale": "Reasonable cause to suspect significant harm.",
        **fields,
    }
    return api_client.post(url(DECISIONS), body, format="json")


# --- The queue -------------------------------------------------------------------------------------


def test_the_queue_shows_the_decision_maker_the_referrals_awaiting_a_decision(api_client, cast, collated):
    api_client.force_authenticate(cast.decision_maker)

    response = api_client.get(url(QUEUE))

    assert ids(response) == [collated.pk]
    [row] = response.json()["results"]
    assert (row["reference"], row["state"], row["rag"]) == (
        collated.reference,
        "awaiting_threshold_decision",
        "red",
    )
    assert parse_datetime(row["due_at"]) == collated.decision_clock.due_at


def test_the_queue_leaves_out_referrals_not_awaiting_a_decision(api_client, cast, gathering, required):
    api_client.force_authenticate(cast.decision_maker)

    assert ids(api_client.get(url(QUEUE))) == []


@pytest.mark.parametrize("role", ["police_decision_maker", "police_researcher", "outsider"])
def test_the_queue_is_refused_outside_the_lead_agency(api_client, cast, collated, role):
    api_client.force_authenticate(getattr(cast, role))

    assert api_client.get(url(QUEUE)).status_code == 403


def list_queries(api_client, user, name, django_assert_max_num_queries) -> tuple[int, int]:
    # A fresh instance, as each request has: the user's agency and roles are cached on it.
    api_client.force_authenticate(type(user).objects.get(pk=user.pk))
    with django_assert_max_num_queries(10) as queries:
        response = api_client.get(url(name), {"page_size": 100})
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


def test_the_queue_costs_the_same_few_queries_whatever_its_length(
    api_client, cast, django_assert_max_num_queries
):
    collated_referral(cast)
    list_queries(api_client, cast.decision_maker, QUEUE, django_assert_max_num_queries)
    one = list_queries(api_client, cast.decision_maker, QUEUE, django_assert_max_num_queries)
    for _ in range(3):
        collated_referral(cast)
    four = list_queries(api_client, cast.decision_maker, QUEUE, django_assert_max_num_queries)

    assert (one[1], four[1]) == (1, 4)
    assert one[0] == four[0], (one, four)


# --- The decision ----------------------------------------------------------------------------------


def test_a_decision_maker_decides_a_discussion_is_required(api_client, cast, collated):
    response = decide(
        api_client,
        cast.decision_maker,
        collated,
        information_relied_on="The school's account.",
        answers=[collated.police_answer.pk, collated.health_answer.pk],
    )

    assert response.status_code == 201, response.content
    body = response.json()
    decision = ThresholdDecision.objects.get()
    assert body["id"] == decision.pk
    assert body["referral"] == {"id": collated.pk, "reference": collated.reference}
    assert (body["required"], body["rationale"], body["information_relied_on"]) == (
        True,
        "Reasonable cause to suspect significant harm.",
        "The school's account.",
    )
    assert body["answers_relied_on"] == sorted([collated.police_answer.pk, collated.health_answer.pk])
    assert body["decided_by"]["id"] == cast.decision_maker.pk
    assert parse_datetime(body["strategy_clock"]["due_at"]) == decision.strategy_clock.due_at
    assert body["strategy_clock"]["met"] is None
    collated.refresh_from_db()
    assert collated.state == State.STRATEGY_DISCUSSION


def test_a_decision_that_none_is_required_records_the_outcome(api_client, cast, collated):
    response = decide(api_client, cast.decision_maker, collated, required=False, outcome="early_help")

    assert response.status_code == 201, response.content
    assert response.json()["strategy_clock"] is None
    collated.refresh_from_db()
    assert (collated.state, collated.outcome) == (State.DECIDED, "early_help")


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"rationale": "  "}, "rationale"),
        ({"required": False}, "outcome"),
        ({"required": False, "outcome": "strategy_discussion"}, "outcome"),
        ({"required": "perhaps"}, "required"),
        ({"answers": [999999]}, "answers"),
        ({"version": 0}, "version"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_client, cast, collated, fields, field):
    response = decide(api_client, cast.decision_maker, collated, **fields)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not ThresholdDecision.objects.exists()


def test_an_answer_about_another_referral_is_refused(api_client, cast, collated):
    other = collated_referral(cast)
    police_answer = other.information_requests.get()

    response = decide(api_client, cast.decision_maker, collated, answers=[police_answer.pk])

    assert response.status_code == 400
    assert "answers" in response.json()


def test_a_stale_version_is_a_409(api_client, cast, collated):
    response = decide(api_client, cast.decision_maker, collated, version=collated.version - 1)

    assert response.status_code == 409
    assert "Someone else changed" in response.json()["detail"]
    assert not ThresholdDecision.objects.exists()


@pytest.mark.parametrize("role", ["police_decision_maker", "triage"])
def test_only_a_lead_decision_maker_decides(api_client, cast, collated, role):
    # The police see the referral (they were asked about it), the triage practitioner sees every one.
    response = decide(api_client, getattr(cast, role), collated)

    assert response.status_code == 403
    assert "decision makers" in response.json()["detail"]
    assert not ThresholdDecision.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "education"])
def test_a_referral_out_of_sight_is_a_logged_404(api_client, cast, education, collated, who):
    user = education["decision_maker"] if who == "education" else cast.outsider

    response = decide(api_client, user, collated)

    assert response.status_code == 404
    assert denials(user, collated) == 1


# --- Reading decisions -----------------------------------------------------------------------------


def test_the_lead_agency_lists_the_decisions_and_filters_by_referral(api_client, cast, required):
    other = collated_referral(cast)
    decide(api_client, cast.decision_maker, other, required=False, outcome="nfa")
    api_client.force_authenticate(cast.triage)

    latest_first = ids(api_client.get(url(DECISIONS)))
    of_required = ids(api_client.get(url(DECISIONS), {"referral": required.referral_id}))

    assert latest_first == [other.threshold_decisions.get().pk, required.pk]
    assert of_required == [required.pk]


def test_partner_agencies_never_see_the_decisions(api_client, cast, required):
    api_client.force_authenticate(cast.police_decision_maker)

    assert ids(api_client.get(url(DECISIONS))) == []


def test_a_bad_filter_is_a_400(api_client, cast, required):
    api_client.force_authenticate(cast.triage)

    response = api_client.get(url(DECISIONS), {"referral": "first"})

    assert response.status_code == 400
    assert "referral" in response.json()


def test_the_decisions_cost_the_same_few_queries_whatever_their_number(
    api_client, cast, required, django_assert_max_num_queries
):
    list_queries(api_client, cast.triage, DECISIONS, django_assert_max_num_queries)
    one = list_queries(api_client, cast.triage, DECISIONS, django_assert_max_num_queries)
    for _ in range(3):
        referral = collated_referral(cast)
        decide(api_client, cast.decision_maker, referral, answers=[referral.information_requests.get().pk])
    four = list_queries(api_client, cast.triage, DECISIONS, django_assert_max_num_queries)

    assert (one[1], four[1]) == (1, 4)
    assert one[0] == four[0], (one, four)


def test_one_decision_is_shown_and_its_read_logged(api_client, cast, required):
    api_client.force_authenticate(cast.manager)

    response = api_client.get(url("api-threshold-decision", required.pk))

    assert response.status_code == 200
    assert response.json()["rationale"] == required.rationale
    assert AccessLog.objects.filter(
        user=cast.manager, action=AccessAction.VIEW, object_id=str(required.pk)
    ).exists()


@pytest.mark.parametrize("role", ["police_decision_maker", "outsider"])
def test_a_decision_is_refused_outside_the_lead_agency(assert_denied, cast, required, role):
    assert_denied(getattr(cast, role), url("api-threshold-decision", required.pk), required)
