"""The episode page and its forms: re-grading, the return, the return home interview, closure."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from missing_persons import services
from missing_persons.models import EpisodeStatus, InterviewStatus, Risk, RiskGrading

pytestmark = pytest.mark.django_db


def _url(episode, name="episode"):
    return reverse(f"missing_persons:{name}", args=[episode.pk])


def _local(delta=timedelta(0)):
    return timezone.localtime(timezone.now() - delta).strftime("%Y-%m-%dT%H:%M")


def _post(client, episode, name, data):
    episode.refresh_from_db()
    return client.post(_url(episode, name), {"version": episode.version, **data})


def _return_data(**overrides):
    return {
        "found_at": _local(timedelta(minutes=30)),
        "found_place": "A friend's flat, Ipswich",
        "found_by": "PC 2231 Lee",
        "wellbeing_confirmed": "on",
        "wellbeing_note": "Tired, unhurt.",
        **overrides,
    }


def _interview_data(cast, **overrides):
    return {
        "status": "done",
        "agency": cast.lead.pk,
        "at": _local(timedelta(minutes=5)),
        "where_they_were": "At a flat in Ipswich",
        "with_whom": "Two older males",
        "push_factors": "Arguments at home",
        "pull_factors": "Gifts and cannabis",
        **overrides,
    }


@pytest.fixture
def returned(client, cast, episode):
    client.force_login(cast.data_admin)
    assert _post(client, episode, "return", _return_data()).status_code == 302
    episode.refresh_from_db()
    return episode


def test_the_episode_page(client, cast, episode):
    client.force_login(cast.data_admin)
    response = client.get(_url(episode))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Leah Walsh" in body
    assert "Medium risk" in body
    assert "Ipswich bus station" in body
    assert "Fourteen, phone off, seen with older males." in body
    for name in ("return", "regrade", "update"):
        assert _url(episode, name) in body


def test_regrading_without_a_rationale_is_refused_with_the_message(client, cast, episode):
    client.force_login(cast.data_admin)
    response = _post(client, episode, "regrade", {"risk": "high", "rationale": "  "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Give the rationale for the re-grading." in body
    assert "There is a problem" in body
    episode.refresh_from_db()
    assert episode.risk == Risk.MEDIUM
    assert RiskGrading.objects.filter(episode=episode).count() == 1


def test_regrading_with_a_rationale(client, cast, episode):
    client.force_login(cast.data_admin)
    response = _post(client, episode, "regrade", {"risk": "high", "rationale": "Seen getting into a car."})
    assert response.status_code == 302
    assert response.url == _url(episode)
    episode.refresh_from_db()
    assert episode.risk == Risk.HIGH
    grading = RiskGrading.objects.filter(episode=episode).latest("pk")
    assert (grading.previous, grading.risk, grading.rationale) == (
        "medium",
        "high",
        "Seen getting into a car.",
    )
    body = client.get(_url(episode)).content.decode()
    assert "Risk re-graded." in body
    assert "Medium to High" in body
    assert "Seen getting into a car." in body


def test_regrading_to_the_same_risk_is_refused(client, cast, episode):
    client.force_login(cast.data_admin)
    response = _post(client, episode, "regrade", {"risk": "medium", "rationale": "No change."})
    assert response.status_code == 400
    assert "The risk is already medium." in response.content.decode()


def test_a_stale_version_is_refused(client, cast, episode):
    client.force_login(cast.data_admin)
    stale = episode.version
    services.episode_regrade(episode=episode, by=cast.data_admin, risk="high", rationale="Another officer.")
    response = client.post(
        _url(episode, "regrade"), {"version": stale, "risk": "low", "rationale": "Found safe."}
    )
    assert response.status_code == 400
    assert "Someone else changed" in response.content.decode()
    episode.refresh_from_db()
    assert episode.risk == Risk.HIGH
    response = client.post(_url(episode, "return"), {"version": stale, **_return_data()})
    assert response.status_code == 400
    assert "Someone else changed" in response.content.decode()
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.MISSING


def test_the_return_needs_the_well_being_confirmed(client, cast, episode):
    client.force_login(cast.data_admin)
    data = _return_data()
    del data["wellbeing_confirmed"]
    response = _post(client, episode, "return", data)
    assert response.status_code == 400
    assert "Confirm their well-being" in response.content.decode()
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.MISSING


def test_the_return_in_the_future_is_refused(client, cast, episode):
    client.force_login(cast.data_admin)
    response = _post(client, episode, "return", _return_data(found_at=_local(-timedelta(hours=2))))
    assert response.status_code == 400
    assert "The return cannot be in the future." in response.content.decode()


def test_the_return_of_a_child_shows_the_interview_due(client, cast, returned):
    assert returned.status == EpisodeStatus.RETURNED
    assert returned.interview.status == InterviewStatus.DUE
    response = client.get(_url(returned))
    body = response.content.decode()
    assert "Return recorded." in body
    assert "Return home interview" in body
    assert "Due within 72 hours of the return" in body
    assert response.context["interview_due"].startswith("due")
    assert _url(returned, "interview") in body
    assert _url(returned, "close") in body


def test_the_interview_done_needs_where_they_were_and_the_push_or_pull_factors(client, cast, returned):
    data = _interview_data(cast, where_they_were="", push_factors="", pull_factors="")
    response = client.post(_url(returned, "interview"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Record where they were." in body
    assert "Record what pushed them away or drew them away." in body
    returned.interview.refresh_from_db()
    assert returned.interview.status == InterviewStatus.DUE


def test_the_interview_needs_an_agency(client, cast, returned):
    response = client.post(_url(returned, "interview"), _interview_data(cast, agency=""))
    assert response.status_code == 400
    assert "Say which agency" in response.content.decode()


def test_the_interview_done(client, cast, returned):
    response = client.post(_url(returned, "interview"), _interview_data(cast))
    assert response.status_code == 302
    interview = returned.interview
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DONE
    assert interview.agency == cast.lead
    assert interview.clock.stopped_at is not None
    body = client.get(_url(returned)).content.decode()
    assert "Return home interview recorded." in body
    assert "At a flat in Ipswich" in body
    assert "Gifts and cannabis" in body
    assert "done in time" in body
    assert _url(returned, "interview") not in body


def test_an_episode_without_an_interview_refuses_one(client, cast, episode):
    client.force_login(cast.data_admin)
    response = client.post(_url(episode, "interview"), _interview_data(cast))
    assert response.status_code == 400
    assert "No return home interview is due" in response.content.decode()


def test_closing_waits_for_the_interview(client, cast, returned):
    response = _post(client, returned, "close", {})
    assert response.status_code == 400
    assert "still to be done or declined" in response.content.decode()
    client.post(_url(returned, "interview"), _interview_data(cast))
    response = _post(client, returned, "close", {})
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.status == EpisodeStatus.CLOSED
    assert "Episode closed." in client.get(_url(returned)).content.decode()


def test_updating_indicators_places_and_associates(client, cast, episode):
    client.force_login(cast.data_admin)
    data = {
        "indicators": ["cse", "county_lines"],
        "places": "Flat 2, Mill St",
        "associates": "Dan",
        "circumstances": "",
    }
    response = _post(client, episode, "update", data)
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.indicators == ["cse", "county_lines"]
    assert "Flat 2, Mill St" in client.get(_url(episode)).content.decode()


def test_a_police_researcher_reads_but_may_not_act(client, cast, episode):
    client.force_login(cast.police_researcher)
    response = client.get(_url(episode))
    assert response.status_code == 200
    assert _url(episode, "regrade") not in response.content.decode()
    response = _post(client, episode, "regrade", {"risk": "high", "rationale": "x"})
    assert response.status_code == 400
    assert "Only the police data administrators" in response.content.decode()
    episode.refresh_from_db()
    assert episode.risk == Risk.MEDIUM


def test_the_referral_an_episode_went_with_is_named_only_to_those_who_may_see_it(client, cast, flag):
    referral = services.flag_refer(flag=flag, by=cast.data_admin)
    episode = flag.episodes.first()
    client.force_login(cast.triage)
    assert referral.reference in client.get(_url(episode)).content.decode()
    client.force_login(cast.data_admin)  # the police sent it but, like any referrer, do not see it
    response = client.get(_url(episode))
    assert response.status_code == 200 and referral.reference not in response.content.decode()
