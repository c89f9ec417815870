"""The production error pages (DEBUG off) are the service's pages, in GOV.UK wording: 404 and 403 in the
service layout, 500 self-contained (no request, no context processor, no database); under /api/ every
error stays JSON."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from mash.common.views import permission_denied, server_error

pytestmark = pytest.mark.django_db

LAYOUT = ('class="govuk-template"', "govuk-service-navigation", "OFFICIAL-SENSITIVE", "govuk-footer")


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def test_a_page_that_does_not_exist_is_the_services_page_not_found(client, cast):
    client.force_login(cast.triage)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Page not found - MASH case management</title>" in page
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in page
    assert "If you typed the web address, check it is correct." in page
    assert "If you pasted the web address, check you copied the entire address." in page
    assert all(part in page for part in LAYOUT)
    assert "Sign out" in page  # the signed-in user's menu, as on every page


def test_a_page_the_role_may_not_open_is_the_services_permission_page(client, cast):
    client.force_login(cast.triage)
    response = client.get("/governance/access-log/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<title>You do not have permission to see this page - MASH case management</title>" in page
    assert '<h1 class="govuk-heading-l">You do not have permission to see this page</h1>' in page
    assert "speak to your MASH manager" in page
    assert all(part in page for part in LAYOUT)


def test_the_server_error_page_renders_with_no_request_context_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/referrals/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "<title>Sorry, there is a problem with the service - MASH case management</title>" in page
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in page
    assert "Try again later." in page
    assert all(part in page for part in LAYOUT)
    assert "{{" not in page and "{%" not in page


@pytest.mark.parametrize(
    ("handler", "status"),
    [(server_error, 500), (lambda request: permission_denied(request, PermissionDenied()), 403)],
)
def test_under_the_api_the_same_handlers_answer_json(handler, status):
    response = handler(RequestFactory().get("/api/v1/referrals/"))
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert "detail" in json.loads(response.content)
