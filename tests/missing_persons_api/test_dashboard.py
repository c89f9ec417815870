"""The data administrator's dashboard and the repeat-missing flags through the API."""

import pytest

from missing_persons import services
from missing_persons.models import FlagStatus
from referrals.models import Referral
from tests.factories import PersonFactory
from tests.missing_persons_api.conftest import call, ok, url

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_open_episodes_by_risk_interviews_due_and_flags(
    api_client, cast, episode_input, returned, flag
):
    high = services.episode_create(
        by=cast.data_admin, data=episode_input(person=PersonFactory(), risk="high")
    )

    body = ok(call(api_client, cast.data_admin, "get", url("api-missing-dashboard")))

    risks = [row["risk"] for row in body["open_by_risk"]]
    assert body["open_by_risk"][0]["id"] == high.pk and risks == sorted(risks, key=["high", "medium"].index)
    assert returned.pk not in [row["id"] for row in body["open_by_risk"]]
    assert [row["episode"] for row in body["interviews_due"]] == [returned.pk]
    assert body["interviews_due"][0]["breached"] is False
    [row] = body["repeat_flags"]
    assert row["id"] == flag.pk and set(row["episodes"]) == {e.pk for e in flag.episodes.all()}


def test_the_dashboard_costs_the_same_few_queries_whatever_its_length(
    api_client, cast, episode_input, returned, flag, django_assert_max_num_queries
):
    def queries():
        with django_assert_max_num_queries(10) as captured:
            ok(call(api_client, cast.triage, "get", url("api-missing-dashboard")))
        return len(captured)

    queries()
    before = queries()
    for _ in range(5):
        services.episode_create(by=cast.data_admin, data=episode_input(person=PersonFactory()))
    assert queries() == before


@pytest.mark.parametrize("who", ["triage", "police_researcher"])
def test_the_lead_agency_and_the_police_see_the_dashboard(api_client, cast, episode, who):
    body = ok(call(api_client, getattr(cast, who), "get", url("api-missing-dashboard")))
    assert [row["id"] for row in body["open_by_risk"]] == [episode.pk]


def test_the_flags_list(api_client, cast, flag, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        body = ok(call(api_client, cast.manager, "get", url("api-repeat-flags")))
    assert [row["id"] for row in body["results"]] == [flag.pk]
    assert ok(call(api_client, cast.outsider, "get", url("api-repeat-flags")))["results"] == []


def test_referring_a_flag_opens_a_referral_with_the_episodes_attached(api_client, cast, flag):
    body = ok(
        call(
            api_client,
            cast.data_admin,
            "post",
            url("api-repeat-flag-refer", flag.pk),
            {"note": "Please review."},
        ),
        201,
    )

    referral = Referral.objects.get(pk=body["referral"]["id"])
    assert body["referral"]["reference"] == referral.reference
    assert body["flag"]["status"] == FlagStatus.REFERRED
    assert set(referral.missing_episodes.all()) == set(flag.episodes.all())
    again = call(api_client, cast.data_admin, "post", url("api-repeat-flag-refer", flag.pk), {})
    assert again.status_code == 400


def test_dismissing_a_flag_needs_a_reason(api_client, cast, flag):
    response = call(
        api_client, cast.data_admin, "post", url("api-repeat-flag-dismiss", flag.pk), {"reason": ""}
    )
    assert response.status_code == 400 and "reason" in response.json()

    body = ok(
        call(
            api_client,
            cast.data_admin,
            "post",
            url("api-repeat-flag-dismiss", flag.pk),
            {"reason": "Known, safe."},
        )
    )
    flag.refresh_from_db()
    assert body["status"] == flag.status == FlagStatus.DISMISSED


def test_a_lead_case_worker_may_not_act_on_a_flag(api_client, cast, flag):
    response = call(api_client, cast.triage, "post", url("api-repeat-flag-refer", flag.pk), {})
    assert response.status_code == 403
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
