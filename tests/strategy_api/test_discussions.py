"""GET/POST strategy-discussions/, GET strategy-discussions/{id}/: convening, the list, one discussion,
and who may see it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mash.sharing.models import AccessAction, AccessLog
from strategy import services
from strategy.models import DiscussionStatus, Invitation, StrategyDiscussion
from tests.strategy_api.conftest import denials, discussion_of_new_referral, url

pytestmark = pytest.mark.django_db

DISCUSSIONS = "api-strategy-discussions"
DETAIL = "api-strategy-discussion"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def convene_body(cast, referral, **fields) -> dict:
    return {
        "referral": referral.pk,
        "scheduled_at": (timezone.now() + timedelta(hours=2)).isoformat(),
        "mode": "meeting",
        "location": "Room 4",
        "chair": cast.decision_maker.pk,
        "invitees": [
            {"agency": cast.police.pk, "user": cast.police_decision_maker.pk},
            {"agency": cast.health.pk},
        ],
        **fields,
    }


# --- Convening -------------------------------------------------------------------------------------


def test_a_decision_maker_convenes_the_discussion(api_client, cast, collated, required):
    referral = collated
    api_client.force_authenticate(cast.decision_maker)

    response = api_client.post(
        url(DISCUSSIONS),
        convene_body(cast, referral, considered=[referral.police_answer.pk]),
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    discussion = StrategyDiscussion.objects.get()
    assert (body["id"], body["status"], body["mode"], body["location"], body["version"]) == (
        discussion.pk,
        "scheduled",
        "meeting",
        "Room 4",
        1,
    )
    assert body["referral"] == {"id": referral.pk, "reference": referral.reference}
    assert body["threshold_decision_id"] == required.pk
    assert body["considered"] == [referral.police_answer.pk]
    invited = {(row["agency"]["id"], (row["user"] or {}).get("id")) for row in body["invitations"]}
    assert invited == {
        (cast.police.pk, cast.police_decision_maker.pk),
        (cast.health.pk, None),
        (cast.lead.pk, cast.decision_maker.pk),  # the chair
    }
    assert parse_datetime(body["strategy_clock"]["due_at"]) == required.strategy_clock.due_at
    assert set(body["sign_off_problems"]) >= {"scheduled_at", "attendance", "decisions", "rationale"}


def test_left_out_the_considered_answers_are_every_answer(api_client, cast, collated, required):
    referral = collated
    api_client.force_authenticate(cast.decision_maker)

    response = api_client.post(url(DISCUSSIONS), convene_body(cast, referral), format="json")

    assert response.json()["considered"] == sorted([referral.police_answer.pk, referral.health_answer.pk])


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"mode": "pigeon"}, "mode"),
        ({"scheduled_at": "tomorrow"}, "scheduled_at"),
        ({"duration_minutes": 1}, "duration_minutes"),
        ({"chair": 999999}, "chair"),
        ({"invitees": [{"agency": 999999}]}, "invitees"),
        ({"invitees": [{"agency": "lead"}]}, "invitees"),
        ({"considered": [999999]}, "considered"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_client, cast, required, fields, field):
    api_client.force_authenticate(cast.decision_maker)

    response = api_client.post(
        url(DISCUSSIONS), convene_body(cast, required.referral, **fields), format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not StrategyDiscussion.objects.exists()


def test_the_services_rules_answer_naming_the_field(api_client, cast, required):
    api_client.force_authenticate(cast.decision_maker)
    far = (timezone.now() + timedelta(days=120)).isoformat()

    no_partner = api_client.post(
        url(DISCUSSIONS),
        convene_body(cast, required.referral, invitees=[{"agency": cast.lead.pk}]),
        format="json",
    )
    not_a_chair = api_client.post(
        url(DISCUSSIONS), convene_body(cast, required.referral, chair=cast.triage.pk), format="json"
    )
    too_late = api_client.post(
        url(DISCUSSIONS), convene_body(cast, required.referral, scheduled_at=far), format="json"
    )

    assert (no_partner.status_code, list(no_partner.json())) == (400, ["invitees"])
    assert (not_a_chair.status_code, list(not_a_chair.json())) == (400, ["chair"])
    assert (too_late.status_code, list(too_late.json())) == (400, ["scheduled_at"])


def test_a_second_open_discussion_is_refused(api_client, cast, discussion):
    api_client.force_authenticate(cast.decision_maker)

    response = api_client.post(url(DISCUSSIONS), convene_body(cast, discussion.referral), format="json")

    assert response.status_code == 400
    assert "already scheduled" in response.json()["non_field_errors"][0]


def test_a_partner_cannot_convene(api_client, cast, required):
    api_client.force_authenticate(cast.police_decision_maker)

    response = api_client.post(url(DISCUSSIONS), convene_body(cast, required.referral), format="json")

    assert response.status_code == 403
    assert not StrategyDiscussion.objects.exists()


def test_convening_about_a_referral_out_of_sight_is_a_logged_404(api_client, cast, education, required):
    user = education["decision_maker"]
    api_client.force_authenticate(user)

    response = api_client.post(url(DISCUSSIONS), convene_body(cast, required.referral), format="json")

    assert response.status_code == 404
    assert denials(user, required.referral) == 1


# --- The list --------------------------------------------------------------------------------------


def test_the_lead_agency_lists_every_discussion_and_filters(api_client, cast, discussion):
    other = discussion_of_new_referral(cast)
    api_client.force_authenticate(cast.triage)

    everything = api_client.get(url(DISCUSSIONS))
    of_referral = ids(api_client.get(url(DISCUSSIONS), {"referral": discussion.referral_id}))
    cancelled = ids(api_client.get(url(DISCUSSIONS), {"status": "cancelled"}))

    assert set(ids(everything)) == {discussion.pk, other.pk}
    row = next(r for r in everything.json()["results"] if r["id"] == discussion.pk)
    assert (row["status"], row["mode"], row["chair"]["id"], row["version"]) == (
        "scheduled",
        "video",
        cast.decision_maker.pk,
        discussion.version,
    )
    assert row["strategy_clock"]["due_at"]
    assert of_referral == [discussion.pk]
    assert cancelled == []


def test_a_partner_lists_only_the_discussions_it_is_invited_to(api_client, cast, education, discussion):
    discussion_of_new_referral(cast)  # the police only

    api_client.force_authenticate(cast.health_researcher)
    health = ids(api_client.get(url(DISCUSSIONS)))
    api_client.force_authenticate(education["decision_maker"])
    never_invited = ids(api_client.get(url(DISCUSSIONS)))
    api_client.force_authenticate(cast.outsider)
    outsider = ids(api_client.get(url(DISCUSSIONS)))

    assert (health, never_invited, outsider) == ([discussion.pk], [], [])


@pytest.mark.parametrize("query, field", [({"status": "held"}, "status"), ({"referral": "x"}, "referral")])
def test_a_bad_filter_is_a_400_naming_it(api_client, cast, discussion, query, field):
    api_client.force_authenticate(cast.triage)

    response = api_client.get(url(DISCUSSIONS), query)

    assert response.status_code == 400
    assert field in response.json()


def list_queries(api_client, user, django_assert_max_num_queries) -> tuple[int, int]:
    # A fresh instance, as each request has: the user's agency and roles are cached on it.
    api_client.force_authenticate(type(user).objects.get(pk=user.pk))
    with django_assert_max_num_queries(10) as queries:
        response = api_client.get(url(DISCUSSIONS), {"page_size": 100})
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("role", ["decision_maker", "police_researcher"])
def test_the_list_costs_the_same_few_queries_whatever_its_length(
    api_client, cast, discussion, django_assert_max_num_queries, role
):
    user = getattr(cast, role)
    list_queries(api_client, user, django_assert_max_num_queries)
    one = list_queries(api_client, user, django_assert_max_num_queries)
    for _ in range(3):
        discussion_of_new_referral(cast)
    four = list_queries(api_client, user, django_assert_max_num_queries)

    assert (one[1], four[1]) == (1, 4)
    assert one[0] == four[0], (one, four)


# --- One discussion --------------------------------------------------------------------------------


def test_the_detail_has_the_record_and_the_read_is_logged(api_client, cast, discussion, action):
    api_client.force_authenticate(cast.decision_maker)

    response = api_client.get(url(DETAIL, discussion.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == StrategyDiscussion.objects.get().version
    assert {row["attendance"] for row in body["invitations"]} == {""}
    assert [(row["id"], row["owner"]["id"], row["status"]) for row in body["actions"]] == [
        (action.pk, cast.police_decision_maker.pk, "open")
    ]
    assert (body["decisions"], body["addenda"]) == ([], [])
    assert AccessLog.objects.filter(
        user=cast.decision_maker, action=AccessAction.VIEW, object_id=str(discussion.pk)
    ).exists()


def test_the_detail_names_the_considered_answers_without_their_content(
    api_client, cast, collated, discussion
):
    api_client.force_authenticate(cast.police_researcher)

    response = api_client.get(url(DETAIL, discussion.pk))

    referral = collated
    assert response.json()["considered"] == sorted([referral.police_answer.pk, referral.health_answer.pk])
    assert "Missed three immunisation appointments" not in response.content.decode()  # health's answer


@pytest.mark.parametrize("role", ["police_decision_maker", "police_researcher", "health_researcher"])
def test_an_invited_partner_sees_the_discussion(api_client, cast, discussion, role):
    api_client.force_authenticate(getattr(cast, role))

    response = api_client.get(url(DETAIL, discussion.pk))

    assert response.status_code == 200
    assert response.json()["id"] == discussion.pk


@pytest.mark.parametrize("who", ["education_researcher", "education_decision_maker", "outsider"])
def test_an_agency_never_invited_is_refused_and_logged(assert_denied, cast, education, discussion, who):
    user = cast.outsider if who == "outsider" else education[who.removeprefix("education_")]

    assert_denied(user, url(DETAIL, discussion.pk), discussion)


def test_after_sign_off_the_agency_that_sent_apologies_is_refused(
    assert_denied, api_client, cast, signed_off
):
    assert_denied(cast.health_researcher, url(DETAIL, signed_off.pk), signed_off)
    api_client.force_authenticate(cast.police_researcher)  # attended
    assert api_client.get(url(DETAIL, signed_off.pk)).status_code == 200


def test_after_cancelling_no_partner_sees_it(assert_denied, cast, discussion):
    services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="Family moved away.")

    assert_denied(cast.police_decision_maker, url(DETAIL, discussion.pk), discussion)
    assert StrategyDiscussion.objects.get().status == DiscussionStatus.CANCELLED
    assert Invitation.objects.filter(discussion=discussion).exists()
