import pytest
from django.urls import reverse

from referrals.requests import services as request_services
from referrals.requests.services import RequestInput

pytestmark = pytest.mark.django_db


def test_the_admin_shows_no_request_to_an_administrator_without_a_membership(admin_client, cast, gathering):
    (sent,) = request_services.information_requests_send(
        referral=gathering, by=cast.triage, requests=[RequestInput(agency=cast.police, questions="Anything?")]
    )
    changelist = admin_client.get(reverse("admin:referrals_informationrequest_changelist"))
    assert changelist.status_code == 200
    assert gathering.reference not in changelist.content.decode()
    assert (
        admin_client.get(reverse("admin:referrals_informationrequest_change", args=[sent.pk])).status_code
        == 302
    )
    assert admin_client.get(reverse("admin:referrals_responseentry_changelist")).status_code == 200


def test_moving_on_before_every_agency_answered_needs_a_reason(cast, gathering):
    from django.core.exceptions import ValidationError

    from referrals import services

    request_services.information_requests_send(
        referral=gathering, by=cast.triage, requests=[RequestInput(agency=cast.police, questions="Anything?")]
    )
    with pytest.raises(ValidationError) as error:
        services.referral_transition(
            referral=gathering, by=cast.triage, to_state="awaiting_threshold_decision"
        )
    assert "note" in error.value.message_dict
    moved = services.referral_transition(
        referral=gathering,
        by=cast.triage,
        to_state="awaiting_threshold_decision",
        note="Police answer by phone; decision needed tonight.",
    )
    assert moved.state == "awaiting_threshold_decision"


def test_withdrawing_the_last_unanswered_request_moves_the_referral_on(cast, gathering, person):
    from referrals.models import State
    from referrals.requests.services import EntryInput

    police, health = request_services.information_requests_send(
        referral=gathering,
        by=cast.triage,
        requests=[
            RequestInput(agency=cast.police, questions="Q?"),
            RequestInput(agency=cast.health, questions="Q?"),
        ],
    )
    for link in gathering.subjects.all():
        request_services.response_entry_add(
            request=police,
            by=cast.police_researcher,
            data=EntryInput(person_id=link.person_id, nothing_known=True),
        )
    request_services.information_request_submit(request=police, by=cast.police_researcher)
    gathering.refresh_from_db()
    assert gathering.state == State.INFORMATION_GATHERING
    request_services.information_request_withdraw(
        request=health, by=cast.triage, reason="Health answered by phone."
    )
    gathering.refresh_from_db()
    assert gathering.state == State.AWAITING_THRESHOLD_DECISION


def test_opening_an_answer_in_the_admin_is_logged_as_a_read_of_its_request(
    admin_client, admin_user, cast, gathering
):
    from mash.sharing.models import AccessAction, AccessLog
    from referrals.requests.services import EntryInput

    (sent,) = request_services.information_requests_send(
        referral=gathering, by=cast.triage, requests=[RequestInput(agency=cast.police, questions="Anything?")]
    )
    entry = request_services.response_entry_add(
        request=sent,
        by=cast.police_researcher,
        data=EntryInput(person_id=gathering.subjects.first().person_id, nothing_known=True),
    )
    response = admin_client.get(reverse("admin:referrals_responseentry_change", args=[entry.pk]))
    assert response.status_code == 302
    assert AccessLog.objects.filter(
        user=admin_user, action=AccessAction.DENIED, object_id=str(sent.pk)
    ).exists()
