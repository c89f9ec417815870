import base64
import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from disclosures.models import Application, Scheme
from mash.agencies.models import Agency
from mash.agencies.selectors import actor_for
from mash.common.management.commands.seed_demo import DEFAULT_PASSWORD, UNENROLLED, USERS
from mash.notifications.models import Notification
from mash.people.models import Person
from mash.sharing import policy
from mash.sharing.models import BreakGlassAccess
from referrals.models import Referral
from tests.second_factor import Client, code_for_key

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parent.parent / "README.md"
MENU = re.compile(r'<ul class="govuk-service-navigation__list" id="navigation">(.*?)</ul>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def seed(password="demo-password-for-tests"):
    out = StringIO()
    call_command("seed_demo", password=password, stdout=out)
    return out.getvalue()


def test_it_loads_agencies_users_people_and_prints_the_password():
    output = seed()
    assert Agency.objects.filter(is_lead=True).count() == 1
    assert "Password for every demo user: demo-password-for-tests" in output
    triage = get_user_model().objects.get(username="triage")
    assert triage.check_password("demo-password-for-tests")
    assert actor_for(triage).is_lead
    assert Person.objects.count() >= 5
    assert Notification.objects.filter(recipient=triage, event="demo.welcome").exists()


def test_running_it_twice_duplicates_nothing():
    seed()
    counts = (
        Agency.objects.count(),
        get_user_model().objects.count(),
        Person.objects.count(),
        Notification.objects.count(),
        BreakGlassAccess.objects.count(),
    )
    seed()
    assert counts == (
        Agency.objects.count(),
        get_user_model().objects.count(),
        Person.objects.count(),
        Notification.objects.count(),
        BreakGlassAccess.objects.count(),
    )


def test_the_admin_user_sees_no_case_content():
    seed()
    admin = get_user_model().objects.get(username="admin")
    assert policy.visible(admin, Person.objects.all()).count() == 0


@pytest.mark.parametrize("password", [None, DEFAULT_PASSWORD])
def test_with_debug_off_it_refuses_the_known_password_and_loads_nothing(settings, monkeypatch, password):
    settings.DEBUG = False
    monkeypatch.setenv("DEMO_PASSWORD", "set-in-the-environment")
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("seed_demo", password=password, stdout=StringIO())
    assert not get_user_model().objects.exists()
    assert not Agency.objects.exists()


def test_with_debug_on_the_password_is_the_documented_one_unless_demo_password_says(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    assert f"`{DEFAULT_PASSWORD}`" in README.read_text()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert f"Password for every demo user: {DEFAULT_PASSWORD}" in out.getvalue()
    assert get_user_model().objects.get(username="triage").check_password(DEFAULT_PASSWORD)

    monkeypatch.setenv("DEMO_PASSWORD", "chosen-by-the-developer")
    call_command("seed_demo", stdout=StringIO())
    assert get_user_model().objects.get(username="police.manager").check_password("chosen-by-the-developer")


def test_the_accounts_and_password_are_printed_last(settings):
    settings.DEBUG = True
    lines = seed().splitlines()
    accounts = next(i for i, line in enumerate(lines) if "Sign in at http://127.0.0.1:8000/login/" in line)
    assert any("demo referrals" in line for line in lines[:accounts])  # the apps' lines come first
    after = lines[accounts + 1 :]
    # The header row, one row per user and the admin, the password, the second factor (two lines).
    assert len(after) == 1 + len(USERS) + 1 + 1 + 2
    for username, *_ in USERS:
        assert any(line.startswith(f"  {username} ") for line in after), username
    assert after[-3] == "Password for every demo user: demo-password-for-tests"
    assert after[-2].startswith("Second factor (demo only)")


def demo_table() -> dict[str, str]:
    """The README's demo accounts: username -> role, read from the table under 'Demo accounts'."""
    section = README.read_text().split("### Demo accounts", 1)[1].split("\n#", 1)[0]
    return dict(re.findall(r"^\| `([a-z.]+)` +\| ([^|]+?) +\|", section, re.M))


def sign_in(username: str, password: str, key: bytes) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, username
    if username == UNENROLLED:
        assert client.get(reverse("accounts:verify")).url.startswith(reverse("accounts:enrol"))
        client.force_login(get_user_model().objects.get(username=username))  # as after enrolment
        return client
    response = client.post(reverse("accounts:verify"), {"code": code_for_key(key)})
    assert response.status_code == 302, username
    return client


def test_every_account_of_the_readme_signs_in_with_both_factors_and_reaches_its_pages(settings):
    settings.DEBUG = True
    output = seed()
    key = re.search(r"add this key to an authenticator app: ([A-Z2-7 ]+)\n", output).group(1)
    key = base64.b32decode(key.replace(" ", ""))
    table = demo_table()
    assert set(table) == {username for username, *_ in USERS} | {"admin"}
    for username, *_ in USERS:
        assert re.search(rf"^  {re.escape(username)} ", output, re.M)

    wrong = []
    for username in table:
        client = sign_in(username, "demo-password-for-tests", key)
        if username == "admin":
            wrong += [(username, "/admin/")] if client.get("/admin/").status_code != 200 else []
            continue
        home = client.get("/")
        assert home.status_code == 200, username
        links = HREF.findall(MENU.search(home.content.decode()).group(1))
        assert links, username
        wrong += [(username, url) for url in links if client.get(url).status_code != 200]
    assert wrong == []


def test_the_partner_manager_breaks_glass_the_outsider_sees_nothing_and_governance_reviews(settings):
    settings.DEBUG = True
    seed()
    User = get_user_model()
    manager = Client()
    manager.force_login(User.objects.get(username="police.manager"))
    application = Application.objects.get(scheme=Scheme.RIGHT_TO_ASK)
    page = reverse("disclosures:application", args=[application.pk])
    refused = manager.get(page)
    assert refused.status_code == 403
    assert "Open by break-glass" in refused.content.decode()
    content_type = ContentType.objects.get_for_model(Application)
    opened = manager.post(
        reverse("sharing:break_glass", args=[content_type.pk, application.pk]),
        {"reason": "Called about the subject tonight: checking what is known.", "next": page},
    )
    assert opened.status_code == 302
    assert manager.get(page).status_code == 200

    # One opening was seeded for governance to review; the newcomer's is the second.
    assert BreakGlassAccess.objects.filter(user__username="police.manager").count() == 2
    governance = Client()
    governance.force_login(User.objects.get(username="governance"))
    reviews = governance.get(reverse("sharing:break_glass_reviews")).content.decode()
    for access in BreakGlassAccess.objects.all():
        assert escape(access.reason) in reviews
    for access in BreakGlassAccess.objects.all():
        assert governance.get(reverse("sharing:break_glass_review", args=[access.pk])).status_code == 200

    outsider = User.objects.get(username="fire.researcher")
    assert not actor_for(outsider).is_lead
    assert policy.visible(outsider, Person.objects.all()).count() == 0
    assert policy.visible(outsider, Referral.objects.all()).count() == 0
    assert policy.visible(outsider, Application.objects.all()).count() == 0


def test_every_role_s_work_tray_has_something_to_show():
    seed()
    client = Client()
    for username, key in [
        ("triage", "referrals"),
        ("triage", "actions"),
        ("la.decision", "threshold"),
        ("la.decision", "discussions"),
        ("governance", "break_glass"),
        ("police.researcher", "requests"),
        ("health.researcher", "requests"),
        ("police.decision", "actions"),
        ("police.admin", "missing"),
        ("police.admin", "interviews"),
        ("police.admin", "disclosures"),
        ("police.manager", "requests"),
    ]:
        client.force_login(get_user_model().objects.get(username=username))
        sections = {s.key: s for s in client.get(reverse("home")).context["sections"]}
        assert sections[key].total and sections[key].lines, (username, key)
