"""POST threshold-decisions/ with ratings, and the ratings in what the endpoints answer: the same rule
and message as the page."""

import pytest

from strategy.models import AnswerRating, ThresholdDecision
from tests.strategy_api.conftest import url
from tests.strategy_api.test_threshold import DECISIONS, decide

pytestmark = pytest.mark.django_db


def test_the_decision_takes_and_answers_its_ratings(api_client, cast, collated):
    police, health = collated.police_answer, collated.health_answer
    response = decide(
        api_client,
        cast.decision_maker,
        collated,
        answers=[police.pk, health.pk],
        ratings=[
            {"request": police.pk, "sufficient": True},
            {"request": health.pk, "sufficient": False, "reason": "No dates given."},
        ],
    )
    assert response.status_code == 201, response.content
    ratings = sorted(response.json()["ratings"], key=lambda r: r["request"] != police.pk)
    assert [(r["request"], r["agency"]["name"], r["sufficient"], r["reason"]) for r in ratings] == [
        (police.pk, "Constabulary", True, ""),
        (health.pk, "Integrated Care Board", False, "No dates given."),
    ]
    assert ratings[0]["rated_by"]["id"] == cast.decision_maker.pk
    decision_id = response.json()["id"]
    detail = api_client.get(url("api-threshold-decision", decision_id)).json()
    assert len(detail["ratings"]) == 2
    listed = api_client.get(url(DECISIONS)).json()["results"][0]
    assert {r["request"] for r in listed["ratings"]} == {police.pk, health.pk}


def test_without_ratings_the_decision_is_as_before(api_client, cast, collated):
    response = decide(api_client, cast.decision_maker, collated, answers=[collated.police_answer.pk])
    assert response.status_code == 201 and response.json()["ratings"] == []


def test_not_sufficient_without_a_reason_is_refused_with_the_pages_message(api_client, cast, collated):
    health = collated.health_answer
    response = decide(
        api_client,
        cast.decision_maker,
        collated,
        answers=[health.pk],
        ratings=[{"request": health.pk, "sufficient": False, "reason": "  "}],
    )
    assert response.status_code == 400
    assert response.json()["ratings"] == ["Say why Integrated Care Board's answer was not sufficient."]
    assert not ThresholdDecision.objects.exists() and not AnswerRating.objects.exists()


def test_a_rating_of_an_answer_not_relied_on_or_unknown_is_refused(api_client, cast, collated):
    police = collated.police_answer
    response = decide(
        api_client, cast.decision_maker, collated, ratings=[{"request": police.pk, "sufficient": True}]
    )
    assert response.status_code == 400
    assert (
        "Constabulary's answer is rated but the decision does not rely on it" in response.json()["ratings"][0]
    )
    unknown = decide(
        api_client, cast.decision_maker, collated, ratings=[{"request": 999999, "sufficient": True}]
    )
    assert unknown.status_code == 400 and "ratings" in unknown.json()
    assert not ThresholdDecision.objects.exists()
