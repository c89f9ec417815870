"""The partnership board member sees the measures' aggregates and no case content anywhere.

The sharing test's scenario (tests/sharing/scenario.py) builds a record of every case model, and a
unique marker goes into every free-text field of every row (tests/sharing/markers.py); every staff
member of the cast gets a unique name. Then every page of the URL conf, every GET endpoint of the
OpenAPI schema, every measure's dashboard, download and API, and every admin page is requested as the
board member. Nothing they are answered may hold a marker, a record's reference or another member of
staff's name; every page or endpoint about one record (a URL with an id) refuses them; their work
tray is empty and their menu is the measures and the links every user has.
"""

import dataclasses
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from mash.agencies.selectors import actor_for
from mash.common import navigation
from mash.common.trays import sections_for
from mash.measures.registry import DASHBOARDS
from tests.sharing import markers, scenario

pytestmark = pytest.mark.django_db

# The links every signed-in user has (their inbox; the people search, filtered by the policy).
GENERIC_LINKS = {"inbox", "people"}
STAFF_NAME = re.compile(r"Stf\d{3}")


def _staff_names(cast) -> None:
    """A unique first and last name for every member of staff of the cast but the board member."""
    users = [
        getattr(cast, f.name)
        for f in dataclasses.fields(cast)
        if isinstance(getattr(cast, f.name), get_user_model()) and getattr(cast, f.name) != cast.board
    ]
    for number, user in enumerate(users, start=1):
        get_user_model().objects.filter(pk=user.pk).update(
            first_name=f"Stf{number:03d}a", last_name=f"Stf{number:03d}b"
        )


def _references() -> set[str]:
    """Every record's reference (a referral's, an application's, a subject access request's): that a
    record exists is content."""
    found = set()
    for model in apps.get_models():
        if any(f.name == "reference" for f in model._meta.concrete_fields):
            found |= {ref for ref in model._default_manager.values_list("reference", flat=True) if ref}
    return found


def _measure_urls() -> list[str]:
    """The landing page, each dashboard by each breakdown (and its API), each table's downloads."""
    urls = [reverse("measures:home")]
    for key in DASHBOARDS:
        for query in ("period=year", "period=year&by=month", "period=year&by=agency"):
            urls += [f"{reverse('measures:dashboard', args=[key])}?{query}"]
            urls += [f"{reverse('api-measures-dashboard', args=[key])}?{query}"]
    return urls


def _download_urls(client) -> list[str]:
    found = []
    for key in DASHBOARDS:
        html = client.get(reverse("measures:dashboard", args=[key]), {"period": "year"}).content.decode()
        found += [
            url.replace("&amp;", "&")
            for url in re.findall(r'href="(/measures/[^"]+\.(?:csv|xlsx)[^"]*)"', html)
        ]
    return found


def _about_one_record(url: str) -> bool:
    path = url.partition("?")[0]
    return bool(re.search(r"/\d+/", path)) and not path.startswith("/admin/")


def _body(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", "replace")


def test_the_board_member_sees_no_case_content_anywhere(cast, client):
    built = scenario.build(cast)
    references = _references()  # before the markers overwrite the case records' own
    planted = markers.plant_markers()
    _staff_names(cast)
    assert planted and built.open_referral.reference in references

    client.force_login(cast.triage)
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    pages, api = markers.page_routes(), markers.api_routes(schema)
    assert not pages.unfillable + api.unfillable
    urls = markers.distinct_urls(pages, api) + _measure_urls() + markers.admin_urls()

    client.force_login(cast.board)
    urls += _download_urls(client)
    problems, answered = [], {}
    for url in urls:
        response = client.get(url)
        answered[url] = response.status_code
        text = _body(response) + "".join(f"{k}: {v}\n" for k, v in response.headers.items())
        seen = set(markers.MARKER.findall(text)) & set(planted)
        if seen:
            problems.append(f"{url}: {', '.join(sorted(planted[m].label for m in seen))}")
        if staff := set(STAFF_NAME.findall(text)):
            problems.append(f"{url}: names staff {sorted(staff)}")
        if shown := {ref for ref in references if ref in text}:
            problems.append(f"{url}: shows references {sorted(shown)}")
        if response.status_code == 200 and "/measures/records/" in text:
            problems.append(f"{url}: links to the records behind a figure")
        if _about_one_record(url) and response.status_code not in (403, 404):
            problems.append(f"{url}: a record's page answered {response.status_code}")
        if url.startswith("/admin/") and not (
            response.status_code == 302 and response["Location"].startswith("/admin/login/")
        ):
            problems.append(f"{url}: the admin answered {response.status_code} (not staff)")
    assert not problems, "\n".join(problems)

    # The harness reached something: the measures answered, and records' pages were asked for.
    measures = _measure_urls()
    assert all(answered[url] == 200 for url in measures), {u: answered[u] for u in measures}
    assert sum(_about_one_record(url) for url in urls) > 50


def test_the_board_member_has_no_work_tray_and_only_the_measures_in_the_menu(cast, client):
    scenario.build(cast)
    actor = actor_for(cast.board)
    assert sections_for(cast.board) == []
    assert {item.key for item in navigation.items_for(actor)} == GENERIC_LINKS | {"measures"}
    client.force_login(cast.board)
    home = client.get(reverse("home")).content.decode()
    assert "Nothing waiting for you." in home and 'id="tray-' not in home
    menu = re.search(r'<ul class="govuk-service-navigation__list" id="navigation">(.*?)</ul>', home, re.S)
    assert set(re.findall(r'href="([^"]+)"', menu.group(1))) == {
        reverse(item.url_name) for item in navigation.items() if item.key in GENERIC_LINKS | {"measures"}
    }
