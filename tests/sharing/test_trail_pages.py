"""Information governance's landing page and the trail pages (mash/sharing/trail_views.py)."""

import csv
import dataclasses
import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from mash.sharing.models import AccessAction, AccessLog, BreakGlassAccess
from mash.sharing.trails.services import TRAIL_REASON
from tests.sharing.trail_support import BREAK_GLASS_REASON, plant

pytestmark = pytest.mark.django_db


def record_url(obj) -> str:
    return reverse("sharing:record_trail", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


def new_pages(cast, planted) -> list[str]:
    return [
        reverse("sharing:governance"),
        reverse("sharing:trail_users"),
        reverse("sharing:trail_records") + f"?reference={planted.referral.reference}",
        reverse("sharing:user_trail", args=[cast.triage.pk]),
        record_url(planted.referral),
        record_url(planted.referral) + "?format=csv",
        reverse("sharing:user_trail", args=[cast.triage.pk]) + "?format=csv",
    ]


def test_only_information_governance_opens_the_landing_page_and_the_trails(client, cast):
    planted = plant(cast)
    others = [
        getattr(cast, f.name)
        for f in dataclasses.fields(cast)
        if isinstance(getattr(cast, f.name), get_user_model()) and f.name != "governance"
    ]
    before = AccessLog.objects.count()
    for user in others:
        client.force_login(user)
        for url in new_pages(cast, planted):
            assert client.get(url).status_code == 403, (user, url)
    assert AccessLog.objects.count() == before  # nothing was read, so nothing was logged


def test_the_landing_page_shows_the_work_waiting_and_the_governance_pages(client, cast):
    plant(cast)  # a break-glass opening waits for review
    client.force_login(cast.governance)
    page = client.get(reverse("sharing:governance"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "break_glass" in [section.key for section in page.context["sections"]]
    assert "Break-glass openings to review" in body
    for name in (
        "sharing:trail_users",
        "sharing:access_log",
        "sharing:break_glass_reviews",
        "sharing:disseminations",
    ):
        assert f'href="{reverse(name)}"' in body
    # The menu's Governance link leads here.
    assert f'href="{reverse("sharing:governance")}"' in client.get(reverse("home")).content.decode()


def test_a_records_trail_shows_change_read_refusal_and_break_glass_and_logs_the_read(
    client, cast, django_assert_max_num_queries
):
    planted = plant(cast)
    client.force_login(cast.governance)
    with django_assert_max_num_queries(40):
        page = client.get(record_url(planted.referral))
    body = page.content.decode()
    assert page.status_code == 200
    for text in (
        "Opened by break-glass",
        BREAK_GLASS_REASON,
        "Refused",
        "Viewed",
        "Trail marker 7Q2",
        "10.1.2.3",
    ):
        assert text in body, text
    own = [
        e.label
        for e in page.context["page"]
        if e.content_type.model == "referral" and e.user != cast.governance
    ]
    assert own == ["Opened by break-glass", "Refused", "Viewed", "Changed", "Changed", "Created"]
    for category in ("Consultation", "Alteration", "Collection"):
        assert category in body
    read = AccessLog.objects.filter(user=cast.governance).get()
    assert (read.action, read.reason, read.object_id) == (
        AccessAction.VIEW,
        TRAIL_REASON,
        str(planted.referral.pk),
    )


def test_the_access_log_and_the_break_glass_review_link_to_the_trails(client, cast):
    planted = plant(cast)
    client.force_login(cast.governance)
    body = client.get(reverse("sharing:access_log")).content.decode()
    assert record_url(planted.referral) in body
    assert reverse("sharing:user_trail", args=[cast.outsider.pk]) in body
    review = client.get(reverse("sharing:break_glass_review", args=[BreakGlassAccess.objects.get().pk]))
    assert record_url(planted.referral) in review.content.decode()


def test_a_users_trail_filters_by_action_and_period(client, cast):
    plant(cast)
    client.force_login(cast.governance)
    url = reverse("sharing:user_trail", args=[cast.manager.pk])
    body = client.get(url).content.decode()
    assert BREAK_GLASS_REASON in body and "Opened by break-glass" in body
    assert "Opened by break-glass" not in client.get(url, {"action": "refusals"}).content.decode()
    old = client.get(url, {"until": (date.today() - timedelta(days=3)).isoformat()})
    assert "Nothing in this trail matches" in old.content.decode()


def test_a_users_trail_refuses_a_period_longer_than_a_year(client, cast):
    client.force_login(cast.governance)
    page = client.get(
        reverse("sharing:user_trail", args=[cast.triage.pk]), {"since": "2024-01-01", "until": "2025-06-30"}
    )
    assert page.status_code == 400
    assert "The period can be at most a year" in page.content.decode()


def test_a_users_trail_pages_older_and_newer(client, cast):
    now = timezone.now()
    ct = ContentType.objects.get_for_model(cast.triage)
    AccessLog.objects.bulk_create(
        AccessLog(
            user=cast.triage,
            action=AccessAction.VIEW,
            content_type=ct,
            object_id=str(n),
            object_repr=f"Row {n}",
        )
        for n in range(60)
    )
    for n, row in enumerate(AccessLog.objects.order_by("id")):
        AccessLog.objects.filter(pk=row.pk).update(at=now - timedelta(minutes=n))
    client.force_login(cast.governance)
    url = reverse("sharing:user_trail", args=[cast.triage.pk])
    first = client.get(url).context["page"]
    assert len(first) == 50 and first.newer is None and first.older
    second = client.get(url, {"cursor": first.older}).context["page"]
    assert [e.object_repr for e in second] == [f"Row {n}" for n in range(50, 60)]
    assert second.older is None
    back = client.get(url, {"cursor": second.newer}).context["page"]
    assert [e.key for e in back] == [e.key for e in first]
    assert "Older" in client.get(url).content.decode()


def test_the_csv_of_a_trail_neutralises_formulas_and_is_logged_as_an_export(client, cast):
    planted = plant(cast)
    client.force_login(cast.governance)
    response = client.get(record_url(planted.referral), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not any(cell.startswith("=") for cell in cells)
    reads = [row[4] for row in rows[1:] if row[4] in ("Opened by break-glass", "Refused", "Viewed")]
    assert reads == ["Opened by break-glass", "Refused", "Viewed"]
    export = AccessLog.objects.get(user=cast.governance)
    assert (export.action, export.reason) == (AccessAction.EXPORT, TRAIL_REASON)
    user_csv = client.get(reverse("sharing:user_trail", args=[cast.triage.pk]), {"format": "csv"})
    assert not any(c.startswith("=") for r in csv.reader(io.StringIO(user_csv.content.decode())) for c in r)


def test_the_user_search_finds_by_name_and_shows_the_agency(client, cast):
    client.force_login(cast.governance)
    body = client.get(reverse("sharing:trail_users"), {"q": "outsider"}).content.decode()
    assert "Outsider Trust" in body and reverse("sharing:user_trail", args=[cast.outsider.pk]) in body
    assert reverse("sharing:user_trail", args=[cast.triage.pk]) not in body


def test_a_record_trail_of_an_unknown_id_or_model_is_a_404(client, cast):
    client.force_login(cast.governance)
    ct = ContentType.objects.get(app_label="referrals", model="referral")
    assert client.get(reverse("sharing:record_trail", args=[ct.pk, "999999"])).status_code == 404
    session = ContentType.objects.get(app_label="sessions", model="session")
    assert client.get(reverse("sharing:record_trail", args=[session.pk, "x"])).status_code == 404


def test_the_pages_cost_a_few_queries_whatever_the_trail(client, cast, django_assert_max_num_queries):
    plant(cast)
    client.force_login(cast.governance)
    # The landing page: a few queries for each work tray section information governance has.
    for url, budget in (
        (reverse("sharing:user_trail", args=[cast.triage.pk]), 12),
        (reverse("sharing:trail_users"), 10),
        (reverse("sharing:governance"), 30),
    ):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_a_record_is_found_by_its_reference(client, cast):
    planted = plant(cast)
    client.force_login(cast.governance)
    url = reverse("sharing:trail_records")
    assert client.get(url).status_code == 200
    found = client.get(url, {"reference": planted.referral.reference.lower()})
    assert found.status_code == 302 and found.url == record_url(planted.referral)
    missing = client.get(url, {"reference": "MASH-1999-99999"})
    assert missing.status_code == 400
    assert "No record has this reference" in missing.content.decode()
