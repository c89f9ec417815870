"""What a strategy discussion and a disclosure application offer to share, to whom; the buttons; and
the lists' query budgets."""

import pytest
from django.urls import reverse

from mash.common.grading import HandlingCode
from mash.sharing import dissemination
from tests.sharing.scenario import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(cast):
    built = build(cast)
    for record in (built.discussion, built.disclosed, built.at_forum):
        record.refresh_from_db()
    return built


def kinds(user, record):
    return [choice.kind for choice in dissemination.items_for(user, record)]


def test_a_discussion_offers_its_decisions_and_the_answers_it_considered(cast, scenario):
    lead = dissemination.items_for(cast.triage, scenario.discussion)
    assert lead[0].kind == "Strategy discussion: decisions" and lead[0].owner_agency == cast.lead
    assert "Risk of harm." in lead[0].text, "the lead agency sees the rationale"
    assert {c.owner_agency.name for c in lead[1:]} == {"Constabulary", "Integrated Care Board"}
    # An invited agency sees the decisions, not the chair's rationale, and only what it may see.
    police = dissemination.items_for(cast.police_decision_maker, scenario.discussion)
    assert "Risk of harm." not in police[0].text and "Section 47" in police[0].text
    assert dissemination.items_for(cast.outsider, scenario.discussion) == []


def test_an_application_offers_its_summary_and_graded_package_entries_to_the_team_only(cast, scenario):
    team = dissemination.items_for(cast.police_decision_maker, scenario.disclosed)
    assert team[0].kind.endswith("summary") and all(c.owner_agency == cast.police for c in team)
    graded = [c for c in team if c.handling_code]
    assert graded and graded[0].grading and (not graded[0].is_code_c or graded[0].handling_conditions)
    assert any(c.handling_code in HandlingCode.values for c in graded)
    # Health at the forum sees the application's summary, never the package.
    health = kinds(cast.health_researcher, scenario.at_forum)
    assert len(health) == 1 and health[0].endswith("summary")
    assert kinds(cast.triage, scenario.disclosed) == []


def test_the_button_is_on_each_record_page_for_whoever_may_ask(client, cast, scenario):
    for user, url in (
        (cast.triage, reverse("referrals:detail", args=[scenario.open_referral.pk])),
        (cast.triage, reverse("strategy:discussion", args=[scenario.discussion.pk])),
        (cast.police_decision_maker, reverse("disclosures:application", args=[scenario.disclosed.pk])),
    ):
        client.force_login(user)
        assert "Share outside the MASH" in client.get(url).content.decode(), url


def test_the_lists_cost_a_few_queries(client, cast, scenario, django_assert_max_num_queries):
    client.force_login(cast.governance)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("sharing:dissemination_requests")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("sharing:disseminations")).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("home")).status_code == 200
