import pytest
from django.urls import reverse

from mash.sharing.models import AccessAction, LawfulBasis
from mash.sharing.services import access_log_write, dissemination_record

pytestmark = pytest.mark.django_db

GOVERNANCE_PAGES = ["sharing:access_log", "sharing:break_glass_reviews", "sharing:disseminations"]


@pytest.mark.parametrize("name", GOVERNANCE_PAGES)
@pytest.mark.parametrize("who", ["triage", "manager", "police_researcher", "outsider"])
def test_only_information_governance_sees_the_governance_pages(client, cast, name, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse(name)).status_code == 403


def test_the_access_log_lists_and_filters_reads(client, cast, person):
    access_log_write(user=cast.triage, obj=person, action=AccessAction.VIEW)
    access_log_write(user=cast.outsider, obj=person, action=AccessAction.DENIED)
    client.force_login(cast.governance)
    everything = client.get(reverse("sharing:access_log"))
    assert everything.context["page_obj"].paginator.count == 2
    only_outsider = client.get(reverse("sharing:access_log"), {"username": "outsider"})
    assert [e.action for e in only_outsider.context["entries"]] == [AccessAction.DENIED]
    assert "Refused" in only_outsider.content.decode()


def test_the_dissemination_log_shows_what_left_the_mash(client, cast, person):
    dissemination_record(
        by=cast.triage,
        approved_by=cast.decision_maker,
        recipient_name="Head teacher",
        recipient_organisation="Orwell Primary School",
        method="email",
        what="Summary of the safety plan for Jayden",
        lawful_basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
        need="The school must know who may collect Jayden",
        record=person,
        person=person,
    )
    client.force_login(cast.governance)
    body = client.get(reverse("sharing:disseminations")).content.decode()
    assert "Orwell Primary School" in body
    assert "Article 6(1)(e)" in body
