"""Recording, reading and changing episodes through the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from missing_persons import services
from missing_persons.models import Episode, EpisodeStatus, InterviewStatus
from tests.factories import PersonFactory
from tests.missing_persons_api.conftest import call, ok, url

pytestmark = pytest.mark.django_db

LIST = "api-missing-episodes"


def create_body(child, **overrides) -> dict:
    now = timezone.now()
    return {
        "person": child.pk,
        "reported_at": (now - timedelta(hours=1)).isoformat(),
        "reported_by": "Oak House care home",
        "reporter_kind": "care_home",
        "last_seen_at": (now - timedelta(hours=3)).isoformat(),
        "last_seen_place": "Oak House",
        "risk": "high",
        "risk_rationale": "Seen getting into a car with older males.",
        "police_reference": "SC-1",
        "indicators": ["county_lines", "cse"],
        "places": "Ipswich bus station",
        "associates": "'Dee'",
        **overrides,
    }


def test_the_data_administrator_records_an_episode(api_client, cast, child):
    body = ok(call(api_client, cast.data_admin, "post", url(LIST), create_body(child)), 201)

    episode = Episode.objects.get(pk=body["id"])
    assert (episode.person, episode.risk, episode.status) == (child, "high", EpisodeStatus.MISSING)
    assert episode.indicators == ["cse", "county_lines"]
    assert body["person"] == {"id": child.pk, "full_name": child.full_name}
    assert body["gradings"][0]["rationale"] == "Seen getting into a car with older males."
    assert (body["interview"], body["referral"], body["version"]) == (None, None, 1)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"risk_rationale": ""}, "risk_rationale"),
        ({"reported_by": "  "}, "reported_by"),
        ({"risk": "extreme"}, "risk"),
        ({"indicators": ["gangs"]}, "indicators"),
        ({"person": 2**40}, "person"),
        ({"reported_at": "yesterday"}, "reported_at"),
    ],
)
def test_bad_details_are_refused_naming_the_field(api_client, cast, child, overrides, field):
    response = call(api_client, cast.data_admin, "post", url(LIST), create_body(child, **overrides))

    assert response.status_code == 400
    assert field in response.json()
    assert not Episode.objects.exists()


def test_last_seen_after_the_report_is_refused_by_the_service(api_client, cast, child):
    later = (timezone.now() - timedelta(minutes=1)).isoformat()
    response = call(api_client, cast.data_admin, "post", url(LIST), create_body(child, last_seen_at=later))

    assert response.status_code == 400
    assert "last_seen_at" in response.json()


def test_a_known_police_reference_is_refused(api_client, cast, child):
    ok(call(api_client, cast.data_admin, "post", url(LIST), create_body(child)), 201)

    response = call(api_client, cast.data_admin, "post", url(LIST), create_body(child))

    assert response.status_code == 400
    assert "police_reference" in response.json()


def test_a_lead_case_worker_may_read_but_not_record(api_client, cast, child, episode):
    ok(call(api_client, cast.triage, "get", url("api-missing-episode", episode.pk)))

    response = call(api_client, cast.triage, "post", url(LIST), create_body(child))

    assert response.status_code == 403
    assert "data administrators" in response.json()["detail"]


def test_the_detail_shows_the_gradings_the_interview_and_its_clock(api_client, cast, returned):
    body = ok(call(api_client, cast.triage, "get", url("api-missing-episode", returned.pk)))

    assert body["status"] == "returned" and body["wellbeing_confirmed"] is True
    assert [g["risk"] for g in body["gradings"]] == ["medium"]
    interview = body["interview"]
    assert interview["status"] == InterviewStatus.DUE
    clock = interview["clock"]
    assert clock["stopped_at"] is None and clock["breached"] is False
    assert clock["due_at"] > clock["started_at"]


def test_the_list_filters_by_status_and_risk(api_client, cast, episode_input, episode):
    other = services.episode_create(by=cast.data_admin, data=episode_input(risk="high"))

    def ids(**query):
        body = ok(call(api_client, cast.police_researcher, "get", url(LIST), query, format=None))
        return [row["id"] for row in body["results"]]

    assert ids() == [other.pk, episode.pk]
    assert ids(risk="high") == [other.pk]
    assert ids(status="missing", risk="medium") == [episode.pk]
    assert ids(status="closed") == []
    response = call(api_client, cast.police_researcher, "get", url(LIST), {"risk": "x"}, format=None)
    assert response.status_code == 400 and "risk" in response.json()


def test_the_list_costs_the_same_few_queries_whatever_its_length(
    api_client, cast, episode_input, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            services.episode_create(by=cast.data_admin, data=episode_input(person=PersonFactory()))

    def list_queries():
        with django_assert_max_num_queries(10) as queries:
            body = ok(call(api_client, cast.triage, "get", url(LIST), {"page_size": 100}, format=None))
        return len(queries), len(body["results"])

    add(3)
    list_queries()  # the first list of a process also looks up the permission's id
    three = list_queries()
    add(12)
    fifteen = list_queries()
    assert (three[1], fifteen[1]) == (3, 15)
    assert three[0] == fifteen[0]


def test_regrading_keeps_the_history(api_client, cast, episode):
    body = ok(
        call(
            api_client,
            cast.data_admin,
            "post",
            url("api-missing-episode-regrade", episode.pk),
            {"version": episode.version, "risk": "high", "rationale": "Linked to county lines."},
        )
    )

    assert body["risk"] == "high" and body["version"] == episode.version + 1
    assert [(g["previous"], g["risk"]) for g in body["gradings"]] == [("", "medium"), ("medium", "high")]


def test_regrading_without_a_rationale_is_refused_naming_it(api_client, cast, episode):
    response = call(
        api_client,
        cast.data_admin,
        "post",
        url("api-missing-episode-regrade", episode.pk),
        {"version": episode.version, "risk": "high", "rationale": " "},
    )

    assert response.status_code == 400 and "rationale" in response.json()
    episode.refresh_from_db()
    assert episode.risk == "medium"


def test_a_change_without_a_version_is_refused_naming_it(api_client, cast, episode):
    response = call(
        api_client,
        cast.data_admin,
        "post",
        url("api-missing-episode-regrade", episode.pk),
        {"risk": "high", "rationale": "Why."},
    )

    assert response.status_code == 400 and "version" in response.json()


def stale_bodies(episode) -> dict:
    stale = {"version": episode.version - 1}
    now = timezone.now().isoformat()
    return {
        "regrade": {**stale, "risk": "high", "rationale": "Why."},
        "update": {**stale, "indicators": [], "places": "", "associates": "", "circumstances": ""},
        "return": {
            **stale,
            "found_at": now,
            "found_place": "Home",
            "found_by": "PC",
            "wellbeing_confirmed": True,
        },
        "close": stale,
    }


@pytest.mark.parametrize("action", ["regrade", "update", "return", "close"])
def test_a_stale_version_is_a_409(api_client, cast, episode, action):
    services.episode_update(
        episode=episode, by=cast.data_admin, indicators=["cse"], places="", associates="", circumstances=""
    )
    episode.refresh_from_db()
    before = episode.version

    response = call(
        api_client,
        cast.data_admin,
        "post",
        url(f"api-missing-episode-{action}", episode.pk),
        stale_bodies(episode)[action],
    )

    assert response.status_code == 409, response.content
    episode.refresh_from_db()
    assert episode.version == before


def test_the_update_changes_indicators_places_and_associates(api_client, cast, episode):
    body = ok(
        call(
            api_client,
            cast.data_admin,
            "post",
            url("api-missing-episode-update", episode.pk),
            {
                "version": episode.version,
                "indicators": ["cce"],
                "places": "Station\nPark",
                "associates": "Dee",
                "circumstances": "Left after an argument.",
            },
        )
    )

    assert (body["indicators"], body["places"], body["associates"]) == (["cce"], "Station\nPark", "Dee")


def test_the_return_without_wellbeing_is_refused_naming_it(api_client, cast, episode):
    response = call(
        api_client,
        cast.data_admin,
        "post",
        url("api-missing-episode-return", episode.pk),
        {
            "version": episode.version,
            "found_at": timezone.now().isoformat(),
            "found_place": "Home",
            "found_by": "PC",
        },
    )

    assert response.status_code == 400 and "wellbeing_confirmed" in response.json()
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.MISSING


def test_the_return_the_interview_and_the_close(api_client, cast, episode):
    body = ok(
        call(
            api_client,
            cast.data_admin,
            "post",
            url("api-missing-episode-return", episode.pk),
            {
                "version": episode.version,
                "found_at": timezone.now().isoformat(),
                "found_place": "Home",
                "found_by": "PC Lee",
                "wellbeing_confirmed": True,
            },
        )
    )
    assert body["status"] == "returned" and body["interview"]["status"] == "due"

    body = ok(
        call(
            api_client,
            cast.data_admin,
            "post",
            url("api-missing-episode-interview", episode.pk),
            {
                "status": "done",
                "agency": cast.lead.pk,
                "where_they_were": "A flat in town.",
                "with_whom": "Older friends.",
                "pull_factors": "Gifts.",
            },
        )
    )
    assert body["interview"]["status"] == "done"
    assert body["interview"]["clock"]["stopped_at"] is not None
    assert body["interview"]["agency"]["id"] == cast.lead.pk

    body = ok(
        call(
            api_client,
            cast.data_admin,
            "post",
            url("api-missing-episode-close", episode.pk),
            {"version": body["version"]},
        )
    )
    episode.refresh_from_db()
    assert body["status"] == episode.status == EpisodeStatus.CLOSED


def test_an_interview_done_without_what_was_learned_is_refused_naming_the_fields(api_client, cast, returned):
    response = call(
        api_client,
        cast.data_admin,
        "post",
        url("api-missing-episode-interview", returned.pk),
        {"status": "done", "agency": cast.lead.pk},
    )

    assert response.status_code == 400
    assert {"where_they_were", "push_factors"} <= set(response.json())


def test_an_interview_before_the_return_is_refused(api_client, cast, episode):
    response = call(
        api_client,
        cast.data_admin,
        "post",
        url("api-missing-episode-interview", episode.pk),
        {"status": "offered", "agency": cast.lead.pk},
    )

    assert response.status_code == 400 and "non_field_errors" in response.json()


def test_an_unknown_interview_agency_is_refused_naming_it(api_client, cast, returned):
    response = call(
        api_client,
        cast.data_admin,
        "post",
        url("api-missing-episode-interview", returned.pk),
        {"status": "offered", "agency": 2**40},
    )

    assert response.status_code == 400 and "agency" in response.json()
