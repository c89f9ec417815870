"""The navigation comes from the policy (mash/common/navigation.py): for every member of the cast, each
link the menu shows opens, and each registered page the menu does not show is refused."""

import dataclasses
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from mash.agencies.roles import Role
from mash.common import navigation
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<ul class="govuk-service-navigation__list" id="navigation">(.*?)</ul>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def menu_links(client) -> set[str]:
    """The links of the header menu, as rendered on the home page."""
    page = client.get(reverse("home"))
    assert page.status_code == 200
    return set(HREF.findall(MENU.search(page.content.decode()).group(1)))


def everyone(cast) -> dict[str, object]:
    """Every user of the cast, a lead agency data administrator (the old menu showed them a link
    that answered 403) and a user of no agency."""
    users = {
        f.name: getattr(cast, f.name)
        for f in dataclasses.fields(cast)
        if isinstance(getattr(cast, f.name), get_user_model())
    }
    users["lead_data_admin"] = member(cast.lead, Role.DATA_ADMINISTRATOR, username="la.admin")
    users["no_agency"] = UserFactory(username="no.agency")
    return users


def test_every_link_shown_opens_and_every_page_not_shown_is_refused(client, cast):
    pages = {reverse(item.url_name) for item in navigation.items()}
    wrong = []
    for who, user in everyone(cast).items():
        client.force_login(user)
        shown = menu_links(client)
        assert shown <= pages, (who, shown - pages)
        for url in sorted(pages):
            status = client.get(url).status_code
            if (url in shown and status != 200) or (url not in shown and status not in (403, 404)):
                wrong.append((who, url, "shown" if url in shown else "not shown", status))
    assert wrong == []


def test_the_menu_follows_the_policy_where_the_old_template_did_not(client, cast):
    missing = reverse("missing_persons:dashboard")
    client.force_login(cast.police_researcher)
    assert missing in menu_links(client)
    client.force_login(member(cast.lead, Role.DATA_ADMINISTRATOR, username="la.admin"))
    assert missing not in menu_links(client)


def test_every_app_registers_its_links_in_menu_order():
    assert [item.key for item in navigation.items()] == [
        "inbox",
        "requests",
        "referrals",
        "consultations",
        "strategy",
        "discussions",
        "missing",
        "disclosures",
        "actions",
        "people",
        "measures",
        "governance",
    ]


def test_the_current_page_is_marked_in_the_menu(client, cast):
    client.force_login(cast.triage)
    body = client.get(reverse("strategy:discussions")).content.decode()
    link = re.search(r'<a [^>]*href="{}"[^>]*>'.format(reverse("strategy:discussions")), body).group(0)
    assert 'aria-current="page"' in link
