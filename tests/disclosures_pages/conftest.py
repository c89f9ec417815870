"""The disclosure page tests reuse the service tests' fixtures (the team, the people, an application at
each stage) and add the later stages, reached through the services."""

import pytest

from disclosures import services
from tests.disclosures import conftest as c
from tests.disclosures_pages.builders import WORDING

team = c.team
people = c.people
new_application = c.new_application
at_research = c.at_research
compiled = c.compiled


@pytest.fixture
def submitted(team, compiled):
    """Version 1 of the package submitted: the application waits for a decision."""
    package = services.package_submit(package=compiled, by=team.researcher)
    package.application.refresh_from_db()
    return package


@pytest.fixture
def to_disclose(team, submitted):
    """The decision maker decided to disclose: the disclosure is to be made."""
    application = submitted.application
    services.decision_record(
        application=application,
        by=team.decision_maker,
        disclose=True,
        lawful="Common law power to disclose to prevent harm.",
        necessary="She is at risk of serious harm.",
        proportionate="Only the conviction is disclosed.",
        wording=WORDING,
        recipient_name="Sarah Jones",
    )
    application.refresh_from_db()
    return application
