"""'My actions': the actions named for the user and their agency's actions named for no one, and
marking one as done."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.sharing.models import AccessAction
from referrals.models import EventKind
from strategy import services
from strategy.models import ActionStatus
from tests.referrals_pages.builders import access_rows

pytestmark = pytest.mark.django_db

ACTIONS = reverse("strategy:actions")
POLICE_ACTION = "Check the police systems for the stepfather."
HEALTH_ACTION = "Book a paediatric assessment."


def complete_url(action) -> str:
    return reverse("strategy:action_complete", args=[action.pk])


@pytest.fixture
def actions(cast, discussion):
    """Two actions of the discussion: one named for the police decision maker, one for health's agency."""
    due = timezone.localdate() + timedelta(days=3)
    named = services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description=POLICE_ACTION,
        owner_agency=cast.police,
        owner=cast.police_decision_maker,
        due_on=due,
    )
    agency = services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description=HEALTH_ACTION,
        owner_agency=cast.health,
        due_on=due,
    )
    return {"named": named, "agency": agency}


def listed(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(ACTIONS, params)
    assert response.status_code == 200
    return [a.pk for a in response.context["actions"]]


def test_the_named_owner_sees_their_action(client, cast, actions):
    assert listed(client, cast.police_decision_maker) == [actions["named"].pk]
    assert POLICE_ACTION in client.get(ACTIONS).content.decode()


def test_a_member_of_the_owner_agency_sees_an_action_named_for_no_one(client, cast, actions):
    assert listed(client, cast.health_researcher) == [actions["agency"].pk]
    assert HEALTH_ACTION in client.get(ACTIONS).content.decode()


@pytest.mark.parametrize("who", ["police_researcher", "outsider", "decision_maker", "triage"])
def test_no_one_else_sees_them_as_theirs(client, cast, actions, who):
    assert listed(client, getattr(cast, who)) == []
    body = client.get(ACTIONS).content.decode()
    assert POLICE_ACTION not in body and HEALTH_ACTION not in body


def test_a_lead_case_worker_may_list_every_action_and_no_one_else_may(client, cast, actions):
    assert set(listed(client, cast.decision_maker, all="1")) == {a.pk for a in actions.values()}
    assert listed(client, cast.outsider, all="1") == []
    assert listed(client, cast.police_decision_maker, all="1") == [actions["named"].pk]


def test_the_owner_marks_their_action_done_and_the_referral_timeline_says_so(
    client, cast, discussion, actions
):
    action = actions["named"]
    client.force_login(cast.police_decision_maker)

    response = client.post(complete_url(action), {"note": "Nothing further on PNC."})

    assert response.status_code == 302
    assert response.url == ACTIONS
    action.refresh_from_db()
    assert (action.status, action.completed_by, action.completion_note) == (
        ActionStatus.DONE,
        cast.police_decision_maker,
        "Nothing further on PNC.",
    )
    assert action.completed_at is not None
    event = discussion.referral.timeline.get(kind=EventKind.STRATEGY, note__startswith="Action done")
    assert event.note == f"Action done (Constabulary): {POLICE_ACTION}\nNothing further on PNC."
    assert event.by == cast.police_decision_maker
    page = client.get(ACTIONS)
    assert "Action marked as done." in page.content.decode()
    assert list(page.context["actions"]) == []  # done ones are hidden unless asked for
    assert listed(client, cast.police_decision_maker, done="1") == [action.pk]


def test_a_member_of_the_owner_agency_completes_an_action_named_for_no_one(client, cast, actions):
    client.force_login(cast.health_researcher)

    assert client.post(complete_url(actions["agency"]), {"note": ""}).status_code == 302

    actions["agency"].refresh_from_db()
    assert actions["agency"].status == ActionStatus.DONE


def test_someone_else_completing_gets_an_error_and_nothing_changes(client, cast, discussion, actions):
    # The police researcher sees the discussion (the police are invited) but the action is named for
    # the police decision maker.
    action = actions["named"]
    events = discussion.referral.timeline.count()
    client.force_login(cast.police_researcher)

    response = client.post(complete_url(action), {"note": "Done it for him."}, follow=True)

    assert response.status_code == 200
    assert "Only the action&#x27;s owner may complete it." in response.content.decode()
    action.refresh_from_db()
    assert (action.status, action.completed_at, action.completed_by) == (ActionStatus.OPEN, None, None)
    assert discussion.referral.timeline.count() == events


def test_an_action_done_twice_is_refused_the_second_time(client, cast, discussion, actions):
    action = actions["named"]
    client.force_login(cast.police_decision_maker)
    client.post(complete_url(action), {"note": "First."})

    response = client.post(complete_url(action), {"note": "Second."}, follow=True)

    assert "This action is already done." in response.content.decode()
    action.refresh_from_db()
    assert action.completion_note == "First."


def test_an_agency_never_invited_gets_not_found_and_the_refusal_is_logged(client, cast, discussion, actions):
    client.force_login(cast.outsider)

    response = client.post(complete_url(actions["named"]), {"note": "Mine."})

    assert response.status_code == 404
    assert access_rows(cast.outsider, discussion, AccessAction.DENIED) == 1
    actions["named"].refresh_from_db()
    assert actions["named"].status == ActionStatus.OPEN


def test_my_actions_takes_the_same_queries_for_one_or_many(
    client, cast, discussion, actions, django_assert_max_num_queries
):
    client.force_login(cast.decision_maker)
    client.get(ACTIONS, {"all": "1"})
    for n in range(5):
        services.action_add(
            discussion=discussion,
            by=cast.decision_maker,
            description=f"Action {n}",
            owner_agency=cast.police,
            owner=cast.police_decision_maker,
            due_on=timezone.localdate() + timedelta(days=n),
        )
    # Session, user, membership, roles, the actions with their discussion, referral and owners, and the
    # inbox badge; the same however many actions there are.
    with django_assert_max_num_queries(8):
        response = client.get(ACTIONS, {"all": "1"})
    assert len(response.context["actions"]) == 7


def test_the_actions_page_by_50_with_their_count_and_keep_done_on_the_page_links(
    client, cast, discussion, actions
):
    """Issue 16: the list no longer stops silently at 200: it counts and pages every action."""
    due = timezone.localdate() + timedelta(days=5)
    for n in range(50):
        services.action_add(
            discussion=discussion,
            by=cast.decision_maker,
            description=f"Action {n}.",
            owner_agency=cast.police,
            owner=cast.police_decision_maker,
            due_on=due,
        )
    services.action_complete(action=actions["named"], by=cast.police_decision_maker, note="Checked.")
    client.force_login(cast.police_decision_maker)
    open_only = client.get(ACTIONS).content.decode()
    assert "50 actions, the earliest due first" in open_only
    assert "page=2" not in open_only
    first = client.get(ACTIONS, {"done": "1"})
    assert len(first.context["actions"]) == 50
    assert "51 actions, the earliest due first" in first.content.decode()
    assert "?done=1&amp;page=2" in first.content.decode()
    second = client.get(ACTIONS, {"done": "1", "page": "2"})
    assert len(second.context["actions"]) == 1
    shown = {a.pk for a in first.context["actions"]} | {a.pk for a in second.context["actions"]}
    assert actions["named"].pk in shown and len(shown) == 51
