"""The Strategy panel of the referral page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def referral_page(client, user, referral):
    client.force_login(user)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_lead_user_sees_the_threshold_decision_and_the_discussion(
    client, cast, collated, required, discussion
):
    body = referral_page(client, cast.decision_maker, collated)

    assert '<h2 class="govuk-heading-m" id="strategy">Strategy</h2>' in body
    assert "Threshold decision: strategy discussion required" in body
    assert required.rationale in body
    assert f'href="{reverse("strategy:discussion", args=[discussion.pk])}"' in body
    assert "Scheduled" in body
    # Already convened: no second one offered.
    assert reverse("strategy:convene", args=[collated.pk]) not in body


def test_a_referral_awaiting_the_decision_offers_it_to_a_decision_maker(client, cast, collated):
    body = referral_page(client, cast.decision_maker, collated)

    assert 'id="strategy"' in body
    assert reverse("strategy:threshold", args=[collated.pk]) in body
    assert "Make the threshold decision" in body


def test_triage_sees_the_panel_without_the_decision_button(client, cast, collated):
    body = referral_page(client, cast.triage, collated)

    assert 'id="strategy"' in body
    assert "Make the threshold decision" not in body


def test_a_referral_sent_to_strategy_and_not_yet_convened_offers_to_convene(client, cast, collated, required):
    body = referral_page(client, cast.decision_maker, collated)

    assert reverse("strategy:convene", args=[collated.pk]) in body
    assert "Convene the strategy discussion" in body


def test_an_asked_partner_agency_sees_the_referral_without_the_strategy_panel(
    client, cast, collated, discussion
):
    body = referral_page(client, cast.police_decision_maker, collated)

    assert 'id="strategy"' not in body
    assert "Threshold decision: strategy discussion" not in body
