"""GET strategy-actions/ ('my actions'), POST strategy-actions/{id}/complete/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from strategy import services
from strategy.models import ActionStatus
from tests.strategy_api.conftest import denials, discussion_of_new_referral, url

pytestmark = pytest.mark.django_db

ACTIONS = "api-strategy-actions"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def add_action(cast, discussion, *, agency=None, owner=None, days=7):
    return services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="Share the chronology.",
        owner_agency=agency or cast.police,
        owner=owner,
        due_on=timezone.localdate() + timedelta(days=days),
    )


def complete(api_client, user, action, note="Done."):
    api_client.force_authenticate(user)
    return api_client.post(url("api-strategy-action-complete", action.pk), {"note": note}, format="json")


def test_my_actions_are_mine_and_my_agencys_unnamed_ones(api_client, cast, discussion, action):
    agency_wide = add_action(cast, discussion, days=3)
    add_action(cast, discussion, agency=cast.health)
    api_client.force_authenticate(cast.police_decision_maker)

    response = api_client.get(url(ACTIONS))

    assert ids(response) == [agency_wide.pk, action.pk]  # by due date
    row = response.json()["results"][1]
    assert row["description"] == action.description
    assert (row["discussion_id"], row["referral"]["id"]) == (discussion.pk, discussion.referral_id)
    assert (row["owner"]["id"], row["owner_agency"]["id"], row["status"]) == (
        cast.police_decision_maker.pk,
        cast.police.pk,
        "open",
    )
    api_client.force_authenticate(cast.police_researcher)
    assert ids(api_client.get(url(ACTIONS))) == [agency_wide.pk]


def test_done_actions_are_shown_when_asked_for(api_client, cast, action):
    complete(api_client, cast.police_decision_maker, action)

    assert ids(api_client.get(url(ACTIONS))) == []
    assert ids(api_client.get(url(ACTIONS), {"include_done": "1"})) == [action.pk]


def test_everyone_is_for_the_lead_agency_only(api_client, cast, action):
    api_client.force_authenticate(cast.manager)
    lead = ids(api_client.get(url(ACTIONS), {"everyone": "1"}))
    api_client.force_authenticate(cast.health_researcher)
    health = ids(api_client.get(url(ACTIONS), {"everyone": "1"}))

    assert (lead, health) == ([action.pk], [])


def test_a_bad_filter_is_a_400_naming_it(api_client, cast, action):
    api_client.force_authenticate(cast.police_decision_maker)

    response = api_client.get(url(ACTIONS), {"include_done": "perhaps"})

    assert response.status_code == 400
    assert "include_done" in response.json()


def list_queries(api_client, user, django_assert_max_num_queries) -> tuple[int, int]:
    # A fresh instance, as each request has: the user's agency and roles are cached on it.
    api_client.force_authenticate(type(user).objects.get(pk=user.pk))
    with django_assert_max_num_queries(10) as queries:
        response = api_client.get(url(ACTIONS), {"page_size": 100, "include_done": "1"})
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


def test_the_list_costs_the_same_few_queries_whatever_its_length(
    api_client, cast, discussion, action, django_assert_max_num_queries
):
    user = cast.police_decision_maker
    # The list filters on the discussions the user may see: the first request of a process reads the
    # grant permission's id once (the policy caches it), so it is left out of the comparison.
    list_queries(api_client, user, django_assert_max_num_queries)
    one = list_queries(api_client, user, django_assert_max_num_queries)
    services.action_complete(action=action, by=user, note="Checked.")
    for _ in range(2):
        other = discussion_of_new_referral(cast)
        add_action(cast, other, owner=user)
        add_action(cast, other)
    five = list_queries(api_client, user, django_assert_max_num_queries)

    assert (one[1], five[1]) == (1, 5)
    assert one[0] == five[0], (one, five)


def test_the_owner_completes_the_action(api_client, cast, action):
    response = complete(api_client, cast.police_decision_maker, action, note="Address confirmed.")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["status"], body["completion_note"], body["completed_by"]["id"]) == (
        action.pk,
        "done",
        "Address confirmed.",
        cast.police_decision_maker.pk,
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_an_action_is_completed_once(api_client, cast, action):
    complete(api_client, cast.police_decision_maker, action)

    response = complete(api_client, cast.police_decision_maker, action)

    assert response.status_code == 400
    assert "already done" in response.json()["non_field_errors"][0]


def test_another_user_of_an_invited_agency_may_not_complete_a_named_action(api_client, cast, action):
    # The police researcher sees the discussion (the police are invited) but the action is not theirs.
    response = complete(api_client, cast.police_researcher, action)

    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@pytest.mark.parametrize("who", ["education", "outsider"])
def test_an_action_out_of_sight_is_a_logged_404(api_client, cast, education, discussion, action, who):
    user = education["decision_maker"] if who == "education" else cast.outsider

    response = complete(api_client, user, action)

    assert response.status_code == 404
    assert denials(user, discussion) == 1
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@pytest.mark.parametrize("who", ["education", "outsider"])
def test_an_agency_never_invited_lists_no_action(api_client, cast, education, action, who):
    api_client.force_authenticate(education["decision_maker"] if who == "education" else cast.outsider)

    assert ids(api_client.get(url(ACTIONS), {"include_done": "1", "everyone": "1"})) == []
