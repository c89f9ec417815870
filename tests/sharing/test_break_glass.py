from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from mash.agencies.roles import Role
from mash.sharing import policy
from mash.sharing.models import AccessAction, AccessLog, BreakGlassAccess, ReviewStatus
from mash.sharing.services import break_glass_open, break_glass_review
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def police_manager(cast):
    # Lead-agency managers already see every person; a police MASH manager does not.
    return member(cast.police, Role.MASH_MANAGER, username="police.manager")


def test_a_manager_opens_a_record_by_break_glass_with_a_reason(police_manager, person):
    assert not policy.can_view(police_manager, person)
    access = break_glass_open(user=police_manager, obj=person, reason="Child at immediate risk tonight")
    assert policy.can_view(police_manager, person)
    assert access.review_status == ReviewStatus.PENDING
    assert AccessLog.objects.filter(
        user=police_manager, action=AccessAction.BREAK_GLASS, reason="Child at immediate risk tonight"
    ).exists()


def test_break_glass_without_a_reason_is_refused_and_grants_nothing(police_manager, person):
    with pytest.raises(ValidationError) as error:
        break_glass_open(user=police_manager, obj=person, reason="  ")
    assert "reason" in error.value.message_dict
    assert BreakGlassAccess.objects.count() == 0
    assert not policy.can_view(police_manager, person)


def test_only_a_manager_may_break_glass(cast, person):
    with pytest.raises(Http404):
        break_glass_open(user=cast.police_researcher, obj=person, reason="I would like to look please")
    assert BreakGlassAccess.objects.count() == 0
    assert AccessLog.objects.filter(user=cast.police_researcher, action=AccessAction.DENIED).exists()


def test_break_glass_expires(police_manager, person):
    access = break_glass_open(user=police_manager, obj=person, reason="Child at immediate risk tonight")
    BreakGlassAccess.objects.filter(pk=access.pk).update(
        opened_at=access.opened_at - timedelta(hours=10), expires_at=access.opened_at - timedelta(hours=1)
    )
    assert not policy.can_view(police_manager, person)


def test_break_glass_never_widens_a_list(police_manager, person):
    from mash.people.models import Person

    break_glass_open(user=police_manager, obj=person, reason="Child at immediate risk tonight")
    assert policy.visible(police_manager, Person.objects.all()).count() == 0


def test_the_page_offers_break_glass_to_a_manager_and_then_shows_the_record(client, police_manager, person):
    client.force_login(police_manager)
    url = reverse("people:detail", args=[person.pk])
    refused = client.get(url)
    assert refused.status_code == 403
    body = refused.content.decode()
    assert "Open by break-glass" in body
    assert "Jayden" not in body

    form_url = reverse("sharing:break_glass", args=[refused.context["content_type_id"], person.pk])
    empty = client.post(form_url, {"reason": "", "next": url})
    assert empty.status_code == 400
    assert "Give the reason" in empty.content.decode()

    opened = client.post(form_url, {"reason": "Police called: child missing tonight", "next": url})
    assert opened.status_code == 302 and opened.url == url
    assert client.get(url).status_code == 200


def test_break_glass_refuses_an_unsafe_next_address(client, police_manager, person):
    from django.contrib.contenttypes.models import ContentType

    client.force_login(police_manager)
    ct = ContentType.objects.get_for_model(person)
    response = client.post(
        reverse("sharing:break_glass", args=[ct.pk, person.pk]),
        {"reason": "Police called: child missing tonight", "next": "https://evil.example/"},
    )
    assert response.url == "/"


def test_break_glass_on_a_model_that_is_not_a_case_record_is_a_404(client, police_manager):
    from django.contrib.contenttypes.models import ContentType

    client.force_login(police_manager)
    ct = ContentType.objects.get(app_label="auth", model="user")
    response = client.post(
        reverse("sharing:break_glass", args=[ct.pk, police_manager.pk]),
        {"reason": "Police called: child missing tonight"},
    )
    assert response.status_code == 404


def test_governance_reviews_break_glass_once(cast, police_manager, person):
    access = break_glass_open(user=police_manager, obj=person, reason="Child at immediate risk tonight")
    break_glass_review(access=access, by=cast.governance, status=ReviewStatus.JUSTIFIED, note="")
    access.refresh_from_db()
    assert (access.review_status, access.reviewed_by) == (ReviewStatus.JUSTIFIED, cast.governance)
    with pytest.raises(ValidationError, match="already been reviewed"):
        break_glass_review(access=access, by=cast.governance, status=ReviewStatus.NOT_JUSTIFIED, note="x")


def test_not_justified_needs_a_note(cast, police_manager, person):
    access = break_glass_open(user=police_manager, obj=person, reason="Child at immediate risk tonight")
    with pytest.raises(ValidationError) as error:
        break_glass_review(access=access, by=cast.governance, status=ReviewStatus.NOT_JUSTIFIED, note="")
    assert "note" in error.value.message_dict


def test_only_governance_may_review(cast, police_manager, person):
    access = break_glass_open(user=police_manager, obj=person, reason="Child at immediate risk tonight")
    with pytest.raises(ValidationError, match="Only information governance"):
        break_glass_review(access=access, by=cast.manager, status=ReviewStatus.JUSTIFIED, note="")


def test_the_review_page_records_the_review(client, cast, police_manager, person):
    access = break_glass_open(user=police_manager, obj=person, reason="Child at immediate risk tonight")
    client.force_login(cast.governance)
    queue = client.get(reverse("sharing:break_glass_reviews"))
    assert "Child at immediate risk tonight" in queue.content.decode()
    bad = client.post(reverse("sharing:break_glass_review", args=[access.pk]), {"status": "not_justified"})
    assert bad.status_code == 400
    assert "Say why" in bad.content.decode()
    good = client.post(reverse("sharing:break_glass_review", args=[access.pk]), {"status": "justified"})
    assert good.status_code == 302
    access.refresh_from_db()
    assert access.review_status == ReviewStatus.JUSTIFIED
