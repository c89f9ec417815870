"""The audience: what of a record each viewer sees, decided by the sharing policy for every page,
endpoint and export (README, 'Security model')."""

import pytest
from django.http import Http404
from django.urls import reverse

from mash.sharing import policy
from mash.sharing.models import AccessAction, AccessLog
from mash.sharing.services import record_get_with_audience
from referrals.models import RagRating, Referral, ResponseEntry, TimelineEvent
from referrals.requests import services as request_services
from tests.information_requests_api.conftest import police_entry, referral_in_gathering

pytestmark = pytest.mark.django_db


@pytest.fixture
def gathering(cast, person):
    from referrals.services import SubjectInput

    return referral_in_gathering(cast, [SubjectInput(person=person)])


@pytest.fixture
def asked(cast, gathering):
    police, health = request_services.information_requests_send(
        referral=gathering,
        by=cast.triage,
        requests=[
            request_services.RequestInput(agency=cast.police, questions="Any police contact?"),
            request_services.RequestInput(agency=cast.health, questions="Any A&E attendances?"),
        ],
    )
    return police, health


@pytest.fixture
def draft(cast, person, asked):
    """Health's answer, one entry saved but not submitted."""
    _police, health = asked
    return request_services.response_entry_add(
        request=health,
        by=cast.health_researcher,
        data=request_services.EntryInput(person_id=person.pk, source_system="SystmOne", summary="DRAFTA&E"),
    )


def test_the_lead_is_the_full_audience_and_an_asked_agency_a_partner(cast, gathering, asked):
    assert policy.audience_of(cast.triage, gathering) == policy.Audience.FULL
    assert policy.audience_of(cast.police_researcher, gathering) == policy.Audience.PARTNER
    assert policy.audience_of(cast.outsider, gathering) is None
    assert policy.list_audience(cast.health_researcher, Referral) == policy.Audience.PARTNER


def test_reading_a_record_gives_the_readers_audience_and_logs_the_read(cast, gathering, asked):
    readers = [(cast.triage, policy.Audience.FULL), (cast.police_researcher, policy.Audience.PARTNER)]
    for user, audience in readers:
        found = record_get_with_audience(user=user, queryset=Referral.objects.all(), pk=gathering.pk)
        assert found == (gathering, audience)
        reads = AccessLog.objects.filter(user=user, object_id=str(gathering.pk), action=AccessAction.VIEW)
        assert reads.count() == 1
    with pytest.raises(Http404):
        record_get_with_audience(user=cast.outsider, queryset=Referral.objects.all(), pk=gathering.pk)
    assert AccessLog.objects.filter(user=cast.outsider, action=AccessAction.DENIED).count() == 1


@pytest.mark.parametrize(
    "field, partner_sees",
    [
        ("reference", True),
        ("rag", True),
        ("subjects", True),
        ("account", False),
        ("rag_rationale", False),
        ("consent_reason", False),
        ("adult_wishes", False),
        ("outcome_rationale", False),
        ("referrer_name", False),
        ("timeline", False),
        ("rag_history", False),
        ("a_field_added_tomorrow", False),
    ],
)
def test_a_partner_sees_only_the_referral_summary(cast, gathering, asked, field, partner_sees):
    assert policy.may_see_field(cast.police_researcher, gathering, field) is partner_sees
    assert policy.may_see_field(cast.triage, gathering, field) is True
    assert policy.may_see_field(cast.outsider, gathering, field) is False


def test_the_timeline_and_rag_history_are_parts_a_partner_never_sees(cast, gathering, asked):
    event = TimelineEvent.objects.filter(referral=gathering).first()
    rating = RagRating.objects.get(referral=gathering)
    for part in (event, rating):
        assert policy.is_covered(type(part))
        assert policy.may_see_field(cast.triage, part, "note") is True
        assert policy.may_see_field(cast.police_researcher, part, "note") is False


def test_a_draft_answer_is_its_agencys_alone(cast, asked, draft):
    assert policy.may_see_field(cast.health_researcher, draft, "summary") is True
    assert policy.may_see_field(cast.triage, draft, "summary") is False
    assert policy.may_see_field(cast.police_researcher, draft, "summary") is False


def test_a_submitted_answer_is_the_leads_to_see(cast, asked, draft):
    _police, health = asked
    request_services.information_request_submit(request=health, by=cast.health_researcher)
    draft.refresh_from_db()
    assert policy.may_see_field(cast.triage, ResponseEntry.objects.get(pk=draft.pk), "summary") is True
    assert policy.may_see_field(cast.police_researcher, draft, "summary") is False


def _summaries(client, information_request) -> list[str]:
    response = client.get(reverse("api-information-request", args=[information_request.pk]))
    return [entry["summary"] for entry in response.json()["entries"]]


def test_the_lead_sees_no_draft_on_the_request_page_or_endpoint_until_submitted(client, cast, asked, draft):
    _police, health = asked
    client.force_login(cast.triage)
    page = client.get(reverse("referrals:request", args=[health.pk]))
    api = client.get(reverse("api-information-request", args=[health.pk]))
    assert page.status_code == api.status_code == 200
    assert "DRAFTA&amp;E" not in page.content.decode()
    assert api.json()["entries"] == []

    request_services.information_request_submit(request=health, by=cast.health_researcher)

    assert "DRAFTA&amp;E" in client.get(reverse("referrals:request", args=[health.pk])).content.decode()
    assert _summaries(client, health) == ["DRAFTA&E"]


def test_the_asked_agency_sees_its_own_draft(client, cast, asked, draft):
    _police, health = asked
    client.force_login(cast.health_researcher)
    assert _summaries(client, health) == ["DRAFTA&E"]


def test_the_referral_list_gives_a_partner_summary_rows(client, cast, gathering, asked):
    client.force_login(cast.police_researcher)
    rows = client.get(reverse("api-referrals")).json()["results"]
    assert [row["id"] for row in rows] == [gathering.pk]
    assert set(rows[0]) <= policy.rule_for(Referral).partner_fields | {"due_at", "breached"}
    assert "referrer_name" not in rows[0] and "assigned_to" not in rows[0]


def test_the_schema_documents_partner_hidden_fields_as_optional(client, cast):
    client.force_login(cast.triage)
    schema = client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    detail = schema["components"]["schemas"]["ReferralDetail"]
    assert "account" not in detail.get("required", [])
    assert "reference" in detail["required"]
    assert police_entry  # the shared helper stays importable for the collation tests


def test_the_schema_documents_read_only_partner_hidden_fields_as_optional(client, cast):
    client.force_login(cast.triage)
    schema = client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    person = schema["components"]["schemas"]["Person"]
    assert "address" not in person.get("required", [])
    assert "given_name" in person["required"]
