"""The retention pages and API: information governance only; the queue shows the records due and hides
those kept or held; a decision's bad input is named (docs/retention.md)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from mash.retention import registry
from mash.retention.models import Erasure, LegalHold, RetentionDecision
from mash.retention.services import decision_keep, hold_place
from tests.factories import api_token

pytestmark = pytest.mark.django_db

NFA = "referral-nfa"
OTHER_ROLES = (
    "triage",
    "police_researcher",
    "health_researcher",
    "decision_maker",
    "police_decision_maker",
    "data_admin",
    "manager",
    "outsider",
)


def _record_url(record, page="retention:record") -> str:
    return reverse(page, args=[ContentType.objects.get_for_model(record).pk, record.pk])


def _name(referral) -> str:
    """How the queue names a referral to information governance, who may not see its reference (the
    sharing policy): its model and id."""
    return f"Referral {referral.pk}:"


def _queue(client, user, kind=NFA) -> str:
    client.force_login(user)
    response = client.get(reverse("retention:queue"), {"kind": kind})
    assert response.status_code == 200
    return response.content.decode()


def test_the_queue_shows_the_records_due_and_apart_those_on_hold(client, cast, closed_nfa):
    due, kept, held = closed_nfa(given_name="Anna"), closed_nfa(given_name="Bea"), closed_nfa(given_name="Cy")
    recent = closed_nfa(years_ago=1, given_name="Dee")
    kind = registry.kind(NFA)
    decision_keep(
        record=kept,
        kind=kind,
        by=cast.governance,
        reason="Sibling's case still open.",
        next_review_on=timezone.localdate() + timedelta(days=90),
    )
    hold_place(record=held, kind=kind, by=cast.governance, reason="Civil claim.")

    body = _queue(client, cast.governance)
    queue, on_hold = body.split("On legal hold</h2>")
    assert _name(due) in queue and _record_url(due) in queue
    assert _name(kept) not in body
    assert _name(recent) not in body
    assert _name(held) not in queue and _name(held) in on_hold
    # No one's name: the record's model and id (its reference where the policy shows it) and outcome.
    assert "Anna" not in body


def test_a_kept_record_comes_back_when_its_review_date_passes(client, cast, closed_nfa):
    kept = closed_nfa()
    decision_keep(
        record=kept,
        kind=registry.kind(NFA),
        by=cast.governance,
        reason="Review later.",
        next_review_on=timezone.localdate() + timedelta(days=1),
    )
    RetentionDecision.objects.filter(reason="Review later.").update(next_review_on=timezone.localdate())
    assert _name(kept) in _queue(client, cast.governance)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"decision": "keep", "reason": "Keep it."}, "next_review_on", "Enter the next review date"),
        (
            {"decision": "keep", "reason": "Keep it.", "next_review_on": "2020-01-01"},
            "next_review_on",
            "The next review date must be in the future",
        ),
        ({"decision": "erase", "reason": "Past its period."}, "confirm", "Confirm that you understand"),
        ({"decision": "erase", "confirm": "on"}, "reason", "reason"),
    ],
)
def test_a_decision_names_what_is_wrong(client, cast, closed_nfa, data, field, message):
    referral = closed_nfa()
    client.force_login(cast.governance)
    response = client.post(_record_url(referral), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and f'href="#id_{field}' in body
    assert not RetentionDecision.objects.exists() and not Erasure.objects.exists()


def test_keep_and_erase_through_the_page(client, cast, closed_nfa):
    kept, erased = closed_nfa(), closed_nfa(given_name="Zebedee")
    client.force_login(cast.governance)
    url = _record_url(kept)
    review = timezone.localdate() + timedelta(days=30)
    response = client.post(
        url, {"decision": "keep", "reason": "Linked case open.", "next_review_on": review.isoformat()}
    )
    assert response.status_code == 302
    assert RetentionDecision.objects.get().next_review_on == review

    response = client.post(
        _record_url(erased),
        {"decision": "erase", "reason": "Past its period.", "confirm": "on"},
    )
    assert response.status_code == 302
    assert Erasure.objects.get().object_id == erased.pk
    erased.subjects.get().person.refresh_from_db()
    assert erased.subjects.get().person.given_name == "[erased]"


def test_an_erasure_of_a_held_record_is_refused_on_the_page(client, cast, closed_nfa):
    referral = closed_nfa()
    hold_place(record=referral, kind=registry.kind(NFA), by=cast.governance, reason="Inquiry.")
    client.force_login(cast.governance)
    response = client.post(
        _record_url(referral),
        {"decision": "erase", "reason": "Past its period.", "confirm": "on"},
    )
    assert response.status_code == 400
    assert "legal hold" in response.content.decode()
    assert not Erasure.objects.exists()


def test_holds_are_placed_by_reference_and_lifted_with_a_reason(client, cast, closed_nfa):
    referral = closed_nfa()
    client.force_login(cast.governance)
    url = reverse("retention:holds")
    response = client.post(url, {"kind": NFA, "reference": "MASH-1999-000001", "reason": "Claim."})
    assert response.status_code == 400 and "There is no record of this kind" in response.content.decode()
    response = client.post(url, {"kind": NFA, "reference": referral.reference.lower(), "reason": "Claim."})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    lift = _record_url(referral, "retention:record_hold")
    assert client.get(url).content.decode().count(lift) == 1

    assert client.post(lift, {"reason": ""}).status_code == 400
    assert client.post(lift, {"reason": "Claim settled."}).status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_by == cast.governance and not hold.is_live


def test_the_rules_page_marks_the_placeholders(client, cast):
    client.force_login(cast.governance)
    body = client.get(reverse("retention:rules")).content.decode()
    assert body.count("Local policy: to be set") == len(registry.kinds())


def test_the_work_tray_counts_the_records_due(client, cast, closed_nfa):
    closed_nfa()
    client.force_login(cast.governance)
    body = client.get("/").content.decode()
    assert "Records due for a retention review" in body


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused_every_page_and_endpoint(client, api_client, cast, closed_nfa, role):
    referral = closed_nfa()
    hold_place(record=referral, kind=registry.kind(NFA), by=cast.governance, reason="Claim.")
    user = getattr(cast, role)
    client.force_login(user)
    pages = [
        reverse("retention:queue"),
        reverse("retention:rules"),
        reverse("retention:holds"),
        _record_url(referral),
        _record_url(referral, "retention:record_hold"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403, url
        assert referral.reference not in response.content.decode()
    for url, data in (
        (
            _record_url(referral),
            {"decision": "erase", "reason": "x", "confirm": "on"},
        ),
        (reverse("retention:holds"), {"kind": NFA, "reference": referral.reference, "reason": "x"}),
        (_record_url(referral, "retention:record_hold"), {"reason": "x"}),
    ):
        assert client.post(url, data).status_code == 403, url
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    assert api_client.get("/api/v1/retention/queue/", {"kind": NFA}).status_code == 403
    response = api_client.post(
        "/api/v1/retention/decisions/",
        {"kind": NFA, "record_id": referral.pk, "decision": "erase", "reason": "x", "confirm": True},
        format="json",
    )
    assert response.status_code == 403
    assert not Erasure.objects.exists() and LegalHold.objects.get().is_live


def test_the_api_lists_the_queue_and_takes_a_decision(api_client, cast, closed_nfa):
    referral = closed_nfa()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(cast.governance)}")
    response = api_client.get("/api/v1/retention/queue/", {"kind": NFA})
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == referral.pk and row["description"].startswith(_name(referral))

    url = "/api/v1/retention/decisions/"
    past = {
        "kind": NFA,
        "record_id": referral.pk,
        "decision": "keep",
        "reason": "x",
        "next_review_on": "2020-01-01",
    }
    response = api_client.post(url, past, format="json")
    assert response.status_code == 400 and "next_review_on" in response.json()
    future = {**past, "next_review_on": (timezone.localdate() + timedelta(days=10)).isoformat()}
    assert api_client.post(url, future, format="json").status_code == 201
    assert api_client.get("/api/v1/retention/queue/", {"kind": NFA}).json()["results"] == []


def test_a_hold_is_placed_from_the_record_and_refuses_the_erasure_until_lifted(client, cast, closed_nfa):
    referral = closed_nfa()
    client.force_login(cast.governance)
    hold_url = _record_url(referral, "retention:record_hold")
    assert client.post(hold_url, {"reason": ""}).status_code == 400
    assert client.post(hold_url, {"reason": "Subject access request pending."}).status_code == 302
    body = client.get(_record_url(referral)).content.decode()
    assert "On legal hold since" in body and "Lift the legal hold" in body
    assert _name(referral) not in _queue(client, cast.governance).split("On legal hold</h2>")[0]
    assert client.post(hold_url, {"reason": "Request answered."}).status_code == 302
    assert _name(referral) in _queue(client, cast.governance).split("On legal hold</h2>")[0]


def test_a_record_of_no_kind_has_no_retention_page(client, cast, closed_nfa):
    referral = closed_nfa()
    person = referral.subjects.get().person
    client.force_login(cast.governance)
    assert client.get(_record_url(person)).status_code == 404
    assert client.get(reverse("retention:record", args=[99999, 1])).status_code == 404


def test_the_work_tray_counts_each_kind_in_two_queries(cast, closed_nfa, django_assert_num_queries):
    from mash.retention.selectors import due_counts

    closed_nfa(), closed_nfa(), closed_nfa(years_ago=1)
    with django_assert_num_queries(2):
        counts = dict((k.key, n) for k, n in due_counts(timezone.localdate()))
    assert counts == {k.key: (2 if k.key == NFA else 0) for k in registry.kinds()}


@pytest.mark.parametrize("reference", ["9" * 30, "١٢", "12"])
def test_a_hold_on_a_reference_that_names_no_call_is_refused(client, cast, reference):
    client.force_login(cast.governance)
    response = client.post(
        reverse("retention:holds"), {"kind": "consultation", "reference": reference, "reason": "Claim."}
    )
    assert response.status_code == 400
    assert "There is no record of this kind with this reference." in response.content.decode()
