"""What an invited agency sees of a strategy discussion: the partner audience of strategy/policy.py,
through the policy, the API, the page and the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.sharing import policy
from strategy import services
from strategy.models import (
    Action,
    Addendum,
    Invitation,
    StrategyDiscussion,
    SubjectDecision,
    ThresholdDecision,
)
from tests.strategy import conftest as strategy_conftest

gathering = strategy_conftest.gathering
education = strategy_conftest.education
collated = strategy_conftest.collated
required = strategy_conftest.required
convene = strategy_conftest.convene
discussion = strategy_conftest.discussion

pytestmark = pytest.mark.django_db

NOTES = "Chair's notes: health said the mother disclosed NOTESMARK."
RATIONALE = "Joint enquiry because RATIONALEMARK."


@pytest.fixture
def recorded(cast, discussion):
    """The discussion with notes, a rationale and an action for health."""
    discussion = services.record_update(
        discussion=discussion,
        by=cast.decision_maker,
        notes=NOTES,
        rationale=RATIONALE,
        expected_version=discussion.version,
    )
    services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="Health visitor to see the family ACTIONMARK.",
        owner_agency=cast.health,
        owner=None,
        due_on=timezone.localdate() + timedelta(days=7),
        expected_version=discussion.version,
    )
    discussion.refresh_from_db()
    return discussion


def test_an_invited_agency_is_the_partner_audience_and_the_lead_the_full_one(cast, discussion, education):
    assert policy.audience_of(cast.decision_maker, discussion) == policy.Audience.FULL
    assert policy.audience_of(cast.health_researcher, discussion) == policy.Audience.PARTNER
    assert policy.audience_of(education["researcher"], discussion) is None


@pytest.mark.parametrize(
    "name, partner_sees",
    [
        ("scheduled_at", True),
        ("location", True),
        ("chair", True),
        ("invitations", True),
        ("considered", True),
        ("decisions", True),
        ("actions", True),
        ("notes", False),
        ("rationale", False),
        ("addenda", False),
        ("cancellation_reason", False),
        ("threshold_decision", False),
        ("a_field_added_tomorrow", False),
    ],
)
def test_an_invited_agency_sees_the_meeting_and_what_it_considered_not_the_chairs_notes(
    cast, discussion, name, partner_sees
):
    assert policy.may_see_field(cast.health_researcher, discussion, name) is partner_sees
    assert policy.may_see_field(cast.decision_maker, discussion, name) is True


def test_every_part_of_the_record_is_covered_and_the_threshold_decision_is_never_a_partners():
    for model in (Invitation, SubjectDecision, Action, Addendum, StrategyDiscussion, ThresholdDecision):
        assert policy.is_covered(model), model
    assert policy.rule_for(ThresholdDecision).partner_fields == frozenset()


def test_an_addendum_is_the_full_audiences_and_an_action_everyones_who_sees_the_discussion(cast, recorded):
    action = recorded.actions.get()
    addendum = Addendum(discussion=recorded, text="Later.", by=cast.decision_maker, at=timezone.now())
    assert policy.may_see_field(cast.health_researcher, action, "description")
    assert not policy.may_see_field(cast.health_researcher, addendum, "text")
    assert policy.may_see_field(cast.decision_maker, addendum, "text")


def test_the_api_answers_an_invited_agency_without_the_notes_the_rationale_or_the_clock(
    cast, recorded, api_client
):
    url = reverse("api-strategy-discussion", args=[recorded.pk])
    api_client.force_authenticate(cast.health_researcher)
    partner = api_client.get(url)
    assert partner.status_code == 200
    body = partner.content.decode()
    assert "NOTESMARK" not in body and "RATIONALEMARK" not in body
    data = partner.json()
    for hidden in ("notes", "rationale", "addenda", "strategy_clock", "sign_off_problems", "version"):
        assert hidden not in data, hidden
    assert data["location"] == "Teams"
    assert [a["description"] for a in data["actions"]] == ["Health visitor to see the family ACTIONMARK."]

    api_client.force_authenticate(cast.decision_maker)
    full = api_client.get(url).json()
    assert full["notes"] == NOTES and full["rationale"] == RATIONALE and "strategy_clock" in full


def test_the_api_list_gives_an_invited_agency_the_partner_fields_of_each_row(cast, recorded, api_client):
    api_client.force_authenticate(cast.health_researcher)
    rows = api_client.get(reverse("api-strategy-discussions")).json()["results"]
    assert [row["id"] for row in rows] == [recorded.pk]
    assert "version" not in rows[0] and "strategy_clock" not in rows[0]


def test_the_page_shows_an_invited_agency_the_actions_but_not_the_chairs_notes(cast, recorded, client):
    url = reverse("strategy:discussion", args=[recorded.pk])
    client.force_login(cast.health_researcher)
    page = client.get(url).content.decode()
    assert "ACTIONMARK" in page
    assert "NOTESMARK" not in page and "RATIONALEMARK" not in page

    client.force_login(cast.decision_maker)
    page = client.get(url).content.decode()
    assert "NOTESMARK" in page and "RATIONALEMARK" in page


def test_the_admin_shows_a_partner_with_staff_rights_what_the_page_does(cast, recorded, client):
    cast.health_researcher.is_staff = True
    cast.health_researcher.save()
    client.force_login(cast.health_researcher)
    page = client.get(reverse("admin:strategy_strategydiscussion_change", args=[recorded.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Teams" in body
    assert "NOTESMARK" not in body and "RATIONALEMARK" not in body


def test_my_actions_shows_a_lead_agency_member_who_may_not_see_the_discussion_none_of_it(
    cast, discussion, client
):
    services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="The lead agency to write to the school LEADACTIONMARK.",
        owner_agency=cast.lead,
        owner=None,
        due_on=timezone.localdate() + timedelta(days=7),
        expected_version=discussion.version,
    )
    client.force_login(cast.governance)
    response = client.get(reverse("strategy:actions"), {"done": "1", "all": "1"})
    assert response.status_code == 403  # no discussion can be shown to them: neither can its actions
    page = response.content.decode()
    assert "LEADACTIONMARK" not in page and discussion.referral.reference not in page
    client.force_login(cast.triage)
    assert "LEADACTIONMARK" in client.get(reverse("strategy:actions")).content.decode()
