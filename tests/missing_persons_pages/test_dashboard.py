"""The data administrator's dashboard: open episodes by risk, interviews by due time, repeat flags."""

import functools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mash.common.views import page_of
from missing_persons import services, views
from missing_persons.models import FlagStatus, Risk
from referrals.models import Referral
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("missing_persons:dashboard")


def _missing(cast, episode_input, name, risk, hours_ago=1, place="Ipswich bus station"):
    now = timezone.now()
    return services.episode_create(
        by=cast.data_admin,
        data=episode_input(
            person=PersonFactory(given_name=name, family_name="Test"),
            risk=risk,
            reported_at=now - timedelta(hours=hours_ago),
            last_seen_at=now - timedelta(hours=hours_ago + 2),
            last_seen_place=place,
        ),
    )


def _returned(cast, episode, hours_ago):
    return services.episode_return(
        episode=episode,
        by=cast.data_admin,
        found_at=timezone.now() - timedelta(hours=hours_ago),
        found_place="Home",
        found_by="Mother",
        wellbeing_confirmed=True,
    )


def _positions(body, *names):
    return [body.index(name) for name in names]


def test_open_episodes_are_listed_highest_risk_first(client, cast, episode_input):
    _missing(cast, episode_input, "Lowrisk", Risk.LOW)
    _missing(cast, episode_input, "Highrisk", Risk.HIGH)
    _missing(cast, episode_input, "Verylow", Risk.VERY_LOW)
    _missing(cast, episode_input, "Mediumrisk", Risk.MEDIUM)
    client.force_login(cast.data_admin)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    body = response.content.decode()
    positions = _positions(body, "Highrisk Test", "Mediumrisk Test", "Lowrisk Test", "Verylow Test")
    assert positions == sorted(positions)
    assert response.context["counts"] == {"very_low": 1, "low": 1, "medium": 1, "high": 1}


def test_within_a_risk_the_longest_missing_comes_first(client, cast, episode_input):
    _missing(cast, episode_input, "Recent", Risk.HIGH, hours_ago=1)
    _missing(cast, episode_input, "Longest", Risk.HIGH, hours_ago=20)
    client.force_login(cast.data_admin)
    body = client.get(DASHBOARD).content.decode()
    assert body.index("Longest Test") < body.index("Recent Test")


def test_returned_episodes_leave_the_missing_list(client, cast, episode):
    _returned(cast, episode, hours_ago=0)
    client.force_login(cast.data_admin)
    response = client.get(DASHBOARD)
    assert response.context["episodes"] == []
    assert "No one is missing." in response.content.decode()


def test_interviews_due_soonest_first(client, cast, episode_input):
    later = _missing(cast, episode_input, "Later", Risk.LOW, hours_ago=3)
    sooner = _missing(cast, episode_input, "Sooner", Risk.LOW, hours_ago=30)
    _returned(cast, later, hours_ago=1)  # due in 71 hours
    _returned(cast, sooner, hours_ago=25)  # due in 47 hours
    client.force_login(cast.data_admin)
    response = client.get(DASHBOARD)
    interviews = [i.episode.pk for i, _due in response.context["interviews"]]
    assert interviews == [sooner.pk, later.pk]
    body = response.content.decode()
    section = body[body.index("Returns awaiting an interview") :]
    assert section.index("Sooner Test") < section.index("Later Test")


def test_an_adult_return_needs_no_interview(client, cast, episode_input):
    adult = PersonFactory(
        given_name="Adult", family_name="Test", date_of_birth=timezone.localdate().replace(year=1980)
    )
    episode = services.episode_create(by=cast.data_admin, data=episode_input(person=adult))
    _returned(cast, episode, hours_ago=0)
    client.force_login(cast.data_admin)
    assert client.get(DASHBOARD).context["interviews"] == []


def test_a_repeat_flag_is_shown_with_its_episodes_and_the_one_click_referral(client, cast, flag):
    client.force_login(cast.data_admin)
    body = client.get(DASHBOARD).content.decode()
    assert "Leah Walsh: 3 episodes" in body
    assert reverse("missing_persons:flag_refer", args=[flag.pk]) in body
    assert reverse("missing_persons:flag_dismiss", args=[flag.pk]) in body


def test_the_one_click_referral_creates_a_referral_and_marks_the_flag(client, cast, flag):
    client.force_login(cast.data_admin)
    response = client.post(reverse("missing_persons:flag_refer", args=[flag.pk]))
    assert response.status_code == 302
    assert response.url == DASHBOARD
    flag.refresh_from_db()
    assert flag.status == FlagStatus.REFERRED
    referral = Referral.objects.get()
    assert flag.referral == referral
    assert set(flag.episodes.values_list("referral", flat=True)) == {referral.pk}
    follow = client.get(DASHBOARD)
    assert f"Referral {referral.reference} sent" in follow.content.decode()
    assert "No repeat-missing pattern to act on." in follow.content.decode()


