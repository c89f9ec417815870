import pytest
from django.utils.dateparse import parse_datetime

from mash.sharing.models import AccessAction, AccessLog
from mash.sharing.services import grant_view
from referrals import services
from tests.referrals_api.conftest import REFERRER, url

pytestmark = pytest.mark.django_db

ACTIONS = [
    ("api-referral-transition", {"to_state": "screening", "version": 1}),
    ("api-referral-rag", {"rating": "red", "rationale": "Injury", "version": 1}),
    ("api-referral-outcome", {"outcome": "nfa", "rationale": "No concern", "version": 1}),
    ("api-referral-close", {"feedback_note": "Phoned", "version": 1}),
    ("api-referral-reopen", {"reason": "New information", "version": 1}),
    ("api-referral-assign", {"assignee_id": "", "version": 1}),
]


def test_the_detail_is_shown_and_the_read_logged(api_client, cast, referral, person):
    api_client.force_authenticate(cast.triage)
    response = api_client.get(url("api-referral", referral.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == referral.reference
    assert {field: body[field] for field in REFERRER} == REFERRER
    assert body["concerns"] == ["physical"]
    assert body["consent"] == "given"
    assert (body["rag"], body["rag_rationale"], body["outcome"], body["outcome_by"]) == ("", "", "", None)
    assert body["version"] == 1
    assert body["recorded_by"]["id"] == cast.triage.pk
    clock = referral.decision_clock
    assert parse_datetime(body["decision_clock"]["started_at"]) == clock.started_at
    assert parse_datetime(body["decision_clock"]["due_at"]) == clock.due_at
    assert body["decision_clock"]["breached"] is False
    assert body["subjects"] == [{"person_id": person.pk, "full_name": "Jayden Smith", "role": "subject"}]
    assert body["timeline"] == [
        {
            "at": body["received_at"],
            "by": cast.triage.get_full_name(),
            "kind": "received",
            "from_state": "",
            "to_state": "received",
            "note": "Received by multi-agency referral form from Mrs Joan Price",
        }
    ]
    assert body["rag_history"] == []
    assert body["allowed_transitions"] == ["screening"]
    log = AccessLog.objects.get(user=cast.triage)
    assert (log.action, log.object_id, log.path) == (
        AccessAction.VIEW,
        str(referral.pk),
        url("api-referral", referral.pk),
    )


def test_a_partner_agency_granted_sight_sees_the_summary_its_audience_allows(api_client, cast, referral):
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    services.referral_rate(referral=referral, by=cast.triage, rating="amber", rationale="Bruising seen")
    services.referral_record_outcome(referral=referral, by=cast.decision_maker, outcome="nfa", rationale="No")
    services.referral_close(referral=referral, by=cast.triage)  # e-mails the referrer, noted on the timeline
    grant_view(obj=referral, agency=cast.police)
    api_client.force_authenticate(cast.police_researcher)

    response = api_client.get(url("api-referral", referral.pk))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "id",
        "reference",
        "kind",
        "state",
        "rag",
        "received_at",
        "concerns",
        "subjects",
        "decision_clock",
    }
    assert (body["reference"], body["rag"], body["concerns"]) == (referral.reference, "amber", ["physical"])
    content = response.content.decode()
    for value in [*REFERRER.values(), "Joan", "Dear", "Bruising seen", referral.account]:
        assert value not in content
    assert AccessLog.objects.filter(user=cast.police_researcher, action=AccessAction.VIEW).count() == 1


@pytest.mark.parametrize("name, data", [("api-referral", None), *ACTIONS])
def test_the_outsider_is_refused_and_the_refusal_logged(assert_denied, cast, referral, name, data):
    grant_view(obj=referral, agency=cast.police)
    method = "get" if data is None else "post"
    assert_denied(cast.outsider, url(name, referral.pk), referral, method=method, data=data)
    referral.refresh_from_db()
    assert (referral.state, referral.version) == ("received", 1)


@pytest.mark.parametrize("name, data", ACTIONS)
def test_a_police_researcher_without_a_grant_is_refused_before_the_input_is_read(
    api_client, cast, referral, name, data
):
    api_client.force_authenticate(cast.police_researcher)
    response = api_client.post(url(name, referral.pk), {}, format="json")
    assert response.status_code == 404
    assert AccessLog.objects.filter(user=cast.police_researcher, action=AccessAction.DENIED).count() == 1


@pytest.mark.parametrize("pk", [0, 987654, 2**63, 10**30])
def test_an_unknown_id_is_a_404(api_client, cast, referral, pk):
    api_client.force_authenticate(cast.triage)
    assert api_client.get(f"/api/v1/referrals/{pk}/").status_code == 404
    response = api_client.post(f"/api/v1/referrals/{pk}/rag/", {"rating": "red", "version": 1}, format="json")
    assert response.status_code == 404
