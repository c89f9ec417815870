"""Convening the strategy discussion from its page."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from strategy.models import Mode, StrategyDiscussion

pytestmark = pytest.mark.django_db


def url(referral) -> str:
    return reverse("strategy:convene", args=[referral.pk])


def local_minute() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def form_data(cast, referral, **fields) -> dict:
    data = {
        "scheduled_at": local_minute().strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "mode": Mode.VIDEO,
        "location": "Teams link in the invitation",
        "chair": cast.decision_maker.pk,
        "agencies": [cast.health.pk],
        "people": [cast.police_decision_maker.pk],
        "considered": [referral.police_answer.pk, referral.health_answer.pk],
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_the_page_offers_the_decision_maker_as_chair_and_the_answers(client, cast, collated, required):
    client.force_login(cast.decision_maker)
    response = client.get(url(collated))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["chair"] == cast.decision_maker
    assert set(form.initial["considered"]) == {collated.police_answer, collated.health_answer}
    body = response.content.decode()
    assert "Convene the strategy discussion" in body
    assert required.rationale in body


def test_convening_creates_the_discussion_and_opens_its_page(client, cast, collated, required):
    referral = collated
    when = local_minute()
    client.force_login(cast.decision_maker)
    response = client.post(
        url(referral), form_data(cast, referral, scheduled_at=when.strftime("%Y-%m-%dT%H:%M"))
    )

    discussion = StrategyDiscussion.objects.get(referral=referral)
    assert response.status_code == 302
    assert response.url == reverse("strategy:discussion", args=[discussion.pk])
    assert discussion.scheduled_at == when  # the local time typed, stored aware
    assert (discussion.mode, discussion.duration_minutes, discussion.chair) == (
        Mode.VIDEO,
        45,
        cast.decision_maker,
    )
    assert discussion.location == "Teams link in the invitation"
    assert discussion.threshold_decision == required
    invited = {(i.agency, i.user) for i in discussion.invitations.all()}
    assert invited == {
        (cast.health, None),
        (cast.police, cast.police_decision_maker),
        (cast.lead, cast.decision_maker),  # the chair
    }
    assert set(discussion.considered.all()) == {referral.police_answer, referral.health_answer}
    page = client.get(response.url)
    assert "Discussion convened; the invitations are on their way." in page.content.decode()


def test_a_discussion_with_no_agency_or_person_invited_is_refused(client, cast, collated, required):
    client.force_login(cast.decision_maker)
    response = client.post(url(collated), form_data(cast, collated, agencies=None, people=None))

    assert response.status_code == 400
    body = response.content.decode()
    assert "Agencies invited: Invite at least one partner agency or person." in body
    assert 'href="#id_agencies_0"' in body
    assert not StrategyDiscussion.objects.exists()


def test_a_time_out_of_range_is_refused_naming_the_time(client, cast, collated, required):
    client.force_login(cast.decision_maker)
    response = client.post(url(collated), form_data(cast, collated, scheduled_at="2020-01-01T10:00"))

    assert response.status_code == 400
    assert "When: A discussion can be recorded at most a week after it was held." in response.content.decode()
    assert not StrategyDiscussion.objects.exists()


def test_a_referral_not_sent_to_strategy_is_not_convened(client, cast, collated):
    client.force_login(cast.decision_maker)
    response = client.get(url(collated))

    assert response.status_code == 302
    assert response.url == reverse("referrals:detail", args=[collated.pk])
    refused = client.post(url(collated), form_data(cast, collated))
    assert refused.status_code == 400
    assert "Convene a discussion after a threshold decision that one is required." in refused.content.decode()
    assert not StrategyDiscussion.objects.exists()


def test_people_are_invited_by_name_with_a_checkbox_each(client, cast, collated, required):
    client.force_login(cast.decision_maker)
    body = client.get(url(collated)).content.decode()
    assert "People invited by name" in body
    person = cast.police_decision_maker
    assert f'type="checkbox" name="people" value="{person.pk}"' in body
    assert '<select name="people"' not in body
