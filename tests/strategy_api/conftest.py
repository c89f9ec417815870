"""Fixtures of the strategy API tests: those of tests/strategy (a collated referral, a threshold
decision, a convened discussion, the never-invited ``education`` agency), and a few helpers: ``change``
posts a change to a discussion, ``valid_bodies`` holds a valid body for each versioned change."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from mash.sharing.models import AccessAction, AccessLog
from strategy import services
from strategy.models import Attendance, Decision, Invitation
from tests.information_requests.support import answer, ask, referral_in
from tests.strategy import conftest as strategy_conftest
from tests.strategy.support import every_child

gathering = strategy_conftest.gathering
education = strategy_conftest.education
collated = strategy_conftest.collated
required = strategy_conftest.required
convene = strategy_conftest.convene
discussion = strategy_conftest.discussion


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def denials(user, obj) -> int:
    """The refusals of ``obj`` to ``user`` in the access log."""
    return AccessLog.objects.filter(
        user=user,
        action=AccessAction.DENIED,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
    ).count()


def post(api_client, user, name, body, *args):
    api_client.force_authenticate(user)
    return api_client.post(url(name, *args), body, format="json")


def change(api_client, cast, discussion, name, body, *args, user=None):
    return post(
        api_client, user or cast.decision_maker, f"api-strategy-discussion-{name}", body, discussion.pk, *args
    )


def invitation_of(discussion, agency) -> Invitation:
    return discussion.invitations.get(agency=agency)


def in_a_week() -> str:
    return (timezone.localdate() + timedelta(days=7)).isoformat()


def valid_bodies(cast, discussion, person) -> dict:
    """A valid body for each versioned change, at the discussion's current version."""
    version = {"version": discussion.version}
    return {
        "reschedule": {**version, "scheduled_at": timezone.now().isoformat(), "reason": "Chair unwell."},
        "cancel": {**version, "reason": "Family moved away."},
        "invitations": {**version, "invitees": [{"agency": cast.outsider_agency.pk}]},
        "considered": {**version, "considered": []},
        "attendance": {
            **version,
            "attendance": [
                {"invitation": invitation_of(discussion, cast.police).pk, "attendance": "attended"}
            ],
        },
        "record": {**version, "notes": "Notes.", "rationale": "Why."},
        "decisions": {
            **version,
            "decisions": [
                {"person": child.pk, "decision": "s47_joint"} for child in services.subjects_of(discussion)
            ],
        },
        "actions": {
            **version,
            "description": "Visit.",
            "owner_agency": cast.police.pk,
            "due_on": in_a_week(),
        },
        "sign-off": version,
    }


VERSIONED = [
    "reschedule",
    "cancel",
    "invitations",
    "considered",
    "attendance",
    "record",
    "decisions",
    "actions",
    "sign-off",
]


def collated_referral(cast):
    """Another red referral, the police asked and answered: awaiting a threshold decision."""
    referral = referral_in(cast, state="information_gathering")
    [police_request] = ask(referral, cast.triage, cast.police)
    answer(police_request, cast.police_researcher)
    referral.refresh_from_db()
    return referral


def discussion_of_new_referral(cast):
    """Another referral sent to strategy and its discussion convened (the police invited)."""
    referral = collated_referral(cast)
    services.threshold_decide(referral=referral, by=cast.decision_maker, required=True, rationale="Risk.")
    return services.discussion_convene(
        referral=referral,
        by=cast.decision_maker,
        scheduled_at=timezone.now().replace(second=0, microsecond=0),  # the referral came in this minute
        mode="video",
        chair=cast.decision_maker,
        invitees=[services.Invitee(agency=cast.police)],
    )


@pytest.fixture
def action(cast, discussion):
    """An open action of ``discussion`` for the police decision maker, due in a week."""
    return services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="Check the address on the police systems.",
        owner_agency=cast.police,
        owner=cast.police_decision_maker,
        due_on=timezone.localdate() + timedelta(days=7),
    )


@pytest.fixture
def ready(cast, discussion, person):
    """``discussion`` recorded and ready to sign off: the police attended, health sent apologies, a
    joint section 47 enquiry for the subject."""
    services.attendance_record(
        discussion=discussion,
        by=cast.decision_maker,
        attendance={
            invitation.pk: Attendance.APOLOGIES
            if invitation.agency_id == cast.health.pk
            else Attendance.ATTENDED
            for invitation in discussion.invitations.all()
        },
    )
    services.record_update(
        discussion=discussion, by=cast.decision_maker, notes="Discussed.", rationale="Injury."
    )
    services.decisions_record(
        discussion=discussion,
        by=cast.decision_maker,
        decisions=every_child(discussion, Decision.S47_JOINT, "Injury."),
    )
    discussion.refresh_from_db()
    return discussion


@pytest.fixture
def signed_off(cast, ready):
    discussion = services.discussion_sign_off(discussion=ready, by=cast.decision_maker)
    discussion.refresh_from_db()
    return discussion
