"""The optional rating of the answers relied on, on the threshold decision page: left out, the decision
is recorded as before; 'not sufficient' needs a reason, and the message names the answer's agency;
what was typed is stored as typed and shown escaped."""

import pytest
from django.urls import reverse

from strategy.models import AnswerRating, ThresholdDecision
from tests.strategy_pages.test_threshold import assert_nothing_saved, form_data, summary, url

pytestmark = pytest.mark.django_db

PLANTED = '<script>alert(1)</script>=HYPERLINK("http://evil")'


def test_the_form_offers_an_optional_rating_of_each_answer(client, cast, collated):
    client.force_login(cast.decision_maker)
    body = client.get(url(collated)).content.decode()
    police = collated.police_answer.pk
    assert "Was Constabulary&#x27;s answer sufficient to decide on? (optional)" in body
    assert f'name="sufficient_{police}"' in body and f'name="reason_{police}"' in body
    assert "Not rated" in body and "Not sufficient" in body


def test_without_a_rating_the_decision_is_recorded_as_before(client, cast, collated):
    client.force_login(cast.decision_maker)
    response = client.post(url(collated), form_data(collated))
    assert response.status_code == 302
    assert ThresholdDecision.objects.filter(referral=collated).exists()
    assert not AnswerRating.objects.exists()


def test_the_ratings_are_saved_with_the_decision(client, cast, collated):
    client.force_login(cast.decision_maker)
    police, health = collated.police_answer, collated.health_answer
    data = form_data(
        collated,
        **{
            f"sufficient_{police.pk}": "yes",
            f"reason_{police.pk}": "Typed, then the answer was rated sufficient.",
            f"sufficient_{health.pk}": "no",
            f"reason_{health.pk}": "  No dates for the missed appointments.  ",
        },
    )
    response = client.post(url(collated), data)
    assert response.status_code == 302
    decision = ThresholdDecision.objects.get(referral=collated)
    rows = {r.request: r for r in AnswerRating.objects.filter(threshold_decision=decision)}
    assert (rows[police].sufficient, rows[police].reason) == (True, "")  # a reason only when not sufficient
    assert (rows[health].sufficient, rows[health].reason) == (False, "No dates for the missed appointments.")
    assert rows[health].rated_by == cast.decision_maker and rows[health].rated_at == decision.decided_at


def test_not_sufficient_without_a_reason_is_refused_naming_the_agency(client, cast, collated):
    client.force_login(cast.decision_maker)
    health = collated.health_answer.pk
    response = client.post(url(collated), form_data(collated, **{f"sufficient_{health}": "no"}))
    assert response.status_code == 400
    errors = summary(response)
    assert f'href="#id_reason_{health}"' in errors
    assert "Say why Integrated Care Board&#x27;s answer was not sufficient." in errors
    assert_nothing_saved(collated)
    assert not AnswerRating.objects.exists()


def test_a_rating_of_an_answer_not_relied_on_is_refused(client, cast, collated):
    client.force_login(cast.decision_maker)
    police = collated.police_answer.pk
    data = form_data(collated, answers=[collated.health_answer.pk], **{f"sufficient_{police}": "yes"})
    response = client.post(url(collated), data)
    assert response.status_code == 400
    errors = summary(response)
    assert f'href="#id_sufficient_{police}_0"' in errors
    assert "Constabulary&#x27;s answer is rated but the decision does not rely on it" in errors
    assert_nothing_saved(collated)


def test_an_unknown_rating_is_refused(client, cast, collated):
    client.force_login(cast.decision_maker)
    police = collated.police_answer.pk
    response = client.post(url(collated), form_data(collated, **{f"sufficient_{police}": "perhaps"}))
    assert response.status_code == 400
    assert f'href="#id_sufficient_{police}_0"' in summary(response)
    assert_nothing_saved(collated)


def test_html_and_a_formula_in_the_reason_are_stored_as_typed_and_shown_escaped(client, cast, collated):
    client.force_login(cast.decision_maker)
    health = collated.health_answer.pk
    data = form_data(collated, **{f"sufficient_{health}": "no", f"reason_{health}": PLANTED})
    # Refused for another reason: the typed reason comes back escaped in the form.
    refused = client.post(url(collated), {**data, "rationale": ""})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;=HYPERLINK(&quot;http://evil&quot;)" in body
    assert client.post(url(collated), data).status_code == 302
    assert AnswerRating.objects.get().reason == PLANTED
    referral_page = client.get(reverse("referrals:detail", args=[collated.pk])).content.decode()
    assert "<script>alert(1)</script>" not in referral_page
    assert "The answers relied on, as rated:" in referral_page
    assert (
        "Integrated Care Board: not sufficient: &lt;script&gt;alert(1)&lt;/script&gt;=HYPERLINK("
        in referral_page
    )
