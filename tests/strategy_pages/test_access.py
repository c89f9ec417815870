"""Who sees a strategy discussion: a non-invited agency never does (404, logged, in the pages and in the
admin); an invited partner reads it and the answers it considers without changing it; an agency that
sent its apologies loses it at sign-off."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.sharing.models import AccessAction
from strategy import services
from strategy.models import Attendance, DiscussionStatus
from tests.referrals_pages.builders import access_rows
from tests.strategy.support import every_child

pytestmark = pytest.mark.django_db

EDIT_FORMS = ["attendance", "record", "decisions", "action_add", "sign_off", "reschedule", "cancel", "invite"]


def page_url(discussion) -> str:
    return reverse("strategy:discussion", args=[discussion.pk])


@pytest.fixture(params=["education researcher", "education decision maker", "outsider"])
def stranger(request, cast, education):
    """Someone of an agency never invited to the discussion."""
    return {
        "education researcher": education["researcher"],
        "education decision maker": education["decision_maker"],
        "outsider": cast.outsider,
    }[request.param]


@pytest.fixture
def decided(cast, person, discussion):
    """The discussion with a decision recorded (so that its finding endpoint has a decision)."""
    decision, _sibling = services.decisions_record(
        discussion=discussion,
        by=cast.decision_maker,
        decisions=every_child(discussion, "s47_joint"),
    )
    discussion.refresh_from_db()
    return decision


def post_endpoints(cast, person, discussion, decision) -> list[tuple[str, dict]]:
    invitation = discussion.invitations.filter(user__isnull=True).first()
    version = {"version": discussion.version}
    when = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    return [
        (
            reverse("strategy:attendance", args=[discussion.pk]),
            {**version, f"attendance-{invitation.pk}": "absent"},
        ),
        (
            reverse("strategy:record", args=[discussion.pk]),
            {**version, "notes": "Mine.", "rationale": "Mine."},
        ),
        (reverse("strategy:decisions", args=[discussion.pk]), {**version, f"decision-{person.pk}": "nfa"}),
        (
            reverse("strategy:action_add", args=[discussion.pk]),
            {
                **version,
                "description": "Mine.",
                "owner_agency": cast.outsider_agency.pk,
                "due_on": timezone.localdate().isoformat(),
            },
        ),
        (
            reverse("strategy:reschedule", args=[discussion.pk]),
            {**version, "scheduled_at": when, "mode": "call", "reason": "Mine."},
        ),
        (reverse("strategy:cancel", args=[discussion.pk]), {**version, "reason": "Mine."}),
        (
            reverse("strategy:invite", args=[discussion.pk]),
            {**version, "agencies": [cast.outsider_agency.pk]},
        ),
        (reverse("strategy:uninvite", args=[discussion.pk, invitation.pk]), {}),
        (reverse("strategy:sign_off", args=[discussion.pk]), version),
        (reverse("strategy:addendum", args=[discussion.pk]), {"text": "Mine."}),
        (reverse("strategy:finding", args=[discussion.pk, decision.pk]), {"finding": "continuing_risk"}),
    ]


def state_of(discussion) -> dict:
    discussion.refresh_from_db()
    return {
        "version": discussion.version,
        "status": discussion.status,
        "notes": discussion.notes,
        "invitations": sorted(discussion.invitations.values_list("pk", "attendance")),
        "decisions": sorted(discussion.decisions.values_list("decision", "finding")),
        "actions": discussion.actions.count(),
        "addenda": discussion.addenda.count(),
    }


def test_an_agency_never_invited_gets_not_found_for_the_page_and_the_refusal_is_logged(
    assert_denied, stranger, discussion
):
    response = assert_denied(stranger, page_url(discussion), discussion)

    assert discussion.referral.reference not in response.content.decode()
    assert access_rows(stranger, discussion, AccessAction.VIEW) == 0


def test_an_agency_never_invited_gets_not_found_for_every_change_and_nothing_changes(
    assert_denied, cast, person, stranger, discussion, decided
):
    before = state_of(discussion)
    for url, data in post_endpoints(cast, person, discussion, decided):
        assert_denied(stranger, url, discussion, method="post", data=data)
    assert state_of(discussion) == before


def test_the_endpoints_denied_are_the_ones_the_chair_uses(client, cast, person, discussion, decided):
    # Guards the list above: each of these URLs is one the page's forms post to.
    client.force_login(cast.decision_maker)
    body = client.get(page_url(discussion)).content.decode()
    for url, _ in post_endpoints(cast, person, discussion, decided):
        if "/addenda/" in url or "/finding/" in url:
            continue  # only on a signed-off record
        assert f'action="{url}"' in body, url


@pytest.mark.parametrize(
    "admin_page", ["admin:strategy_strategydiscussion_change", "admin:strategy_thresholddecision_change"]
)
def test_an_agency_never_invited_gets_not_found_in_the_admin_and_the_refusal_is_logged(
    client, stranger, discussion, admin_page
):
    obj = discussion if "strategydiscussion" in admin_page else discussion.threshold_decision
    stranger.is_staff = True
    stranger.save()
    client.force_login(stranger)

    response = client.get(reverse(admin_page, args=[obj.pk]))

    # The admin's "not found": back to its index with a message.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert access_rows(stranger, obj, AccessAction.DENIED) == 1
    assert access_rows(stranger, obj, AccessAction.VIEW) == 0


def test_the_admin_lists_nothing_to_an_agency_never_invited(client, stranger, discussion):
    stranger.is_staff = True
    stranger.save()
    client.force_login(stranger)

    for name in ["strategydiscussion", "thresholddecision", "action"]:
        response = client.get(reverse(f"admin:strategy_{name}_changelist"))
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0, name
        assert discussion.referral.reference not in response.content.decode()


def test_an_invited_partner_reads_the_page_and_the_answers_considered_without_any_form(
    client, cast, collated, discussion
):
    client.force_login(cast.police_decision_maker)
    response = client.get(page_url(discussion))

    assert response.status_code == 200
    body = response.content.decode()
    assert {a.pk for a in response.context["answers"]} == {
        collated.police_answer.pk,
        collated.health_answer.pk,
    }
    assert "Missed three immunisation appointments" in body  # health's answer
    assert "Integrated Care Board's answer" in body
    for name in EDIT_FORMS:
        assert reverse(f"strategy:{name}", args=[discussion.pk]) not in body, name
    assert access_rows(cast.police_decision_maker, discussion, AccessAction.VIEW) == 1
    assert access_rows(cast.police_decision_maker, collated.health_answer, AccessAction.VIEW) == 1


def test_an_invited_partner_may_not_change_the_record(client, cast, discussion, post_to):
    client.force_login(cast.police_decision_maker)
    before = state_of(discussion)

    response = post_to(discussion, "record", {"notes": "Police notes.", "rationale": "Police view."})

    assert response.status_code == 400
    assert "Only the chair or a lead decision maker may record the discussion." in response.content.decode()
    assert state_of(discussion) == before


def test_an_agency_that_sent_apologies_loses_the_discussion_at_sign_off(
    client, assert_denied, cast, collated, discussion, hold
):
    client.force_login(cast.health_researcher)
    assert client.get(page_url(discussion)).status_code == 200

    hold(discussion, attendance={cast.health: Attendance.APOLOGIES})

    assert discussion.status == DiscussionStatus.SIGNED_OFF
    assert_denied(cast.health_researcher, page_url(discussion), discussion)
    # The police attended: they keep the record and the health answer it considered.
    client.force_login(cast.police_decision_maker)
    response = client.get(page_url(discussion))
    assert response.status_code == 200
    assert "Missed three immunisation appointments" in response.content.decode()
