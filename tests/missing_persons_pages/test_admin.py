"""The Django admin of missing episodes asks the sharing policy like every other page."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from mash.agencies.roles import Role
from mash.sharing.models import AccessAction, AccessLog
from tests.factories import member

pytestmark = pytest.mark.django_db


def _rows(user, episode, action):
    return AccessLog.objects.filter(
        user=user,
        action=action,
        content_type=ContentType.objects.get_for_model(episode),
        object_id=str(episode.pk),
    ).count()


def test_a_superuser_sees_no_episode_and_is_refused_one_with_the_refusal_logged(
    admin_client, admin_user, episode
):
    changelist = admin_client.get(reverse("admin:missing_persons_episode_changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 0
    change = admin_client.get(reverse("admin:missing_persons_episode_change", args=[episode.pk]))
    assert change.status_code == 302
    assert change.url == reverse("admin:index")
    assert _rows(admin_user, episode, AccessAction.DENIED) == 1
    assert _rows(admin_user, episode, AccessAction.VIEW) == 0


def test_a_staff_member_of_another_agency_is_refused_with_the_refusal_logged(client, cast, episode):
    staff = member(cast.health, Role.AGENCY_RESEARCHER, username="health.staff", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:missing_persons_episode_changelist")).context["cl"].result_count == 0
    change = client.get(reverse("admin:missing_persons_episode_change", args=[episode.pk]))
    assert change.status_code == 302
    assert _rows(staff, episode, AccessAction.DENIED) == 1


def test_a_police_data_administrator_on_the_staff_reads_the_episode_and_it_is_logged(client, cast, episode):
    staff = member(cast.police, Role.DATA_ADMINISTRATOR, username="police.admin.staff", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:missing_persons_episode_changelist")).context["cl"].result_count == 1
    change = client.get(reverse("admin:missing_persons_episode_change", args=[episode.pk]))
    assert change.status_code == 200
    assert "Ipswich bus station" in change.content.decode()
    assert _rows(staff, episode, AccessAction.VIEW) == 1
    version = episode.version
    response = client.post(
        reverse("admin:missing_persons_episode_change", args=[episode.pk]),
        {"risk": "high", "status": "closed"},
    )
    assert response.status_code == 403
    episode.refresh_from_db()
    assert (episode.risk, episode.status, episode.version) == ("medium", "missing", version)
