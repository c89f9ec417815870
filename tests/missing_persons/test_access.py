"""Who sees missing episodes: the police and the lead agency's case workers; nobody else without a
referral that includes the episode."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from mash.people.history import person_history_for
from mash.sharing.models import AccessAction, AccessLog
from mash.sharing.policy import can_view, visible
from missing_persons import selectors, services
from missing_persons.models import Episode, RepeatFlag

pytestmark = pytest.mark.django_db

SEE_ALL = ["data_admin", "police_researcher", "police_decision_maker", "triage", "decision_maker", "manager"]
SEE_NONE = ["health_researcher", "outsider"]


def logged(user, episode, action) -> int:
    return AccessLog.objects.filter(
        user=user,
        action=action,
        content_type=ContentType.objects.get_for_model(Episode),
        object_id=str(episode.pk),
    ).count()


@pytest.mark.parametrize("who", SEE_ALL)
def test_the_police_and_lead_case_workers_see_every_episode(cast, episode, who):
    user = getattr(cast, who)
    assert can_view(user, episode)
    assert list(visible(user, Episode.objects.all())) == [episode]
    assert list(selectors.episodes_for(user)) == [episode]
    assert selectors.episode_get_for(user, episode.pk) == episode
    assert logged(user, episode, AccessAction.VIEW) == 1


@pytest.mark.parametrize("who", SEE_NONE)
def test_other_agencies_see_no_episode(cast, episode, who):
    user = getattr(cast, who)
    assert not can_view(user, episode)
    assert not visible(user, Episode.objects.all()).exists()
    assert list(selectors.episodes_for(user)) == []
    assert list(selectors.open_by_risk(user)) == []
    with pytest.raises(Http404):
        selectors.episode_get_for(user, episode.pk)
    assert logged(user, episode, AccessAction.DENIED) == 1
    assert logged(user, episode, AccessAction.VIEW) == 0


def test_the_person_history_lists_episodes_to_those_allowed(cast, child, episode):
    for who in SEE_ALL:
        items = [i for i in person_history_for(getattr(cast, who), child) if i.kind == "Missing episode"]
        assert [i.at for i in items] == [episode.reported_at], who
        assert items[0].url == reverse("missing_persons:episode", args=[episode.pk])
    for who in SEE_NONE:
        items = [i for i in person_history_for(getattr(cast, who), child) if i.kind == "Missing episode"]
        assert items == [], who


def test_the_dashboard_lists_hide_episodes_from_other_agencies(cast, child, episode_input):
    for days_ago in (10, 5, 0):
        reported_at = timezone.now() - timedelta(days=days_ago, minutes=5)
        services.episode_create(
            by=cast.data_admin,
            data=episode_input(reported_at=reported_at, last_seen_at=reported_at - timedelta(hours=1)),
        )
    latest = Episode.objects.order_by("-reported_at").first()
    services.episode_return(
        episode=latest,
        by=cast.data_admin,
        found_at=timezone.now(),
        found_place="Home",
        found_by="PC Lee",
        wellbeing_confirmed=True,
    )
    assert RepeatFlag.objects.exists()
    assert len(selectors.open_flags(cast.data_admin)) == 1
    assert len(selectors.interviews_due(cast.triage)) == 1
    assert len(selectors.open_by_risk(cast.police_researcher)) == 2
    for who in SEE_NONE:
        user = getattr(cast, who)
        assert list(selectors.open_flags(user)) == []
        assert list(selectors.interviews_due(user)) == []
        assert list(selectors.open_by_risk(user)) == []


def test_the_lists_take_a_fixed_number_of_queries(cast, episode_input, django_assert_max_num_queries):
    for hours in range(2, 8):
        reported_at = timezone.now() - timedelta(hours=hours)
        services.episode_create(
            by=cast.data_admin,
            data=episode_input(reported_at=reported_at, last_seen_at=reported_at - timedelta(hours=1)),
        )
    with django_assert_max_num_queries(8):
        rows = [(e.person.family_name, e.risk) for e in selectors.episodes_for(cast.data_admin)]
        rows += [(e.person.family_name, e.risk) for e in selectors.open_by_risk(cast.data_admin)]
    assert len(rows) == 12
