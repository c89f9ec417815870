"""Who may open the disclosure pages: the police disclosure team only, plus forum participants for the
summary while the forum is open. Every refusal is a 404 with its AccessLog row, through pages and admin."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from disclosures import services
from disclosures.models import PackageEntry, ResearchPackage, SectionKind
from mash.sharing.models import AccessAction
from tests.disclosures_pages.builders import access_rows, application_url, package_url, page

pytestmark = pytest.mark.django_db

OUTSIDERS = ["health_researcher", "decision_maker", "outsider"]

APPLICATION_POSTS = {
    "initial_checks": {"immediate_risk": "no", "notes": "Checked."},
    "verification": {"identity_method": "Passport", "meeting_at": "2026-01-01T10:00"},
    "assign": {"researcher": ""},
    "withdraw": {"reason": "Withdrawn."},
    "forum": {"agencies": []},
    "decision": {"disclose": "no", "no_disclosure_reason": "None.", "lawful": "x", "necessary": "x"},
    "disclosure": {"place": "Here", "warning_given": "on", "warning_acknowledged": "on"},
}


@pytest.fixture(params=OUTSIDERS)
def stranger(request, cast):
    """A non-police researcher, the lead agency's decision maker, an outsider agency's user."""
    return getattr(cast, request.param)


def snapshot(application, package):
    application.refresh_from_db()
    package.refresh_from_db()
    return (
        application.stage,
        application.version,
        application.forum_open,
        package.status,
        package.version,
        package.summary,
        PackageEntry.objects.count(),
        ResearchPackage.objects.count(),
    )


def package_posts(package) -> list[tuple[str, dict]]:
    pnc = package.sections.get(kind=SectionKind.PNC)
    entry = pnc.entries.get()
    return [
        (package_url(package, "package_summary"), {"version": package.version, "summary": "Changed."}),
        (package_url(package, "package_submit"), {"version": package.version}),
        (package_url(package, "package_return"), {"comments": "Again."}),
        (
            reverse("disclosures:section", args=[package.pk, pnc.pk]),
            {"version": pnc.version, "note": "Changed."},
        ),
        (
            reverse("disclosures:entry_add", args=[package.pk, pnc.pk]),
            {"source_system": "PNC", "summary": "More", "source_evaluation": "1"},
        ),
        (
            reverse("disclosures:entry_edit", args=[package.pk, entry.pk]),
            {"version": entry.version, "source_system": "PNC", "summary": "Changed", "remove": "1"},
        ),
    ]


# Pages --------------------------------------------------------------------------------------------


def test_every_page_needs_a_login(client, compiled):
    entry = compiled.sections.get(kind=SectionKind.PNC).entries.get()
    for url in [
        reverse("disclosures:queue"),
        reverse("disclosures:intake"),
        application_url(compiled.application),
        package_url(compiled),
        reverse("disclosures:entry_edit", args=[compiled.pk, entry.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/login/"), url


def test_a_stranger_is_refused_the_application(assert_denied, stranger, compiled):
    assert_denied(stranger, application_url(compiled.application), compiled.application)


def test_a_stranger_is_refused_the_package(assert_denied, stranger, compiled):
    assert_denied(stranger, package_url(compiled), compiled)


def test_a_stranger_is_refused_the_entry_page(assert_denied, stranger, compiled):
    entry = compiled.sections.get(kind=SectionKind.PNC).entries.get()
    response = assert_denied(
        stranger, reverse("disclosures:entry_edit", args=[compiled.pk, entry.pk]), compiled
    )
    assert entry.summary not in page(response)


@pytest.mark.parametrize("action", APPLICATION_POSTS)
def test_a_stranger_is_refused_every_application_action(assert_denied, stranger, submitted, action):
    application = submitted.application
    before = snapshot(application, submitted)
    assert_denied(
        stranger,
        application_url(application, action),
        application,
        method="post",
        data={"version": application.version, **APPLICATION_POSTS[action]},
    )
    assert snapshot(application, submitted) == before


def test_a_stranger_is_refused_every_package_action(assert_denied, stranger, compiled):
    application = compiled.application
    before = snapshot(application, compiled)
    for url, data in package_posts(compiled):
        assert_denied(stranger, url, compiled, method="post", data=data)
    assert snapshot(application, compiled) == before


# The admin ----------------------------------------------------------------------------------------


def _staff(user):
    get_user_model().objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    return user


def test_a_stranger_on_the_staff_sees_no_application_or_package_in_the_admin(client, stranger, compiled):
    application = compiled.application
    entry = compiled.sections.get(kind=SectionKind.PNC).entries.get()
    client.force_login(_staff(stranger))
    for name in ("application", "researchpackage", "packageentry"):
        changelist = client.get(reverse(f"admin:disclosures_{name}_changelist"))
        assert changelist.status_code == 200, name
        assert changelist.context["cl"].result_count == 0, name
        assert application.reference not in page(changelist), name
    for name, obj, logged in (
        ("application", application, application),
        ("researchpackage", compiled, compiled),
        ("packageentry", entry, compiled),
    ):
        response = client.get(reverse(f"admin:disclosures_{name}_change", args=[obj.pk]))
        # The admin's "not found": back to the index with a message.
        assert response.status_code == 302, name
        assert response.url == reverse("admin:index"), name
        assert access_rows(stranger, logged, AccessAction.DENIED) >= 1, name
        assert access_rows(stranger, logged, AccessAction.VIEW) == 0, name
    assert access_rows(stranger, application, AccessAction.DENIED) == 1
    assert access_rows(stranger, compiled, AccessAction.DENIED) == 2


def test_the_team_on_the_staff_reads_the_package_in_the_admin_and_the_read_is_logged(client, team, compiled):
    staff = _staff(team.decision_maker)
    client.force_login(staff)
    response = client.get(reverse("admin:disclosures_researchpackage_change", args=[compiled.pk]))
    assert response.status_code == 200
    assert compiled.application.reference in page(response)
    assert access_rows(staff, compiled, AccessAction.VIEW) == 1


# A forum participant ------------------------------------------------------------------------------


@pytest.fixture
def forum(cast, team, submitted):
    """The decision maker opened the forum to health: the application waits for the decision."""
    services.forum_open(application=submitted.application, by=team.decision_maker, agencies=[cast.health])
    submitted.application.refresh_from_db()
    return submitted


def test_a_forum_participant_sees_the_summary_and_nothing_of_the_research(client, cast, forum):
    application = forum.application
    client.force_login(cast.health_researcher)
    response = client.get(application_url(application))
    assert response.status_code == 200
    assert response.templates[0].name == "disclosures/summary.html"
    body = page(response)
    assert application.reference in body
    assert "New partner; a friend says he was violent to his last partner." in body
    assert "The police research package is not shared." in body
    assert "/disclosures/packages/" not in body
    assert "Research package" not in body
    assert forum.summary not in body
    assert forum.sections.get(kind=SectionKind.PNC).entries.get().summary not in body
    assert "<form" not in body.split('id="main-content"')[1]
    assert access_rows(cast.health_researcher, application, AccessAction.VIEW) == 1


def test_a_forum_participant_is_refused_the_package(assert_denied, cast, forum):
    assert_denied(cast.health_researcher, package_url(forum), forum)
    entry = forum.sections.get(kind=SectionKind.PNC).entries.get()
    assert_denied(cast.health_researcher, reverse("disclosures:entry_edit", args=[forum.pk, entry.pk]), forum)


@pytest.mark.parametrize("action", APPLICATION_POSTS)
def test_a_forum_participant_changes_nothing(assert_denied, cast, forum, action):
    application = forum.application
    before = snapshot(application, forum)
    assert_denied(
        cast.health_researcher,
        application_url(application, action),
        application,
        method="post",
        data={"version": application.version, **APPLICATION_POSTS[action]},
    )
    assert snapshot(application, forum) == before


def test_a_forum_participant_is_refused_every_package_action(assert_denied, cast, forum):
    before = snapshot(forum.application, forum)
    for url, data in package_posts(forum):
        assert_denied(cast.health_researcher, url, forum, method="post", data=data)
    assert snapshot(forum.application, forum) == before


def test_an_agency_outside_the_forum_is_still_refused(assert_denied, cast, forum):
    assert_denied(cast.outsider, application_url(forum.application), forum.application)


def test_the_decision_closes_the_forum_to_its_participants(assert_denied, cast, team, forum):
    services.decision_record(
        application=forum.application,
        by=team.decision_maker,
        disclose=False,
        lawful="x",
        necessary="x",
        proportionate="x",
        no_disclosure_reason="Nothing to disclose.",
        applicant_told="Told by phone.",
    )
    assert_denied(cast.health_researcher, application_url(forum.application), forum.application)
