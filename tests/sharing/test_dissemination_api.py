"""The API of the requests to share outside the MASH: the same rules as the pages."""

import pytest
from django.urls import reverse

from mash.sharing.models import Dissemination, DisseminationRequest, ItemDecision
from tests.sharing.dissemination_setup import HEALTH_SECRET, POLICE_SECRET, referral_with_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(cast):
    return referral_with_answers(cast)


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def create(api_client, cast, shared, keys):
    return as_user(api_client, cast.triage).post(
        reverse("api-dissemination-requests"),
        {
            "record_type": "referrals.referral",
            "record_id": shared.referral.pk,
            "items": keys,
            "recipient_organisation": "Riverside Academy",
            "recipient_name": "Ms Okafor",
            "method": "email",
            "need": "The school keeps the child safe.",
            "lawful_basis": "ukgdpr_6_1_e_art9_sch1_p18",
        },
        format="json",
    )


def decision_url(dreq, item):
    return reverse("api-dissemination-item-decision", args=[dreq["id"], item["id"]])


def test_ask_decide_and_fetch_the_pdf_through_the_api(api_client, cast, shared):
    choices = as_user(api_client, cast.triage).get(
        reverse("api-dissemination-items"),
        {"record_type": "referrals.referral", "record_id": shared.referral.pk},
    )
    assert choices.status_code == 200
    police = next(c for c in choices.json() if c["owner_agency"] == "Constabulary")
    assert (police["grading"], police["handling_code"]) == ("1/B/C", "C")
    response = create(api_client, cast, shared, [c["key"] for c in choices.json()])
    assert response.status_code == 201, response.content
    dreq = response.json()
    items = {item["owner_agency"]: item for item in dreq["items"]}

    refused = as_user(api_client, cast.triage).post(
        decision_url(dreq, items["County Council MASH"]), {"decision": "release"}, format="json"
    )
    assert refused.status_code == 403 and "another decision maker" in refused.content.decode()
    no_conditions = as_user(api_client, cast.police_decision_maker).post(
        decision_url(dreq, items["Constabulary"]), {"decision": "release"}, format="json"
    )
    assert no_conditions.status_code == 400 and "conditions_met" in no_conditions.json()
    seen = as_user(api_client, cast.police_decision_maker).get(
        reverse("api-dissemination-request", args=[dreq["id"]])
    )
    assert POLICE_SECRET in seen.content.decode() and HEALTH_SECRET not in seen.content.decode()
    for user, item, data in (
        (cast.police_decision_maker, "Constabulary", {"decision": "release", "conditions_met": True}),
        (shared.health_decision_maker, "Integrated Care Board", {"decision": "withhold", "reason": "No."}),
        (cast.decision_maker, "County Council MASH", {"decision": "release"}),
    ):
        answer = as_user(api_client, user).post(decision_url(dreq, items[item]), data, format="json")
        assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "approved"
    assert Dissemination.objects.get().approved_by == cast.decision_maker

    pdf = as_user(api_client, cast.triage).get(reverse("api-dissemination-pdf", args=[dreq["id"]]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    for role in ("police_decision_maker", "decision_maker", "outsider", "health_researcher"):
        refused = as_user(api_client, getattr(cast, role)).get(
            reverse("api-dissemination-pdf", args=[dreq["id"]])
        )
        assert refused.status_code == 404, role


def test_the_api_refuses_what_the_pages_refuse(api_client, cast, shared):
    for role in ("outsider", "data_admin", "governance"):
        response = as_user(api_client, getattr(cast, role)).get(
            reverse("api-dissemination-items"),
            {"record_type": "referrals.referral", "record_id": shared.referral.pk},
        )
        assert response.status_code == 404, role
    bad = create(api_client, cast, shared, ["referrals.referral:1:nothing"])
    assert bad.status_code == 400 and "items" in bad.json()
    assert not DisseminationRequest.objects.exists()
    keys = [
        c["key"]
        for c in as_user(api_client, cast.triage)
        .get(
            reverse("api-dissemination-items"),
            {"record_type": "referrals.referral", "record_id": shared.referral.pk},
        )
        .json()
    ]
    dreq = create(api_client, cast, shared, keys[:1]).json()
    item = dreq["items"][0]
    for role in ("police_researcher", "police_decision_maker", "health_researcher", "data_admin", "outsider"):
        client = as_user(api_client, getattr(cast, role))
        assert client.get(reverse("api-dissemination-request", args=[dreq["id"]])).status_code == 404, role
        answer = client.post(decision_url(dreq, item), {"decision": "release"}, format="json")
        assert answer.status_code == 404, role
        listed = client.get(reverse("api-dissemination-requests")).json()
        assert dreq["reference"] not in str(listed), role
    assert DisseminationRequest.objects.get().items.get().decision == ItemDecision.PENDING
    # Information governance sees it (read only): it may not decide.
    governance = as_user(api_client, cast.governance)
    assert governance.get(reverse("api-dissemination-request", args=[dreq["id"]])).status_code == 200
    assert (
        governance.post(decision_url(dreq, item), {"decision": "release"}, format="json").status_code == 403
    )
