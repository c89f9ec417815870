"""Re-scheduling and cancelling a discussion, its invitations and the answers it considers. Each change
answers with the discussion."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from strategy.models import Invitation, StrategyDiscussion
from tests.strategy_api.conftest import (
    change,
    discussion_of_new_referral,
    invitation_of,
    url,
)

pytestmark = pytest.mark.django_db


# --- Re-scheduling and cancelling ------------------------------------------------------------------


def test_the_chair_reschedules(api_client, cast, discussion):
    when = timezone.now() + timedelta(days=1)

    response = change(
        api_client,
        cast,
        discussion,
        "reschedule",
        {
            "version": discussion.version,
            "scheduled_at": when.isoformat(),
            "reason": "Chair unwell.",
            "mode": "call",
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert parse_datetime(body["scheduled_at"]) == when
    assert (body["mode"], body["location"], body["version"]) == ("call", "Teams", discussion.version + 1)
    assert StrategyDiscussion.objects.get().sequence == 1


def test_a_reschedule_without_a_reason_is_a_400_naming_it(api_client, cast, discussion):
    body = {"version": discussion.version, "scheduled_at": timezone.now().isoformat()}

    response = change(api_client, cast, discussion, "reschedule", body)

    assert response.status_code == 400
    assert list(response.json()) == ["reason"]


def test_the_chair_cancels(api_client, cast, discussion):
    response = change(
        api_client, cast, discussion, "cancel", {"version": discussion.version, "reason": "Moved away."}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["cancellation_reason"]) == ("cancelled", "Moved away.")
    assert body["cancelled_by"]["id"] == cast.decision_maker.pk


# --- Invitations and what is considered -------------------------------------------------------------


def test_more_agencies_are_invited_and_then_see_the_discussion(api_client, cast, education, discussion):
    response = change(
        api_client,
        cast,
        discussion,
        "invitations",
        {"version": discussion.version, "invitees": [{"agency": education["agency"].pk}]},
    )

    assert response.status_code == 201, response.content
    assert education["agency"].pk in {row["agency"]["id"] for row in response.json()["invitations"]}
    api_client.force_authenticate(education["researcher"])
    assert api_client.get(url("api-strategy-discussion", discussion.pk)).status_code == 200


def test_inviting_twice_is_a_400_naming_the_invitees(api_client, cast, discussion):
    response = change(
        api_client,
        cast,
        discussion,
        "invitations",
        {"version": discussion.version, "invitees": [{"agency": cast.health.pk}]},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["invitees"]


def test_someone_of_another_agency_is_refused(api_client, cast, discussion):
    response = change(
        api_client,
        cast,
        discussion,
        "invitations",
        {
            "version": discussion.version,
            "invitees": [{"agency": cast.health.pk, "user": cast.police_researcher.pk}],
        },
    )

    assert response.status_code == 400
    assert "does not work for" in response.json()["invitees"][0]


def test_an_invitation_is_withdrawn_and_the_agency_loses_sight(api_client, cast, discussion):
    health = invitation_of(discussion, cast.health)

    response = change(
        api_client, cast, discussion, "invitation-remove", {"version": discussion.version}, health.pk
    )

    assert response.status_code == 200, response.content
    assert cast.health.pk not in {row["agency"]["id"] for row in response.json()["invitations"]}
    api_client.force_authenticate(cast.health_researcher)
    assert api_client.get(url("api-strategy-discussion", discussion.pk)).status_code == 404


def test_the_chair_cannot_be_uninvited(api_client, cast, discussion):
    chair = invitation_of(discussion, cast.lead)

    response = change(
        api_client, cast, discussion, "invitation-remove", {"version": discussion.version}, chair.pk
    )

    assert response.status_code == 400
    assert "chair" in response.json()["non_field_errors"][0]


def test_an_invitation_of_another_discussion_is_a_404(api_client, cast, discussion):
    other = discussion_of_new_referral(cast)
    police = invitation_of(other, cast.police)

    response = change(
        api_client, cast, discussion, "invitation-remove", {"version": discussion.version}, police.pk
    )

    assert response.status_code == 404
    assert Invitation.objects.filter(pk=police.pk).exists()


def test_the_considered_answers_are_chosen(api_client, cast, collated, discussion):
    body = {"version": discussion.version, "considered": [collated.police_answer.pk]}

    response = change(api_client, cast, discussion, "considered", body)

    assert response.status_code == 200, response.content
    assert response.json()["considered"] == [collated.police_answer.pk]


def test_an_answer_about_another_referral_is_refused(api_client, cast, discussion):
    other = discussion_of_new_referral(cast).referral.information_requests.get()

    response = change(
        api_client, cast, discussion, "considered", {"version": discussion.version, "considered": [other.pk]}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["considered"]
