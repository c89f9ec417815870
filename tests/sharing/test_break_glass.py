"""Break-glass: who may (the rule decides; by default the lead agency's MASH managers only), what it
opens (one record, for a few hours, reviewed by information governance), and that its offer answers a
record that does not exist exactly like one that is hidden."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from disclosures.models import Application, ResearchPackage
from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for
from mash.sharing import policy
from mash.sharing.models import AccessAction, AccessLog, BreakGlassAccess, ReviewStatus
from mash.sharing.services import break_glass_open, break_glass_review
from tests.factories import PersonFactory, member

pytestmark = pytest.mark.django_db

REASON = "Child at immediate risk tonight"


@pytest.fixture
def managers(cast):
    """A MASH manager of every agency of the cast."""
    return {
        "lead": cast.manager,
        "police": member(cast.police, Role.MASH_MANAGER, username="police.manager"),
        "health": member(cast.health, Role.MASH_MANAGER, username="health.manager"),
        "outsider": member(cast.outsider_agency, Role.MASH_MANAGER, username="outsider.manager"),
    }


@pytest.fixture
def police_manager(managers):
    return managers["police"]


@pytest.fixture
def application(cast):
    """A disclosure application: the police team's, which a police MASH manager may break glass on
    (the one rule that lets anyone but the lead agency's managers, who see the rest already)."""
    from disclosures import services
    from disclosures.models import PersonRole, Route, Scheme

    subject = PersonFactory(given_name="Mark", family_name="Taylor")
    applicant = PersonFactory(given_name="Sarah", family_name="Jones")
    return services.application_create(
        by=cast.data_admin,
        scheme=Scheme.RIGHT_TO_ASK,
        route=Route.PHONE,
        circumstances="New partner; a friend says he was violent to his last partner.",
        people=[
            services.PersonInput(role=PersonRole.SUBJECT, person=subject),
            services.PersonInput(role=PersonRole.APPLICANT, person=applicant),
            services.PersonInput(role=PersonRole.AT_RISK, person=applicant),
        ],
        applicant_relation="Herself: his partner",
    )


# Who may break glass: the rule's decision.

OWN_RULES = {Application: {"police"}, ResearchPackage: set()}


@pytest.mark.parametrize(
    "model", sorted(policy._rules, key=lambda m: m._meta.label), ids=lambda m: m._meta.label
)
def test_only_the_lead_agencys_mash_managers_may_break_glass_unless_the_rule_says_otherwise(
    cast, managers, model
):
    allowed = OWN_RULES.get(model, {"lead"})
    rule = policy.rule_for(model)
    for agency, manager in managers.items():
        assert rule.may_break_glass(actor_for(manager)) is (agency in allowed), (agency, model)
    for name in (
        "triage",
        "police_researcher",
        "health_researcher",
        "decision_maker",
        "data_admin",
        "governance",
    ):
        assert not rule.may_break_glass(actor_for(getattr(cast, name))), (name, model)


def test_another_agencys_manager_is_refused_break_glass_and_the_refusal_is_logged(client, managers, person):
    health_manager = managers["health"]
    with pytest.raises(Http404):
        break_glass_open(user=health_manager, obj=person, reason=REASON)
    client.force_login(health_manager)
    page = client.get(reverse("people:detail", args=[person.pk]))
    assert page.status_code == 404 and "Open by break-glass" not in page.content.decode()
    ct = ContentType.objects.get_for_model(person)
    assert (
        client.post(reverse("sharing:break_glass", args=[ct.pk, person.pk]), {"reason": REASON}).status_code
        == 404
    )
    assert not BreakGlassAccess.objects.exists()
    assert AccessLog.objects.filter(user=health_manager, action=AccessAction.DENIED).count() == 3


# What break-glass opens.


def test_a_manager_opens_a_record_by_break_glass_with_a_reason(police_manager, application):
    assert not policy.can_view(police_manager, application)
    access = break_glass_open(user=police_manager, obj=application, reason=REASON)
    assert policy.can_view(police_manager, application)
    assert access.review_status == ReviewStatus.PENDING
    assert AccessLog.objects.filter(
        user=police_manager, action=AccessAction.BREAK_GLASS, reason=REASON
    ).exists()


def test_break_glass_without_a_reason_is_refused_and_grants_nothing(police_manager, application):
    with pytest.raises(ValidationError) as error:
        break_glass_open(user=police_manager, obj=application, reason="  ")
    assert "reason" in error.value.message_dict
    assert BreakGlassAccess.objects.count() == 0
    assert not policy.can_view(police_manager, application)


def test_only_a_manager_may_break_glass(cast, application):
    with pytest.raises(Http404):
        break_glass_open(user=cast.health_researcher, obj=application, reason="I would like to look please")
    assert BreakGlassAccess.objects.count() == 0
    assert AccessLog.objects.filter(user=cast.health_researcher, action=AccessAction.DENIED).exists()


def test_break_glass_expires(police_manager, application):
    access = break_glass_open(user=police_manager, obj=application, reason=REASON)
    BreakGlassAccess.objects.filter(pk=access.pk).update(
        opened_at=access.opened_at - timedelta(hours=10), expires_at=access.opened_at - timedelta(hours=1)
    )
    assert not policy.can_view(police_manager, application)


def test_break_glass_never_widens_a_list(police_manager, application):
    break_glass_open(user=police_manager, obj=application, reason=REASON)
    assert policy.visible(police_manager, Application.objects.all()).count() == 0


def test_the_page_offers_break_glass_to_a_manager_and_then_shows_the_record(
    client, police_manager, application
):
    client.force_login(police_manager)
    url = reverse("disclosures:application", args=[application.pk])
    refused = client.get(url)
    assert refused.status_code == 403
    body = refused.content.decode()
    assert "Open by break-glass" in body
    assert application.reference not in body and "Taylor" not in body

    form_url = reverse("sharing:break_glass", args=[refused.context["content_type_id"], application.pk])
    empty = client.post(form_url, {"reason": "", "next": url})
    assert empty.status_code == 400
    assert "Give the reason" in empty.content.decode()

    opened = client.post(form_url, {"reason": "Police called: child missing tonight", "next": url})
    assert opened.status_code == 302 and opened.url == url
    assert client.get(url).status_code == 200


def test_break_glass_refuses_an_unsafe_next_address(client, police_manager, application):
    client.force_login(police_manager)
    ct = ContentType.objects.get_for_model(application)
    response = client.post(
        reverse("sharing:break_glass", args=[ct.pk, application.pk]),
        {"reason": "Police called: child missing tonight", "next": "https://evil.example/"},
    )
    assert response.url == "/"


def test_break_glass_on_a_model_that_is_not_a_case_record_is_a_404(client, police_manager):
    client.force_login(police_manager)
    ct = ContentType.objects.get(app_label="auth", model="user")
    response = client.post(
        reverse("sharing:break_glass", args=[ct.pk, police_manager.pk]),
        {"reason": "Police called: child missing tonight"},
    )
    assert response.status_code == 404


# The same answer for a hidden record and one that does not exist.


def _same_page(response, object_id) -> str:
    """The page with what differs from one request to the next (CSRF token, CSP nonce) and the id
    asked for taken out."""
    body = response.content.decode()
    body = re.sub(r"\b[A-Za-z0-9]{64}\b", "csrf-token", body)  # a masked CSRF token, wherever it is
    body = re.sub(r'nonce="[^"]*"', "nonce", body)
    return body.replace(f"/{object_id}/", "/ID/").replace(f" {object_id} ", " ID ")


@pytest.fixture
def missing_id(application):
    return Application.objects.order_by("-pk").first().pk + 1000


def test_the_page_of_a_hidden_and_a_missing_record_is_the_same_break_glass_offer(
    client, police_manager, application, missing_id
):
    client.force_login(police_manager)
    hidden = client.get(reverse("disclosures:application", args=[application.pk]))
    missing = client.get(reverse("disclosures:application", args=[missing_id]))
    assert hidden.status_code == missing.status_code == 403
    assert "Open by break-glass" in missing.content.decode()
    assert _same_page(hidden, application.pk) == _same_page(missing, missing_id)


def test_the_page_of_a_hidden_and_a_missing_record_is_the_same_404_without_break_glass(
    client, cast, application, missing_id
):
    client.force_login(cast.health_researcher)
    hidden = client.get(reverse("disclosures:application", args=[application.pk]))
    missing = client.get(reverse("disclosures:application", args=[missing_id]))
    assert hidden.status_code == missing.status_code == 404
    assert _same_page(hidden, application.pk) == _same_page(missing, missing_id)


@pytest.mark.parametrize("who", ["police_manager", "health_researcher"])
def test_the_api_answers_a_hidden_and_a_missing_record_alike(
    api_client, cast, police_manager, application, missing_id, who
):
    api_client.force_authenticate(police_manager if who == "police_manager" else cast.health_researcher)
    hidden = api_client.get(f"/api/v1/disclosure-applications/{application.pk}/")
    missing = api_client.get(f"/api/v1/disclosure-applications/{missing_id}/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


@pytest.mark.parametrize(
    ("reason", "status"), [("", 400), ("too short", 400), ("Police called: child missing tonight", 302)]
)
def test_break_glass_on_a_missing_record_answers_like_on_a_hidden_one_and_logs_nothing(
    client, police_manager, application, missing_id, reason, status
):
    client.force_login(police_manager)
    ct = ContentType.objects.get_for_model(Application)
    logged = AccessLog.objects.count()
    missing = client.post(
        reverse("sharing:break_glass", args=[ct.pk, missing_id]), {"reason": reason, "next": "/disclosures/"}
    )
    assert AccessLog.objects.count() == logged and not BreakGlassAccess.objects.exists()
    hidden = client.post(
        reverse("sharing:break_glass", args=[ct.pk, application.pk]),
        {"reason": reason, "next": "/disclosures/"},
    )
    assert hidden.status_code == missing.status_code == status
    if status == 302:
        assert hidden.url == missing.url == "/disclosures/"
        assert BreakGlassAccess.objects.count() == 1
    else:
        assert _same_page(hidden, application.pk) == _same_page(missing, missing_id)


def test_break_glass_on_a_missing_record_by_someone_who_may_not_is_the_same_404(
    client, cast, application, missing_id
):
    client.force_login(cast.health_researcher)
    ct = ContentType.objects.get_for_model(Application)
    url = reverse("sharing:break_glass", args=[ct.pk, missing_id])
    missing = client.post(url, {"reason": REASON})
    hidden = client.post(reverse("sharing:break_glass", args=[ct.pk, application.pk]), {"reason": REASON})
    assert hidden.status_code == missing.status_code == 404
    assert _same_page(hidden, application.pk) == _same_page(missing, missing_id)
    # Only the refusal on the record that exists is in the access log.
    assert list(AccessLog.objects.values_list("object_id", "action")) == [
        (str(application.pk), AccessAction.DENIED)
    ]


# Information governance's review.


def test_governance_reviews_break_glass_once(cast, police_manager, application):
    access = break_glass_open(user=police_manager, obj=application, reason=REASON)
    break_glass_review(access=access, by=cast.governance, status=ReviewStatus.JUSTIFIED, note="")
    access.refresh_from_db()
    assert (access.review_status, access.reviewed_by) == (ReviewStatus.JUSTIFIED, cast.governance)
    with pytest.raises(ValidationError, match="already been reviewed"):
        break_glass_review(access=access, by=cast.governance, status=ReviewStatus.NOT_JUSTIFIED, note="x")


def test_not_justified_needs_a_note(cast, police_manager, application):
    access = break_glass_open(user=police_manager, obj=application, reason=REASON)
    with pytest.raises(ValidationError) as error:
        break_glass_review(access=access, by=cast.governance, status=ReviewStatus.NOT_JUSTIFIED, note="")
    assert "note" in error.value.message_dict


def test_only_governance_may_review(cast, police_manager, application):
    access = break_glass_open(user=police_manager, obj=application, reason=REASON)
    with pytest.raises(ValidationError, match="Only information governance"):
        break_glass_review(access=access, by=cast.manager, status=ReviewStatus.JUSTIFIED, note="")


def test_the_review_page_records_the_review(client, cast, police_manager, application):
    access = break_glass_open(user=police_manager, obj=application, reason=REASON)
    client.force_login(cast.governance)
    queue = client.get(reverse("sharing:break_glass_reviews"))
    assert REASON in queue.content.decode()
    bad = client.post(reverse("sharing:break_glass_review", args=[access.pk]), {"status": "not_justified"})
    assert bad.status_code == 400
    assert "Say why" in bad.content.decode()
    good = client.post(reverse("sharing:break_glass_review", args=[access.pk]), {"status": "justified"})
    assert good.status_code == 302
    access.refresh_from_db()
    assert access.review_status == ReviewStatus.JUSTIFIED


def test_a_missing_id_is_a_plain_404_to_a_manager_who_sees_every_record_of_its_kind(client, cast, person):
    # The lead agency's managers see every person: nothing is hidden from them, so nothing to offer.
    from mash.people.models import Person

    client.force_login(cast.manager)
    missing_id = Person.objects.order_by("-pk").first().pk + 1000
    page = client.get(reverse("people:detail", args=[missing_id]))
    assert page.status_code == 404 and "Open by break-glass" not in page.content.decode()
    ct = ContentType.objects.get_for_model(Person)
    assert (
        client.post(reverse("sharing:break_glass", args=[ct.pk, missing_id]), {"reason": REASON}).status_code
        == 404
    )
    assert not AccessLog.objects.exists() and not BreakGlassAccess.objects.exists()
