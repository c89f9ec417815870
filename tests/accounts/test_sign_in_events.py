"""Every sign-in step is recorded, through one service, and information governance reads them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.accounts import services
from mash.accounts.models import SignInEvent, SignInEventKind
from mash.agencies.roles import Role
from tests.factories import member
from tests.second_factor import confirmed_device, totp_code

pytestmark = pytest.mark.django_db


def events(**filters) -> list[str]:
    return list(SignInEvent.objects.filter(**filters).order_by("pk").values_list("event", flat=True))


def test_a_full_sign_in_and_sign_out_is_recorded_step_by_step(browser_like, cast):
    device = confirmed_device(cast.triage)
    client = browser_like(cast.triage)
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    client.post("/logout/")
    assert events(user=cast.triage) == [
        SignInEventKind.PASSWORD_ACCEPTED,
        SignInEventKind.SIGNED_IN,
        SignInEventKind.SIGNED_OUT,
    ]
    signed_in = SignInEvent.objects.get(event=SignInEventKind.SIGNED_IN)
    assert (signed_in.ip_address, signed_in.user_agent, signed_in.username) == (
        "192.0.2.10",
        "Test browser/1.0",
        "triage",
    )


def test_a_failed_sign_in_is_recorded_with_the_username_tried(browser_like, cast):
    client = browser_like()
    client.post("/login/", {"username": "triage", "password": "not-the-password"})
    client.post("/login/", {"username": "nobody.here", "password": "not-the-password"})
    known, unknown = SignInEvent.objects.filter(event=SignInEventKind.SIGN_IN_FAILED).order_by("pk")
    assert (known.user, known.username, known.ip_address) == (cast.triage, "triage", "192.0.2.10")
    assert (unknown.user, unknown.username) == (None, "nobody.here")


def test_a_lockout_is_recorded(settings, browser_like, cast):
    client = browser_like()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "triage", "password": "not-the-password"})
    refused = client.post("/login/", {"username": "triage", "password": cast.password})
    assert refused.status_code in (403, 429)
    assert events(username="triage").count(SignInEventKind.SIGN_IN_FAILED) == settings.AXES_FAILURE_LIMIT - 1
    assert events(username="triage").count(SignInEventKind.LOCKED_OUT) == 2
    assert SignInEvent.objects.filter(event=SignInEventKind.LOCKED_OUT, user=cast.triage).exists()


def test_enrolment_and_a_second_factor_failure_are_recorded(settings, browser_like, cast):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the wrong code (the wait is tested on its own)
    client = browser_like(cast.triage)
    device = services.second_factor_enrolment_device(user=cast.triage)
    client.post(reverse("accounts:enrol"), {"code": "999999"})
    client.post(reverse("accounts:enrol"), {"code": totp_code(device)})
    assert events(user=cast.triage) == [
        SignInEventKind.PASSWORD_ACCEPTED,
        SignInEventKind.SECOND_FACTOR_FAILED,
        SignInEventKind.SECOND_FACTOR_ENROLLED,
    ]


def test_a_second_factor_reset_is_recorded_with_who_did_it(cast):
    services.second_factor_reset(user=cast.triage, by=cast.manager)
    event = SignInEvent.objects.get()
    assert (event.event, event.user, event.by) == (
        SignInEventKind.SECOND_FACTOR_RESET,
        cast.triage,
        cast.manager,
    )


@pytest.mark.parametrize("who", ["triage", "manager", "police_researcher", "outsider"])
def test_only_information_governance_reads_the_sign_in_events(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("accounts:sign_in_events")).status_code == 403


def test_information_governance_reads_and_filters_the_sign_in_events(
    client, cast, django_assert_max_num_queries
):
    services.sign_in_event_record(event=SignInEventKind.SIGN_IN_FAILED, username="triage", user=cast.triage)
    services.sign_in_event_record(event=SignInEventKind.LOCKED_OUT, username="triage", user=cast.triage)
    services.sign_in_event_record(event=SignInEventKind.SIGN_IN_FAILED, username="mallory")
    client.force_login(cast.governance)
    url = reverse("accounts:sign_in_events")

    with django_assert_max_num_queries(10):
        everything = client.get(url)
    assert everything.status_code == 200
    # Three recorded here, and the governance user's own sign-in.
    assert everything.context["page_obj"].paginator.count == 4

    failures = client.get(url, {"event": SignInEventKind.SIGN_IN_FAILED})
    assert [e.username for e in failures.context["events"]] == ["mallory", "triage"]
    assert "(no such user)" in failures.content.decode()

    triage = client.get(url, {"username": "TRIAGE"})
    assert {e.event for e in triage.context["events"]} == {
        SignInEventKind.SIGN_IN_FAILED,
        SignInEventKind.LOCKED_OUT,
    }

    today = timezone.localdate()
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert client.get(url, {"date_from": tomorrow}).context["page_obj"].paginator.count == 0
    assert (
        client.get(url, {"date_from": today.isoformat(), "date_to": today.isoformat()})
        .context["page_obj"]
        .paginator.count
        == 4
    )
    backwards = client.get(url, {"date_from": tomorrow, "date_to": today.isoformat()})
    assert "The last day must be on or after the first" in backwards.content.decode()


def test_the_sign_in_events_page_has_pages(client, cast):
    for n in range(55):
        services.sign_in_event_record(event=SignInEventKind.SIGN_IN_FAILED, username=f"guess{n}")
    client.force_login(cast.governance)
    first = client.get(reverse("accounts:sign_in_events"))
    assert len(first.context["events"]) == 50
    second = client.get(reverse("accounts:sign_in_events"), {"page": 2})
    assert len(second.context["events"]) == 6


def test_the_admin_shows_sign_in_events_read_only_to_information_governance(admin_client, client, cast):
    event = services.sign_in_event_record(event=SignInEventKind.SIGN_IN_FAILED, username="mallory")
    changelist = reverse("admin:accounts_signinevent_changelist")
    assert admin_client.get(changelist).status_code == 403  # admin rights alone do not read it

    governance = member(cast.lead, Role.INFORMATION_GOVERNANCE, username="ig.staff", is_staff=True)
    client.force_login(governance)
    assert "mallory" in client.get(changelist).content.decode()
    assert client.get(reverse("admin:accounts_signinevent_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_signinevent_add")).status_code == 403
    assert client.post(reverse("admin:accounts_signinevent_delete", args=[event.pk])).status_code == 403
