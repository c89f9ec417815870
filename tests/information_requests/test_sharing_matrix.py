"""Who sees which request and which answer, once police and health have both answered.

Each agency sees its own request and answer, never the other's; the lead agency sees both side by side;
the outsider sees nothing. Through the selectors, the pages and the admin alike, every refusal logged.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import reverse

from mash.people.models import Person
from mash.people.selectors import person_get_for
from mash.sharing import policy
from mash.sharing.models import AccessAction, AccessLog
from referrals import selectors
from referrals.models import InformationRequest, Referral
from referrals.requests import selectors as request_selectors
from tests.information_requests.support import answer, ask, subjects_of

pytestmark = pytest.mark.django_db

POLICE_SAYS = "Arrested for assault, 2024"
HEALTH_SAYS = "Missed three immunisation appointments"


@pytest.fixture
def answered(cast, gathering):
    """Police and health both asked and both answered: {'police': request, 'health': request}."""
    police_request, health_request = sorted(
        ask(gathering, cast.triage, cast.police, cast.health), key=lambda r: r.agency.name
    )
    answer(police_request, cast.police_researcher)
    answer(health_request, cast.health_researcher)
    return {"police": police_request, "health": health_request}


def logged(user, obj, action) -> int:
    return AccessLog.objects.filter(
        user=user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
    ).count()


@pytest.mark.parametrize("own, other", [("police", "health"), ("health", "police")])
def test_each_agency_sees_its_own_request_and_not_the_others(cast, answered, own, other):
    researcher = getattr(cast, f"{own}_researcher")
    mine, theirs = answered[own], answered[other]

    assert policy.can_view(researcher, mine)
    assert request_selectors.request_get_for(researcher, mine.pk) == mine
    assert logged(researcher, mine, AccessAction.VIEW) == 1

    assert not policy.can_view(researcher, theirs)
    with pytest.raises(Http404):
        request_selectors.request_get_for(researcher, theirs.pk)
    assert logged(researcher, theirs, AccessAction.DENIED) == 1


@pytest.mark.parametrize("own", ["police", "health"])
def test_an_agency_lists_only_its_own_request(cast, gathering, answered, own):
    researcher = getattr(cast, f"{own}_researcher")

    assert list(request_selectors.requests_of_referral(researcher, gathering)) == [answered[own]]
    inbox = request_selectors.agency_inbox_for(researcher, include_answered=True)
    assert list(inbox) == [answered[own]]


def test_the_lead_agency_collates_both_agencies_answers(
    cast, gathering, answered, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        collation = request_selectors.collation_for(cast.triage, gathering)
        rows = [(row.person, [[e.summary for e in cell] for cell in row.cells]) for row in collation["rows"]]

    assert collation["requests"] == [answered["police"], answered["health"]]
    jayden, amelia = subjects_of(gathering)
    assert rows == [(jayden, [[POLICE_SAYS], [HEALTH_SAYS]]), (amelia, [[""], [""]])]
    assert collation["all_answered"] is True


def test_a_partner_collation_holds_only_its_own_answer(cast, gathering, answered):
    collation = request_selectors.collation_for(cast.police_researcher, gathering)

    assert collation["requests"] == [answered["police"]]
    summaries = [e.summary for row in collation["rows"] for cell in row.cells for e in cell]
    assert POLICE_SAYS in summaries and HEALTH_SAYS not in summaries
    assert {e.request_id for row in collation["rows"] for cell in row.cells for e in cell} == {
        answered["police"].pk
    }


def test_the_outsider_sees_nothing_and_every_refusal_is_logged(cast, gathering, answered):
    outsider = cast.outsider
    people = subjects_of(gathering)
    reads = [
        (selectors.referral_get_for, gathering),
        (request_selectors.request_get_for, answered["police"]),
        (request_selectors.request_get_for, answered["health"]),
        *[(person_get_for, p) for p in people],
    ]
    for read, record in reads:
        with pytest.raises(Http404):
            read(outsider, record.pk)
        assert logged(outsider, record, AccessAction.DENIED) == 1, record

    assert not policy.visible(outsider, Referral.objects.all()).exists()
    assert not policy.visible(outsider, InformationRequest.objects.all()).exists()
    assert not policy.visible(outsider, Person.objects.filter(pk__in=[p.pk for p in people])).exists()
    assert not request_selectors.agency_inbox_for(outsider, include_answered=True).exists()


# --- Through the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("own, other", [("police", "health"), ("health", "police")])
def test_the_other_agencys_request_page_is_a_logged_404(client, cast, answered, assert_denied, own, other):
    researcher = getattr(cast, f"{own}_researcher")
    client.force_login(researcher)
    page = client.get(reverse("referrals:request", args=[answered[own].pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert (POLICE_SAYS if own == "police" else HEALTH_SAYS) in body
    assert (HEALTH_SAYS if own == "police" else POLICE_SAYS) not in body

    assert_denied(researcher, reverse("referrals:request", args=[answered[other].pk]), answered[other])


def test_the_outsider_gets_a_logged_404_on_every_page(cast, gathering, answered, assert_denied):
    assert_denied(cast.outsider, reverse("referrals:detail", args=[gathering.pk]), gathering)
    assert_denied(cast.outsider, reverse("referrals:collation", args=[gathering.pk]), gathering)
    for information_request in answered.values():
        url = reverse("referrals:request", args=[information_request.pk])
        assert_denied(cast.outsider, url, information_request)
    for person in subjects_of(gathering):
        assert_denied(cast.outsider, reverse("people:detail", args=[person.pk]), person)


def test_the_collation_page_is_forbidden_to_partner_agencies(client, cast, gathering, answered):
    url = reverse("referrals:collation", args=[gathering.pk])
    for partner in (cast.police_researcher, cast.health_researcher, cast.police_decision_maker):
        client.force_login(partner)
        assert client.get(url).status_code == 403, partner

    client.force_login(cast.triage)
    body = client.get(url).content.decode()
    assert POLICE_SAYS in body and HEALTH_SAYS in body


@pytest.mark.parametrize("own, other", [("police", "health"), ("health", "police")])
def test_a_partner_sees_the_referral_summary_without_the_account_or_the_referrers_details(
    client, cast, gathering, answered, own, other
):
    client.force_login(getattr(cast, f"{own}_researcher"))

    page = client.get(reverse("referrals:detail", args=[gathering.pk]))

    assert page.status_code == 200
    body = page.content.decode()
    assert gathering.reference in body
    assert "Jayden Smith" in body and "Amelia Smith" in body
    for private in ("Bruising seen at school.", "01473 111111", "dsl@school.example", "Mrs Price"):
        assert private not in body, private
    assert reverse("referrals:request", args=[answered[own].pk]) in body
    assert reverse("referrals:request", args=[answered[other].pk]) not in body


# --- Through the admin ---------------------------------------------------------------------------


def test_the_admin_shows_no_request_or_answer_to_a_superuser_without_a_membership(
    admin_client, admin_user, answered
):
    for name in ("informationrequest", "responseentry", "referral"):
        changelist = admin_client.get(reverse(f"admin:referrals_{name}_changelist"))
        assert changelist.status_code == 200, name
        assert changelist.context["cl"].result_count == 0, name
        assert changelist.context["cl"].full_result_count == 0, name

    police_request = answered["police"]
    change = admin_client.get(reverse("admin:referrals_informationrequest_change", args=[police_request.pk]))
    assert change.status_code == 302
    assert logged(admin_user, police_request, AccessAction.DENIED) == 1
    entry = police_request.entries.get(summary=POLICE_SAYS)
    change = admin_client.get(reverse("admin:referrals_responseentry_change", args=[entry.pk]))
    assert change.status_code == 302, "the entry is not in the policy-filtered queryset"
