"""The pages of a request to share outside the MASH: ask, decide, download; and who is refused."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from mash.sharing import dissemination
from mash.sharing.models import AccessAction, AccessLog, Dissemination, DisseminationRequest, ItemDecision
from tests.sharing.dissemination_setup import HEALTH_SECRET, POLICE_SECRET, referral_with_answers, request_all

pytestmark = pytest.mark.django_db

NOTICE = "Do not share this information further without the consent of the originator"


@pytest.fixture
def shared(cast):
    return referral_with_answers(cast)


def new_url(referral):
    from django.contrib.contenttypes.models import ContentType

    return reverse(
        "sharing:dissemination_new", args=[ContentType.objects.get_for_model(referral).pk, referral.pk]
    )


def item_of(dreq, agency):
    return dreq.items.get(owner_agency=agency)


def decide(client, user, dreq, item, **data):
    client.force_login(user)
    prefix = f"item-{item.pk}"
    return client.post(
        reverse("sharing:dissemination_request", args=[dreq.pk]),
        {"item": item.pk, **{f"{prefix}-{k}": v for k, v in data.items()}},
    )


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_the_referral_page_offers_the_button_and_the_form_shows_owner_grading_and_conditions(
    client, cast, shared
):
    client.force_login(cast.triage)
    page = client.get(reverse("referrals:detail", args=[shared.referral.pk])).content.decode()
    assert new_url(shared.referral) in page and "Share outside the MASH" in page
    form = client.get(new_url(shared.referral)).content.decode()
    assert "Owned by Constabulary; grading 1/B/C; <strong>handling code C</strong>: Not to be shared" in form
    assert "Owned by Integrated Care Board" in form and "Owned by County Council MASH" in form


def test_a_request_with_bad_input_shows_every_error_and_saves_nothing(client, cast, shared):
    client.force_login(cast.triage)
    response = client.post(new_url(shared.referral), {"need": " ", "recipient_name": "Ms Okafor"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and "Choose at least one item to share." in body
    assert (
        "Enter the organisation." in body
        and "Choose the method of sending." in body
        and "Enter the need." in body
    )
    assert not DisseminationRequest.objects.exists()


def test_the_journey_ask_approve_download(client, cast, shared):
    client.force_login(cast.triage)
    form = client.get(new_url(shared.referral))
    items = form.context["form"].fields["items"].choices
    response = client.post(
        new_url(shared.referral),
        {
            "items": [key for key, _ in items],
            "recipient_organisation": "Riverside Academy",
            "recipient_name": "Ms Okafor",
            "recipient_role": "Designated safeguarding lead",
            "method": "email",
            "need": "The school must keep the child safe.",
            "lawful_basis": "ukgdpr_6_1_e_art9_sch1_p18",
        },
    )
    dreq = DisseminationRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "sharing:dissemination_request", args=[dreq.pk]
    )

    # The requester may not decide their own request's items: told so, nothing decided.
    lead_item = item_of(dreq, cast.lead)
    response = decide(client, cast.triage, dreq, lead_item, decision="release")
    assert response.status_code == 302
    lead_item.refresh_from_db()
    assert lead_item.decision == ItemDecision.PENDING

    # The police decision maker sees the police item whole, and not health's answer.
    client.force_login(cast.police_decision_maker)
    page = client.get(reverse("sharing:dissemination_request", args=[dreq.pk])).content.decode()
    assert POLICE_SECRET in page and HEALTH_SECRET not in page
    police_item = item_of(dreq, cast.police)
    response = decide(client, cast.police_decision_maker, dreq, police_item, decision="release")
    assert (
        response.status_code == 400
        and "confirm that the conditions of sharing are met" in response.content.decode()
    )
    response = decide(
        client,
        cast.police_decision_maker,
        dreq,
        police_item,
        decision="release",
        conditions_met="on",
        reason="Told.",
    )
    assert response.status_code == 302
    decide(
        client,
        shared.health_decision_maker,
        dreq,
        item_of(dreq, cast.health),
        decision="withhold",
        reason="No.",
    )
    assert not Dissemination.objects.exists()
    decide(client, cast.decision_maker, dreq, lead_item, decision="release")
    entry = Dissemination.objects.get()
    assert entry.approved_by == cast.decision_maker and entry.disseminated_by == cast.triage

    client.force_login(cast.triage)
    response = client.get(reverse("sharing:dissemination_pdf", args=[dreq.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pages_text(response.content)
    for text in pages:
        assert text.count("OFFICIAL-SENSITIVE") >= 2 and dreq.reference in text
    whole = " ".join(" ".join(pages).split())
    assert "Ms Okafor" in whole and "Riverside Academy" in whole
    assert "Not to be shared with the family." in whole and NOTICE in whole
    assert POLICE_SECRET in whole and HEALTH_SECRET not in whole, "a withheld item never leaves"
    assert AccessLog.objects.filter(
        user=cast.triage, action=AccessAction.EXPORT, object_id=str(shared.referral.pk)
    ).exists()

    # The log page shows the conditions, the items and each approval.
    client.force_login(cast.governance)
    log = client.get(reverse("sharing:disseminations")).content.decode()
    assert dreq.reference in log and "Not to be shared with the family." in log
    assert "withheld" in log and "la.decision" in log


ALL_ROLES = [
    "triage",
    "police_researcher",
    "health_researcher",
    "decision_maker",
    "police_decision_maker",
    "data_admin",
    "manager",
    "governance",
    "outsider",
]


def test_the_new_request_form_is_refused_to_whoever_may_not_see_the_record(client, cast, shared):
    for role in ("data_admin", "governance", "outsider"):
        user = getattr(cast, role)
        client.force_login(user)
        assert client.get(new_url(shared.referral)).status_code == 404, role
        assert client.post(new_url(shared.referral), {"items": ["x"]}).status_code == 404, role
        assert AccessLog.objects.filter(user=user, action=AccessAction.DENIED).exists(), role


def test_a_request_page_is_refused_to_everyone_but_the_requester_governance_and_its_approvers(
    client, cast, shared
):
    # Only the summary (the lead agency's) and the health answer: the police have no item in it.
    keys = [i.key for i in dissemination.items_for(cast.triage, shared.referral)]
    dreq = request_all(cast, shared, item_keys=[keys[0], keys[2]])
    allowed = {"triage", "decision_maker", "manager", "governance"}
    url = reverse("sharing:dissemination_request", args=[dreq.pk])
    for role in ALL_ROLES:
        user = getattr(cast, role)
        client.force_login(user)
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, role
            continue
        assert response.status_code == 404, role
        assert dreq.reference not in response.content.decode(), role
        assert AccessLog.objects.filter(user=user, action=AccessAction.DENIED, path=url).exists(), role
        item = dreq.items.first()
        assert decide(client, user, dreq, item, decision="release").status_code == 404, role
        assert client.post(reverse("sharing:dissemination_cancel", args=[dreq.pk])).status_code == 404, role
        # The list never shows it to them.
        assert dreq.reference not in client.get(reverse("sharing:dissemination_requests")).content.decode(), (
            role
        )
    assert dreq.items.filter(decision=ItemDecision.PENDING).count() == 2


def test_the_pdf_is_only_for_the_requester_and_governance_once_approved(client, cast, shared):
    keys = [i.key for i in dissemination.items_for(cast.triage, shared.referral)]
    dreq = request_all(cast, shared, item_keys=[keys[0]])
    url = reverse("sharing:dissemination_pdf", args=[dreq.pk])
    client.force_login(cast.triage)
    assert client.get(url).status_code == 404, "not before it is approved"
    decide(client, cast.decision_maker, dreq, dreq.items.get(), decision="release")
    for role in ALL_ROLES:
        client.force_login(getattr(cast, role))
        expected = 200 if role in {"triage", "governance"} else 404
        assert client.get(url).status_code == expected, role
