"""Fixtures of the disclosures API tests: those of tests/disclosures, and helpers to call the API."""

import pytest
from django.urls import reverse

from disclosures import services
from tests.disclosures import conftest as c

team = c.team
people = c.people
new_application = c.new_application
at_research = c.at_research
compiled = c.compiled
police_grading = c.police_grading


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def call(api_client, user, method: str, path: str, data=None):
    # A fresh instance, as each request has: the user's agency and roles are cached on it.
    api_client.force_authenticate(type(user).objects.get(pk=user.pk))
    return getattr(api_client, method)(path, data, format="json")


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


@pytest.fixture
def submitted(team, compiled):
    """The package of ``compiled`` submitted: its application awaits the decision."""
    return services.package_submit(package=compiled, by=team.researcher)


@pytest.fixture
def decided(team, submitted):
    """A decision to disclose on ``submitted``: the disclosure is to be made."""
    services.decision_record(
        application=submitted.application,
        by=team.decision_maker,
        disclose=True,
        lawful="Common law power to disclose to prevent harm.",
        necessary="She is at risk of serious harm.",
        proportionate="Only the conviction is disclosed.",
        wording="Mark Taylor has a conviction for assaulting a former partner.",
        recipient_name="Sarah Jones",
    )
    application = submitted.application
    application.refresh_from_db()
    return application