def test_the_referral_is_one_click_only(client, cast, flag):
    client.force_login(cast.data_admin)
    client.post(reverse("missing_persons:flag_refer", args=[flag.pk]))
    response = client.post(reverse("missing_persons:flag_refer", args=[flag.pk]), follow=True)
    assert "already been acted on" in response.content.decode()
    assert Referral.objects.count() == 1


def test_dismissing_a_flag_needs_a_reason(client, cast, flag):
    client.force_login(cast.data_admin)
    url = reverse("missing_persons:flag_dismiss", args=[flag.pk])
    response = client.post(url, {"reason": "  "}, follow=True)
    assert "Say why no referral is needed." in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN

    response = client.post(url, {"reason": "Already known to the MASH."})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED
    assert flag.resolution_note == "Already known to the MASH."
    assert Referral.objects.count() == 0


@pytest.mark.parametrize("who", ["health_researcher", "outsider"])
def test_the_dashboard_and_flag_actions_are_refused_to_other_agencies(client, cast, flag, who):
    client.force_login(getattr(cast, who))
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(reverse("missing_persons:episodes")).status_code == 403
    assert client.post(reverse("missing_persons:flag_refer", args=[flag.pk])).status_code == 403
    assert (
        client.post(reverse("missing_persons:flag_dismiss", args=[flag.pk]), {"reason": "x"}).status_code
        == 403
    )
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_a_police_researcher_sees_the_dashboard_without_the_administrators_buttons(client, cast, flag):
    client.force_login(cast.police_researcher)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Leah Walsh: 3 episodes" in body
    assert reverse("missing_persons:flag_refer", args=[flag.pk]) not in body
    assert client.post(reverse("missing_persons:flag_refer", args=[flag.pk])).status_code == 403


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "login" in response.url


def _count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_rows(client, cast, episode_input):
    client.force_login(cast.data_admin)

    def add(n, prefix):
        for i in range(n):
            episode = _missing(cast, episode_input, f"{prefix}{i}", Risk.HIGH, hours_ago=30)
            returned = _missing(cast, episode_input, f"{prefix}r{i}", Risk.LOW, hours_ago=30)
            _returned(cast, returned, hours_ago=2)
            # three episodes of the same person: a repeat flag
            for _ in range(2):
                services.episode_create(
                    by=cast.data_admin,
                    data=episode_input(
                        person=episode.person,
                        reported_at=timezone.now() - timedelta(hours=5),
                        last_seen_at=timezone.now() - timedelta(hours=6),
                    ),
                )

    add(1, "A")
    few = _count_queries(client)
    add(4, "B")
    many = _count_queries(client)
    response = client.get(DASHBOARD)
    assert len(response.context["flags"]) == 5
    assert len(response.context["interviews"]) == 5
    assert many == few


def test_each_list_pages_by_its_own_parameter_with_its_count(client, cast, episode_input, monkeypatch):
    """Issue 16: the lists no longer stop silently at 200 rows; each pages (50 a page, 2 here) without
    moving the others."""
    assert page_of.__defaults__ == (50,)
    monkeypatch.setattr(views, "page_of", functools.partial(page_of, per_page=2))
    for n in range(3):  # a repeat flag of three missing episodes, and a return awaiting its interview
        first = _missing(cast, episode_input, f"Flagged{n}", Risk.HIGH, hours_ago=30)
        for hours in (5, 6):
            services.episode_create(
                by=cast.data_admin,
                data=episode_input(
                    person=first.person,
                    risk=Risk.HIGH,
                    reported_at=timezone.now() - timedelta(hours=hours),
                    last_seen_at=timezone.now() - timedelta(hours=hours + 1),
                ),
            )
        _returned(cast, _missing(cast, episode_input, f"Back{n}", Risk.LOW, hours_ago=30), hours_ago=2)
    client.force_login(cast.data_admin)
    response = client.get(DASHBOARD)
    body = response.content.decode()
    assert "9 open episodes, the highest risk first" in body
    assert "3 return home interviews, the soonest due first" in body
    assert "3 open flags, the oldest first." in body
    assert len(response.context["episodes"]) == len(response.context["flags"]) == 2

    later = client.get(DASHBOARD, {"interviews_page": 2, "flags_page": 2})
    assert len(later.context["interviews"]) == len(later.context["flags"]) == 1
    assert len(later.context["episodes"]) == 2  # the episodes stay on their first page
    body = later.content.decode()
    assert "?interviews_page=2&amp;flags_page=2&amp;episodes_page=2" in body
    assert 'aria-label="Return home interviews: pages"' in body
    interviews = response.context["interviews"] + later.context["interviews"]
    assert len({interview.pk for interview, _due in interviews}) == 3
