"""Who may see and change what: the police disclosure team everything; a forum participant the
application's summary while the forum is open, never the research package; anyone else nothing.
Every refusal is a 404 with the refusal in the access log."""

import pytest

from disclosures import services
from disclosures.models import Stage
from mash.agencies.roles import Role
from mash.sharing.models import AccessAction, AccessLog
from tests.disclosures_api.conftest import call, ok, url
from tests.factories import member

pytestmark = pytest.mark.django_db

OUTSIDERS = ["health_researcher", "decision_maker", "outsider"]
SUMMARY_FIELDS = {
    "id",
    "reference",
    "scheme",
    "route",
    "stage",
    "outcome",
    "received_at",
    "circumstances",
    "forum_open",
    "clocks",
    "people",
}


def application_writes():
    return [
        ("api-disclosure-application-initial-checks", {"immediate_risk": False, "notes": "x"}),
        (
            "api-disclosure-application-verification",
            {"identity_method": "x", "meeting_at": "2020-01-01T00:00"},
        ),
        ("api-disclosure-application-researcher", {"researcher": 1}),
        ("api-disclosure-application-withdraw", {"reason": "x"}),
        ("api-disclosure-application-forum", {"agencies": [1]}),
        ("api-disclosure-application-decision", {"disclose": False}),
        ("api-disclosure-application-disclosure", {"disclosed_at": "2020-01-01T00:00"}),
    ]


@pytest.fixture
def forum(team, cast, submitted):
    """The decision maker opens the forum to health: its members may see the summary."""
    application = submitted.application
    services.forum_open(application=application, by=team.decision_maker, agencies=[cast.health])
    application.refresh_from_db()
    return application


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_agency_gets_a_logged_404_on_the_application(assert_denied, cast, submitted, who):
    application = submitted.application
    assert_denied(getattr(cast, who), url("api-disclosure-application", application.pk), application)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_agency_gets_a_logged_404_on_every_write_to_the_application(
    assert_denied, cast, submitted, who
):
    application = submitted.application
    application.refresh_from_db()
    for name, data in application_writes():
        assert_denied(
            getattr(cast, who),
            url(name, application.pk),
            application,
            method="post",
            data={**data, "version": application.version},
        )
    before = application.version
    application.refresh_from_db()
    assert (application.stage, application.version) == (Stage.DECISION, before)


@pytest.mark.parametrize("who", [*OUTSIDERS, "manager", "triage"])
def test_another_agency_gets_a_logged_404_on_the_package_and_its_writes(assert_denied, cast, submitted, who):
    user = getattr(cast, who)
    section = submitted.sections.first()
    entry = section.entries.first()
    assert_denied(user, url("api-research-package", submitted.pk), submitted)
    for path, data in [
        (url("api-research-package-summary", submitted.pk), {"summary": "x", "version": 1}),
        (url("api-research-package-submit", submitted.pk), {"version": 1}),
        (url("api-research-package-return", submitted.pk), {"comments": "x"}),
        (
            url("api-research-package-section", submitted.pk, section.pk),
            {"nothing_found": True, "version": 1},
        ),
        (
            url("api-research-package-entries", submitted.pk, section.pk),
            {"summary": "x", "source_system": "x"},
        ),
        (url("api-research-package-entry", submitted.pk, entry.pk), {"summary": "x", "version": 1}),
    ]:
        assert_denied(user, path, submitted, method="post", data=data)
    assert_denied(
        user,
        url("api-research-package-entry", submitted.pk, entry.pk) + "?version=1",
        submitted,
        method="delete",
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.return_comments) == ("submitted", "")
    assert section.entries.count() == 1


def test_a_police_manager_cannot_open_a_package_by_break_glass(api_client, cast, submitted):

    manager = member(cast.police, Role.MASH_MANAGER, username="police.manager")
    assert call(api_client, manager, "get", url("api-research-package", submitted.pk)).status_code == 404


def test_a_forum_participant_reads_the_summary_and_never_the_package(api_client, cast, team, forum):
    response = call(api_client, cast.health_researcher, "get", url("api-disclosure-application", forum.pk))
    body = ok(response)
    assert set(body) == SUMMARY_FIELDS
    assert (body["reference"], body["stage"], body["forum_open"]) == (forum.reference, "decision", True)
    assert {p["full_name"] for p in body["people"]} == {"Mark Taylor", "Sarah Jones"}
    assert body["clocks"]["decision"]["due_at"]
    package = forum.packages.get()
    text = response.content.decode()
    for secret in ("package", package.summary, "PNC", "Convicted of assault", "No risk now."):
        assert secret not in text
    assert AccessLog.objects.filter(user=cast.health_researcher, action=AccessAction.VIEW).count() == 1

    # The list shows it too, without who researches it.
    rows = ok(call(api_client, cast.health_researcher, "get", url("api-disclosure-applications")))["results"]
    assert [row["id"] for row in rows] == [forum.pk]
    assert "researcher" not in rows[0]


def test_a_forum_participant_gets_a_logged_404_on_the_package(assert_denied, cast, forum):
    package = forum.packages.get()
    assert_denied(cast.health_researcher, url("api-research-package", package.pk), package)


def test_a_forum_participant_changes_nothing(assert_denied, cast, forum):
    for name, data in application_writes():
        assert_denied(
            cast.health_researcher,
            url(name, forum.pk),
            forum,
            method="post",
            data={**data, "version": forum.version},
        )
    before = forum.version
    forum.refresh_from_db()
    assert (forum.stage, forum.version) == (Stage.DECISION, before)


def test_the_forum_opened_through_the_api_shows_the_summary_until_the_decision(
    api_client, cast, team, submitted
):
    application = submitted.application
    application.refresh_from_db()
    detail = url("api-disclosure-application", application.pk)
    assert call(api_client, cast.health_researcher, "get", detail).status_code == 404
    ok(
        call(
            api_client,
            team.decision_maker,
            "post",
            url("api-disclosure-application-forum", application.pk),
            {"agencies": [cast.health.pk], "version": application.version},
        )
    )
    assert set(ok(call(api_client, cast.health_researcher, "get", detail))) == SUMMARY_FIELDS
    assert call(api_client, cast.outsider, "get", detail).status_code == 404

    application.refresh_from_db()
    ok(
        call(
            api_client,
            team.decision_maker,
            "post",
            url("api-disclosure-application-decision", application.pk),
            {
                "disclose": False,
                "lawful": "x",
                "necessary": "x",
                "proportionate": "x",
                "no_disclosure_reason": "Nothing relevant.",
                "applicant_told": "Nothing to disclose.",
                "version": application.version,
            },
        )
    )
    assert call(api_client, cast.health_researcher, "get", detail).status_code == 404
    assert (
        ok(call(api_client, cast.health_researcher, "get", url("api-disclosure-applications")))["results"]
        == []
    )
