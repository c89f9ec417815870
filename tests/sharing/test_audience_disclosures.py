"""What an agency at a multi-agency forum sees of a disclosure application: the partner audience of
disclosures/policy.py (the summary), through the policy, the API, the page and the admin."""

import pytest
from django.urls import reverse

from disclosures import services
from disclosures.models import (
    Application,
    ApplicationPerson,
    Decision,
    DisclosureRecord,
    PackageEntry,
    PackageSection,
    ResearchPackage,
)
from mash.sharing import policy
from tests.disclosures import conftest as c

team = c.team
people = c.people
new_application = c.new_application
at_research = c.at_research
compiled = c.compiled

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_forum(cast, team, compiled):
    """The package submitted and the forum open with health taking part."""
    package = services.package_submit(package=compiled, by=team.researcher)
    application = package.application
    application.refresh_from_db()
    services.forum_open(application=application, by=team.decision_maker, agencies=[cast.health])
    application.refresh_from_db()
    return application


def test_a_forum_participant_is_the_partner_audience(cast, at_forum):
    assert policy.audience_of(cast.police_researcher, at_forum) == policy.Audience.FULL
    assert policy.audience_of(cast.health_researcher, at_forum) == policy.Audience.PARTNER
    assert policy.audience_of(cast.outsider, at_forum) is None


@pytest.mark.parametrize(
    "name, partner_sees",
    [
        ("reference", True),
        ("scheme", True),
        ("circumstances", True),
        ("people", True),
        ("clock", True),
        ("applicant_contact", False),
        ("applicant_relation", False),
        ("initial_check_notes", False),
        ("meeting_notes", False),
        ("identity_method", False),
        ("closure_note", False),
        ("researcher", False),
        ("packages", False),
        ("decision", False),
        ("disclosure", False),
        ("a_field_added_tomorrow", False),
    ],
)
def test_a_forum_participant_sees_the_applications_summary_only(cast, at_forum, name, partner_sees):
    assert policy.may_see_field(cast.health_researcher, at_forum, name) is partner_sees
    assert policy.may_see_field(cast.police_researcher, at_forum, name) is True


def test_the_package_its_sections_and_entries_are_never_a_partners(cast, at_forum):
    for model in (Application, ApplicationPerson, Decision, DisclosureRecord, ResearchPackage):
        assert policy.is_covered(model), model
    for model in (PackageSection, PackageEntry):
        assert policy.is_covered(model), model
    entry = PackageEntry.objects.get(section__package__application=at_forum)
    assert policy.may_see_field(cast.police_researcher, entry, "summary")
    assert not policy.may_see_field(cast.health_researcher, entry, "summary")
    assert policy.may_see_field(cast.health_researcher, at_forum.people.first(), "role")


def test_the_api_answers_a_forum_participant_with_the_summary(cast, at_forum, api_client):
    url = reverse("api-disclosure-application", args=[at_forum.pk])
    api_client.force_authenticate(cast.health_researcher)
    data = api_client.get(url).json()
    assert data["circumstances"] == at_forum.circumstances
    assert {p["role"] for p in data["people"]} >= {"subject"}
    for hidden in ("applicant_relation", "initial_check_notes", "identity_method", "packages", "decision"):
        assert hidden not in data, hidden
    assert "Herself: his partner" not in api_client.get(url).content.decode()

    api_client.force_authenticate(cast.police_researcher)
    full = api_client.get(url).json()
    assert full["applicant_relation"] == "Herself: his partner" and full["packages"]


def test_the_api_list_leaves_the_researcher_out_for_a_forum_participant(cast, at_forum, api_client):
    api_client.force_authenticate(cast.health_researcher)
    rows = api_client.get(reverse("api-disclosure-applications")).json()["results"]
    assert [row["id"] for row in rows] == [at_forum.pk]
    assert "researcher" not in rows[0]


def test_the_page_shows_a_forum_participant_the_summary(cast, at_forum, client):
    client.force_login(cast.health_researcher)
    page = client.get(reverse("disclosures:application", args=[at_forum.pk])).content.decode()
    assert "a friend says he was violent" in page
    assert "Herself: his partner" not in page and "Passport seen" not in page


def test_the_admin_shows_a_forum_participant_with_staff_rights_the_summary_only(cast, at_forum, client):
    cast.health_researcher.is_staff = True
    cast.health_researcher.save()
    client.force_login(cast.health_researcher)
    page = client.get(reverse("admin:disclosures_application_change", args=[at_forum.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert at_forum.reference in body
    assert "Herself: his partner" not in body and "Passport seen" not in body
    entries = client.get(reverse("admin:disclosures_packageentry_changelist")).content.decode()
    assert "Convicted of assault" not in entries


def test_a_forum_participant_and_the_team_see_who_the_application_names(cast, at_forum):
    for link in at_forum.people.select_related("person"):
        for user in (cast.health_researcher, cast.police_researcher):
            assert policy.may_see_field(user, link.person, "family_name"), (user, link.person)
            assert not policy.may_see_field(user, link.person, "address"), (user, link.person)
