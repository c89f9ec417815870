"""Every change to a discussion refused: out of date (409), not the chair's (403), out of sight (a logged
404). Each is refused without changing the discussion."""

import pytest

from strategy.models import StrategyDiscussion
from tests.strategy_api.conftest import (
    VERSIONED,
    change,
    denials,
    invitation_of,
    valid_bodies,
)

pytestmark = pytest.mark.django_db


def test_a_stale_version_is_a_409(api_client, cast, discussion, person, subtests):
    bodies = valid_bodies(cast, discussion, person)
    # Someone else changes the discussion first.
    change(api_client, cast, discussion, "record", {"version": discussion.version, "notes": "First."})

    for name in VERSIONED:
        with subtests.test(msg=name):
            response = change(api_client, cast, discussion, name, bodies[name])
            assert response.status_code == 409, response.content
            assert "Someone else changed" in response.json()["detail"]
    assert StrategyDiscussion.objects.get().version == discussion.version + 1


def test_an_invited_partner_may_not_change_the_record(api_client, cast, discussion, person, subtests):
    bodies = {**valid_bodies(cast, discussion, person), "addenda": {"text": "Mine."}}

    for name, body in bodies.items():
        with subtests.test(msg=name):
            response = change(api_client, cast, discussion, name, body, user=cast.police_decision_maker)
            assert response.status_code == 403, response.content
            assert "Only the chair or a lead decision maker" in response.json()["detail"]
    assert StrategyDiscussion.objects.get().version == discussion.version


@pytest.mark.parametrize("who", ["education", "outsider"])
def test_a_discussion_out_of_sight_is_a_logged_404_whatever_the_change(
    api_client, cast, education, discussion, person, who, subtests
):
    user = education["decision_maker"] if who == "education" else cast.outsider
    bodies = {
        **valid_bodies(cast, discussion, person),
        "addenda": {"text": "Mine."},
        "invitation-remove": {"version": discussion.version},
        "finding": {"finding": "continuing_risk"},
    }
    extra = {"invitation-remove": [invitation_of(discussion, cast.health).pk], "finding": [1]}

    for name, body in bodies.items():
        with subtests.test(msg=name):
            before = denials(user, discussion)
            response = change(api_client, cast, discussion, name, body, *extra.get(name, []), user=user)
            assert response.status_code == 404
            assert denials(user, discussion) == before + 1
    assert StrategyDiscussion.objects.get().version == discussion.version
