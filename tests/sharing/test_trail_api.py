"""The trails' API (mash/sharing/api.py): the same selectors and refusals as the pages."""

import dataclasses
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from mash.sharing.models import AccessAction, AccessLog
from mash.sharing.trails.services import TRAIL_REASON
from tests.sharing.trail_support import BREAK_GLASS_REASON, PLANTED, plant

pytestmark = pytest.mark.django_db


def user_url(user) -> str:
    return f"/api/v1/governance/trail/users/{user.pk}/"


def record_url(obj) -> str:
    return f"/api/v1/governance/trail/records/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


def test_everyone_but_information_governance_is_refused(api_client, cast):
    planted = plant(cast)
    for f in dataclasses.fields(cast):
        user = getattr(cast, f.name)
        if not isinstance(user, get_user_model()) or f.name == "governance":
            continue
        api_client.force_login(user)
        for url in (user_url(cast.triage), record_url(planted.referral)):
            assert api_client.get(url).status_code == 403, (f.name, url)
    api_client.logout()
    assert api_client.get(user_url(cast.triage)).status_code in (401, 403)


def test_a_records_trail_in_order_with_categories_and_reasons(api_client, cast):
    planted = plant(cast)
    api_client.force_login(cast.governance)
    body = api_client.get(record_url(planted.referral)).json()
    own = [e for e in body["results"] if e["record_type"] == "Referral" and e["user"] != cast.governance.pk]
    assert [(e["kind"], e["category"]) for e in own] == [
        ("break_glass", "consultation"),
        ("denied", "consultation"),
        ("view", "consultation"),
        ("update", "alteration"),
        ("update", "alteration"),
        ("create", "collection"),
    ]
    assert own[0]["reason"] == BREAK_GLASS_REASON
    assert {"field": "Rag rationale", "before": "", "after": PLANTED} in own[3]["changes"] + own[4]["changes"]
    assert AccessLog.objects.get(user=cast.governance).reason == TRAIL_REASON


def test_a_users_trail_filters_and_pages(api_client, cast):
    plant(cast)
    api_client.force_login(cast.governance)
    refusals = api_client.get(user_url(cast.outsider), {"action": "refusals"}).json()
    assert [e["kind"] for e in refusals["results"]] == ["denied"]
    first = api_client.get(user_url(cast.triage), {"action": "changes", "cursor": ""})
    assert first.status_code == 400  # an empty parameter is refused, as everywhere in the API
    first = api_client.get(user_url(cast.triage), {"action": "changes"}).json()
    assert first["newer"] is None and first["results"]
    # The trail shows the triage practitioner's changes: each record's content read is logged.
    assert AccessLog.objects.filter(user=cast.governance, action=AccessAction.VIEW).exists()


def test_a_users_trail_is_a_period_of_a_year_at_most(api_client, cast):
    plant(cast)
    api_client.force_login(cast.governance)
    long = api_client.get(user_url(cast.outsider), {"days": 367})
    assert long.status_code == 400 and "366" in long.json()["days"][0]
    today = api_client.get(user_url(cast.outsider), {"days": 1}).json()
    assert len(today["results"]) == 1 and today["since"] < today["until"]
    before = (date.today() - timedelta(days=2)).isoformat()
    assert api_client.get(user_url(cast.outsider), {"until": before}).json()["results"] == []


def test_an_unknown_action_or_cursor_is_refused(api_client, cast):
    api_client.force_login(cast.governance)
    assert api_client.get(user_url(cast.triage), {"action": "everything"}).status_code == 400
    assert api_client.get(user_url(cast.triage), {"cursor": "o.x.1.2"}).status_code == 400
