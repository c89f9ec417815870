"""The threshold decision page: the collated answers beside the decision, and what the form refuses."""

import pytest
from django.urls import reverse

from referrals.models import Outcome, State
from strategy.models import ThresholdDecision

pytestmark = pytest.mark.django_db

RATIONALE = "Injury to a child and police intelligence of violence in the household."


def url(referral) -> str:
    return reverse("strategy:threshold", args=[referral.pk])


def form_data(referral, **fields) -> dict:
    data = {
        "version": referral.version,
        "required": "yes",
        "rationale": RATIONALE,
        "answers": [referral.police_answer.pk, referral.health_answer.pk],
        "information_relied_on": "The referral itself.",
        "outcome": "",
        "outcome_rationale": "",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def assert_nothing_saved(referral) -> None:
    version = referral.version
    referral.refresh_from_db()
    assert referral.state == State.AWAITING_THRESHOLD_DECISION
    assert referral.version == version
    assert not ThresholdDecision.objects.filter(referral=referral).exists()


def summary(response) -> str:
    """The error summary at the top of the page."""
    body = response.content.decode()
    start = body.index('class="govuk-error-summary"')
    return body[start : body.index("</ul>", start)]


def test_the_page_shows_the_collated_answers_beside_the_form(client, cast, collated):
    client.force_login(cast.decision_maker)
    response = client.get(url(collated))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Strategy Threshold Decision" in body
    assert "Arrested for assault, 2024" in body  # the police answer
    assert "Missed three immunisation appointments" in body  # health's
    assert "Constabulary" in body and "Integrated Care Board" in body
    assert 'name="rationale"' in body
    assert "Record the threshold decision" in body


def test_yes_with_a_rationale_sends_the_referral_to_strategy_and_on_to_convening(client, cast, collated):
    client.force_login(cast.decision_maker)
    response = client.post(url(collated), form_data(collated))

    assert response.status_code == 302
    assert response.url == reverse("strategy:convene", args=[collated.pk])
    collated.refresh_from_db()
    assert collated.state == State.STRATEGY_DISCUSSION
    decision = ThresholdDecision.objects.get(referral=collated)
    assert (decision.required, decision.rationale, decision.decided_by) == (
        True,
        RATIONALE,
        cast.decision_maker,
    )
    assert decision.information_relied_on == "The referral itself."
    assert set(decision.answers_relied_on.all()) == {collated.police_answer, collated.health_answer}
    assert decision.strategy_clock is not None
    convene = client.get(response.url)
    assert convene.status_code == 200
    assert "Threshold decision recorded: convene the strategy discussion." in convene.content.decode()


@pytest.mark.parametrize("rationale", ["", "   "])
def test_a_decision_without_rationale_is_refused_naming_the_rationale(client, cast, collated, rationale):
    client.force_login(cast.decision_maker)
    response = client.post(url(collated), form_data(collated, rationale=rationale))

    assert response.status_code == 400
    errors = summary(response)
    assert 'href="#id_rationale"' in errors
    assert "Rationale: Give the rationale for the threshold decision." in errors
    assert "<title>Error: " in response.content.decode()
    assert_nothing_saved(collated)


def test_no_without_an_outcome_is_refused_naming_the_outcome(client, cast, collated):
    client.force_login(cast.decision_maker)
    response = client.post(url(collated), form_data(collated, required="no", answers=None))

    assert response.status_code == 400
    errors = summary(response)
    assert 'href="#id_outcome_0"' in errors
    assert "Outcome, when no discussion is required: Choose the outcome" in errors
    assert_nothing_saved(collated)


def test_no_with_an_outcome_decides_the_referral(client, cast, collated):
    client.force_login(cast.decision_maker)
    response = client.post(
        url(collated),
        form_data(
            collated, required="no", outcome=Outcome.EARLY_HELP, outcome_rationale="Family asks for help."
        ),
    )

    assert response.status_code == 302
    assert response.url == reverse("referrals:detail", args=[collated.pk])
    collated.refresh_from_db()
    assert (collated.state, collated.outcome) == (State.DECIDED, Outcome.EARLY_HELP)
    assert collated.outcome_rationale == "Family asks for help."
    decision = ThresholdDecision.objects.get(referral=collated)
    assert (decision.required, decision.strategy_clock) == (False, None)


def test_a_stale_version_is_refused_and_nothing_is_saved(client, cast, collated):
    client.force_login(cast.decision_maker)
    response = client.post(url(collated), form_data(collated, version=collated.version - 1))

    assert response.status_code == 400
    assert "Someone else changed this referral since you opened it" in summary(response)
    assert_nothing_saved(collated)


def test_an_unknown_answer_is_refused(client, cast, collated):
    client.force_login(cast.decision_maker)
    response = client.post(url(collated), form_data(collated, answers=[999999]))

    assert response.status_code == 400
    assert 'href="#id_answers_0"' in summary(response)
    assert_nothing_saved(collated)


def test_triage_sees_the_page_without_the_form_and_may_not_decide(client, cast, collated):
    client.force_login(cast.triage)
    page = client.get(url(collated))
    assert page.status_code == 200
    assert "A lead-agency decision maker makes this decision." in page.content.decode()
    assert 'name="rationale"' not in page.content.decode()

    response = client.post(url(collated), form_data(collated))

    assert response.status_code == 400
    assert "Only the lead agency&#x27;s decision makers may make the threshold decision." in summary(response)
    assert_nothing_saved(collated)


@pytest.mark.parametrize("who", ["police_decision_maker", "outsider"])
def test_another_agency_is_refused_the_page_and_the_post(client, cast, collated, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(collated)).status_code == 403
    assert client.post(url(collated), form_data(collated)).status_code == 403
    assert_nothing_saved(collated)
