"""The information request loop through the pages: ask, inbox, answer, submit, collate."""

import pytest
from django.urls import reverse

from mash.notifications.models import Notification
from referrals.models import InformationRequest, RequestStatus, State

pytestmark = pytest.mark.django_db


def ask(client, cast, referral, agencies):
    from mash.agencies.models import Agency

    client.force_login(cast.triage)
    page = client.get(reverse("referrals:ask", args=[referral.pk]))
    assert page.status_code == 200
    partners = list(Agency.objects.filter(is_active=True, is_lead=False).order_by("name"))
    data = {
        "agencies-TOTAL_FORMS": len(partners),
        "agencies-INITIAL_FORMS": len(partners),
        "agencies-MIN_NUM_FORMS": 0,
        "agencies-MAX_NUM_FORMS": 1000,
        "version": referral.version,
    }
    for i, agency in enumerate(partners):
        data[f"agencies-{i}-agency"] = agency.pk
        data[f"agencies-{i}-questions"] = f"What does {agency.name} know?"
        if agency in agencies:
            data[f"agencies-{i}-ask"] = "on"
    return client.post(reverse("referrals:ask", args=[referral.pk]), data)


def test_the_whole_loop(client, cast, gathering, person):
    response = ask(client, cast, gathering, [cast.police, cast.health])
    assert response.status_code == 302, response.content.decode()[:3000]
    police_request = InformationRequest.objects.get(agency=cast.police)
    assert Notification.objects.filter(recipient=cast.police_researcher, channel="in_app").count() == 1

    client.force_login(cast.police_researcher)
    inbox = client.get(reverse("referrals:agency_inbox"))
    assert gathering.reference in inbox.content.decode()
    page = client.get(reverse("referrals:request", args=[police_request.pk]))
    assert page.status_code == 200
    assert "01473 111111" not in page.content.decode()
    summary = client.get(reverse("referrals:detail", args=[gathering.pk]))
    assert summary.status_code == 200 and "Bruising seen" not in summary.content.decode()

    bad = client.post(
        reverse("referrals:request_entry", args=[police_request.pk]),
        {
            "version": police_request.version,
            "person": person.pk,
            "source_system": "PNC",
            "summary": "Arrest 2024",
            "security_marking": "official_sensitive",
            "handling_code": "C",
        },
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "source evaluation" in body and "conditions" in body
    police_request.refresh_from_db()
    ok = client.post(
        reverse("referrals:request_entry", args=[police_request.pk]),
        {
            "version": police_request.version,
            "person": person.pk,
            "source_system": "PNC",
            "summary": "Arrest 2024",
            "security_marking": "official_sensitive",
            "source_evaluation": "1",
            "intelligence_assessment": "B",
            "handling_code": "C",
            "handling_conditions": "Not to be shared with the family.",
        },
    )
    assert ok.status_code == 302, ok.content.decode()[:3000]
    police_request.refresh_from_db()
    early = client.post(
        reverse("referrals:request_submit", args=[police_request.pk]), {"version": police_request.version}
    )
    assert early.status_code == 400
    assert "Amelia Smith" in early.content.decode()
    sibling = gathering.subjects.get(role="sibling").person
    client.post(
        reverse("referrals:request_entry", args=[police_request.pk]),
        {
            "version": police_request.version,
            "person": sibling.pk,
            "nothing_known": "on",
            "security_marking": "official",
        },
    )
    police_request.refresh_from_db()
    done = client.post(
        reverse("referrals:request_submit", args=[police_request.pk]), {"version": police_request.version}
    )
    assert done.status_code == 302
    police_request.refresh_from_db()
    assert police_request.status == RequestStatus.ANSWERED

    client.force_login(cast.health_researcher)
    assert client.get(reverse("referrals:request", args=[police_request.pk])).status_code == 404

    client.force_login(cast.triage)
    collation = client.get(reverse("referrals:collation", args=[gathering.pk])).content.decode()
    assert "Arrest 2024" in collation and "Not to be shared with the family." in collation
    assert "Waiting for: Integrated Care Board" in collation
    gathering.refresh_from_db()
    assert gathering.state == State.INFORMATION_GATHERING


def test_the_inbox_shows_a_page_at_a_time_with_the_total(client, cast, person, monkeypatch):
    from referrals.requests.views import InboxView
    from tests.information_requests.support import ask as send
    from tests.information_requests.support import referral_in_gathering

    referrals = [referral_in_gathering(cast, person, rating="amber") for _ in range(3)]
    for referral in referrals:
        send(referral, cast.triage, cast.police)
    monkeypatch.setattr(InboxView, "paginate_by", 2)
    client.force_login(cast.police_researcher)

    first = client.get(reverse("referrals:agency_inbox")).content.decode()
    second = client.get(reverse("referrals:agency_inbox"), {"page": 2}).content.decode()

    assert "3 open requests, most urgent first" in first
    shown = [r.reference for r in referrals if r.reference in first]
    assert len(shown) == 2
    assert [r.reference for r in referrals if r.reference in second] == [
        r.reference for r in referrals if r.reference not in shown
    ]
    assert 'rel="next"' in first and 'rel="prev"' in second
