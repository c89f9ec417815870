"""Each action on a request's page (referrals/requests/views.py): what it says, where it goes, and how a
refusal shows (beside the form that was sent, or as a message for a button)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from referrals.models import RequestStatus
from referrals.requests import services
from tests.information_requests.support import answer, ask, nothing_known, subjects_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def police_request(cast, gathering):
    (request,) = ask(gathering, cast.triage, cast.police)
    return request


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def post(client, name, information_request, data=None):
    return client.post(reverse(f"referrals:{name}", args=[information_request.pk]), data or {})


def test_claiming_assigns_the_request_and_a_refusal_is_a_message(client, cast, police_request):
    client.force_login(cast.police_researcher)
    done = post(client, "request_claim", police_request)
    assert done.status_code == 302 and done.url == reverse("referrals:request", args=[police_request.pk])
    assert said(done) == ["The request is assigned to you."]
    police_request.refresh_from_db()
    assert police_request.assigned_to == cast.police_researcher

    client.force_login(cast.triage)
    refused = post(client, "request_claim", police_request)
    assert refused.status_code == 400
    assert refused.context["failed"] == ""
    assert "Only a researcher of the agency asked may claim this request." in refused.content.decode()


def test_removing_a_draft_entry(client, cast, police_request):
    person = subjects_of(police_request.referral)[1]
    entry = services.response_entry_add(
        request=police_request, by=cast.police_researcher, data=nothing_known(person)
    )
    client.force_login(cast.police_researcher)
    assert post(client, "request_entry_remove", police_request, {"entry": 0}).status_code == 404
    done = post(client, "request_entry_remove", police_request, {"entry": entry.pk})
    assert done.status_code == 302 and said(done) == ["Entry removed from the draft."]
    assert not police_request.entries.exists()


def test_submitting_without_the_version_asks_for_a_reload(client, cast, police_request):
    client.force_login(cast.police_researcher)
    refused = post(client, "request_submit", police_request)
    assert refused.status_code == 400 and refused.context["failed"] == "submit"
    assert "Reload the page and submit again." in refused.content.decode()


def test_an_addendum_is_added_and_a_refusal_shows_beside_its_form(client, cast, police_request):
    answer(police_request, cast.police_researcher)
    police_request.refresh_from_db()
    person = subjects_of(police_request.referral)[1]
    client.force_login(cast.police_researcher)
    fields = {"addendum-version": police_request.version, "addendum-person": person.pk}
    fields.update({"addendum-nothing_known": "on", "addendum-security_marking": "official"})

    refused = post(client, "request_addendum", police_request, fields)
    assert refused.status_code == 400 and refused.context["failed"] == "addendum"
    assert refused.context["addendum_form"].errors["reason"]

    done = post(client, "request_addendum", police_request, {**fields, "addendum-reason": "A later check."})
    assert done.status_code == 302 and said(done) == ["Addendum added. The MASH has been told."]
    assert police_request.entries.filter(is_addendum=True, addendum_reason="A later check.").exists()


def test_withdrawing_goes_back_to_the_referral(client, cast, police_request):
    client.force_login(cast.triage)
    refused = post(client, "request_withdraw", police_request, {"reason": ""})
    assert refused.status_code == 400 and refused.context["failed"] == "withdraw"
    assert refused.context["withdraw_form"].errors["reason"]

    done = post(client, "request_withdraw", police_request, {"reason": "Asked in error."})
    assert done.status_code == 302
    assert done.url == reverse("referrals:detail", args=[police_request.referral_id])
    assert said(done) == ["Request withdrawn; the agency no longer sees it."]
    police_request.refresh_from_db()
    assert police_request.status == RequestStatus.WITHDRAWN
