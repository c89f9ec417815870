"""Who sees disclosure applications and research packages: the police disclosure team only. Everyone
else is refused (404, logged), in the selectors, the admin and a person's history; a research package
has no break-glass."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import reverse

from disclosures import selectors, services
from disclosures.models import Application, PackageEntry, ResearchPackage
from mash.agencies.roles import Role
from mash.people.history import person_history_for
from mash.sharing import policy
from mash.sharing.models import AccessAction, AccessLog, BreakGlassAccess
from mash.sharing.services import BreakGlassAvailable, break_glass_open, record_read
from tests.factories import member

pytestmark = pytest.mark.django_db

TEAM = ["data_admin", "police_researcher", "police_decision_maker"]
OTHERS = ["health_researcher", "decision_maker", "outsider", "triage", "manager", "governance"]


def _log(user, obj, action):
    return AccessLog.objects.filter(
        user=user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
    )


@pytest.fixture
def package(team, compiled):
    services.package_submit(package=compiled, by=team.researcher)
    return ResearchPackage.objects.select_related("application").get(pk=compiled.pk)


@pytest.fixture
def police_manager(cast):
    return member(cast.police, Role.MASH_MANAGER, username="police.manager")


# The policy and the selectors.


@pytest.mark.parametrize("who", TEAM)
def test_the_police_disclosure_team_sees_the_application_and_the_package(cast, package, who):
    user = getattr(cast, who)
    application = package.application

    assert policy.can_view(user, application) and policy.can_view(user, package)
    assert list(policy.visible(user, Application.objects.all())) == [application]
    assert list(policy.visible(user, ResearchPackage.objects.all())) == [package]
    assert list(selectors.application_queue(user, include_closed=True)) == [application]
    assert list(selectors.packages_of(user, application)) == [package]

    assert selectors.application_get_for(user, application.pk) == application
    assert selectors.package_get_for(user, package.pk) == package
    assert _log(user, application, AccessAction.VIEW).count() == 1
    assert _log(user, package, AccessAction.VIEW).count() == 1


@pytest.mark.parametrize("who", OTHERS)
def test_everyone_else_sees_neither(cast, package, who):
    user = getattr(cast, who)
    application = package.application

    assert not policy.can_view(user, application)
    assert not policy.can_view(user, package)
    assert not policy.visible(user, Application.objects.all()).exists()
    assert not policy.visible(user, ResearchPackage.objects.all()).exists()
    assert not selectors.application_queue(user, include_closed=True).exists()
    assert not selectors.packages_of(user, application).exists()
    assert selectors.stage_counts(user) == {}


@pytest.mark.parametrize("who", OTHERS)
def test_reading_is_refused_with_a_404_and_logged(cast, package, who):
    user = getattr(cast, who)
    application = package.application

    with pytest.raises(Http404):
        record_read(user=user, obj=package)
    with pytest.raises(Http404):
        record_read(user=user, obj=application)
    with pytest.raises(Http404):
        selectors.package_get_for(user, package.pk)
    with pytest.raises(Http404):
        selectors.application_get_for(user, application.pk)

    assert _log(user, package, AccessAction.DENIED).count() == 2
    assert _log(user, application, AccessAction.DENIED).count() == 2
    assert not _log(user, package, AccessAction.VIEW).exists()
    assert not _log(user, application, AccessAction.VIEW).exists()


def test_a_police_user_outside_the_team_sees_neither(cast, package):
    # Same agency, another role: the police's triage practitioner.
    user = member(cast.police, Role.TRIAGE_PRACTITIONER, username="police.triage")

    assert not policy.can_view(user, package.application)
    assert not policy.can_view(user, package)


def test_a_deactivated_team_member_sees_nothing(cast, package):
    user = cast.police_researcher
    user.is_active = False
    user.save(update_fields=["is_active"])
    user = type(user).objects.get(pk=user.pk)

    assert not policy.can_view(user, package)
    assert not policy.can_view(user, package.application)


# No break-glass on a research package.


def test_a_research_package_has_no_break_glass_even_for_a_mash_manager(cast, package, police_manager):
    for manager in (police_manager, cast.manager):
        assert policy.may_break_glass(manager, package) is False

        with pytest.raises(Http404) as refusal:
            record_read(user=manager, obj=package)
        assert not isinstance(refusal.value, BreakGlassAvailable)

        with pytest.raises(Http404):
            break_glass_open(user=manager, obj=package, reason="Urgent safeguarding concern tonight.")

        assert _log(manager, package, AccessAction.DENIED).count() == 2
        assert not _log(manager, package, AccessAction.BREAK_GLASS).exists()
        assert not policy.can_view(manager, package)
    assert not BreakGlassAccess.objects.exists()


def test_a_police_manager_breaking_glass_on_the_application_still_never_sees_the_package(
    cast, package, police_manager
):
    application = package.application
    assert policy.may_break_glass(police_manager, application) is True
    assert policy.may_break_glass(cast.manager, application) is False  # the lead's manager is not police

    break_glass_open(user=police_manager, obj=application, reason="Urgent safeguarding concern tonight.")

    assert policy.can_view(police_manager, application)
    assert not policy.can_view(police_manager, package)
    assert not policy.visible(police_manager, ResearchPackage.objects.all()).exists()
    # Break-glass opens one record and never widens a list.
    assert not policy.visible(police_manager, Application.objects.all()).exists()


# The admin.


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _change(model_name, pk):
    return reverse(f"admin:disclosures_{model_name}_change", args=[pk])


def _changelist(model_name):
    return reverse(f"admin:disclosures_{model_name}_changelist")


@pytest.mark.parametrize("who", ["health_researcher", "decision_maker", "outsider", "manager"])
def test_the_admin_does_not_show_a_research_package_to_other_staff_and_logs_the_refusal(
    client, cast, package, who
):
    user = _staff(getattr(cast, who))
    client.force_login(user)
    entry = PackageEntry.objects.get(section__package=package)

    assert client.get(_change("researchpackage", package.pk)).status_code == 302
    assert client.get(_change("application", package.application_id)).status_code == 302
    assert client.get(_change("packageentry", entry.pk)).status_code == 302

    assert _log(user, package, AccessAction.DENIED).count() == 2  # the package, and its entry
    assert _log(user, package.application, AccessAction.DENIED).count() == 1
    for model_name in ("researchpackage", "application", "packageentry", "decision", "disclosurerecord"):
        response = client.get(_changelist(model_name))
        assert response.status_code == 200, model_name
        body = response.content.decode()
        assert package.application.reference not in body, model_name
        assert entry.summary not in body, model_name


def test_the_admin_shows_nothing_to_a_superuser_without_a_membership(admin_client, admin_user, package):
    entry = PackageEntry.objects.get(section__package=package)

    assert admin_client.get(_change("researchpackage", package.pk)).status_code == 302
    assert admin_client.get(_change("packageentry", entry.pk)).status_code == 302
    changelist = admin_client.get(_changelist("researchpackage"))

    assert changelist.status_code == 200
    assert package.application.reference not in changelist.content.decode()
    assert _log(admin_user, package, AccessAction.DENIED).count() == 2


@pytest.mark.parametrize("who", TEAM)
def test_the_admin_shows_the_package_to_team_staff_and_logs_the_read(client, cast, package, who):
    user = _staff(getattr(cast, who))
    client.force_login(user)

    response = client.get(_change("researchpackage", package.pk))

    assert response.status_code == 200
    assert _log(user, package, AccessAction.VIEW).count() == 1
    changelist = client.get(_changelist("researchpackage")).content.decode()
    assert package.application.reference in changelist


def test_a_nonexistent_package_in_the_admin_logs_nothing(client, cast, package):
    user = _staff(cast.outsider)
    client.force_login(user)

    assert client.get(_change("researchpackage", package.pk + 1000)).status_code == 302

    assert not AccessLog.objects.filter(user=user).exists()


def test_the_audit_log_admin_shows_no_package_content_to_a_superuser_without_a_membership(
    admin_client, package
):
    entry = PackageEntry.objects.get(section__package=package)

    response = admin_client.get(reverse("admin:auditlog_logentry_changelist"))

    # Only information governance reads the audit trail: a superuser without that role is refused.
    assert response.status_code == 403
    assert entry.summary not in response.content.decode()


@pytest.fixture
def decided(team, package):
    services.decision_record(
        application=package.application,
        by=team.decision_maker,
        disclose=True,
        lawful="Common law power.",
        necessary="Serious risk.",
        proportionate="Only the conviction.",
        wording="He has a conviction for violence against a partner.",
        recipient_name="Sarah Jones",
    )
    return package.application.decision


def test_opening_a_decision_in_the_admin_outside_the_team_is_logged(client, cast, decided):
    user = _staff(cast.outsider)
    client.force_login(user)

    assert client.get(_change("decision", decided.pk)).status_code == 302

    assert _log(user, decided.application, AccessAction.DENIED).exists()


def test_a_decision_in_the_admin_is_not_shown_outside_the_team(client, cast, decided):
    user = _staff(cast.outsider)
    client.force_login(user)

    assert client.get(_change("decision", decided.pk)).status_code == 302
    assert decided.wording not in client.get(_changelist("decision")).content.decode()


# A person's history.


@pytest.mark.parametrize("who", TEAM)
def test_the_person_history_shows_the_application_to_the_team(cast, people, package, who):
    user = getattr(cast, who)
    reference = package.application.reference

    for person in (people["subject"], people["applicant"]):
        titles = [item.title for item in person_history_for(user, person)]
        assert titles.count(reference) == 1


@pytest.mark.parametrize("who", OTHERS)
def test_the_person_history_does_not_show_the_application_to_others(cast, people, package, who):
    user = getattr(cast, who)
    reference = package.application.reference

    for person in (people["subject"], people["applicant"]):
        items = person_history_for(user, person)
        assert reference not in [item.title for item in items]
        assert not [item for item in items if item.kind == "Disclosure application"]
