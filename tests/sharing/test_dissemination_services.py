import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from mash.agencies.roles import Role
from mash.common.errors import RoleRefused
from mash.sharing import dissemination
from mash.sharing.dissemination_services import dissemination_item_decide, dissemination_request_cancel
from mash.sharing.models import Dissemination, ItemDecision, RequestState
from tests.factories import member
from tests.sharing.dissemination_setup import POLICE_SECRET, referral_with_answers, request_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(cast):
    return referral_with_answers(cast)


def items_by_owner(request):
    return {item.owner_agency.name: item for item in request.items.select_related("owner_agency")}


def test_the_requester_chooses_among_the_items_they_may_see(cast, shared):
    kinds = [c.kind for c in dissemination.items_for(cast.triage, shared.referral)]
    assert kinds[0].endswith("summary") and len(kinds) == 3
    # The health researcher sees the referral's summary and their own answer, not the police's.
    health_view = dissemination.items_for(cast.health_researcher, shared.referral)
    assert {c.owner_agency.pk for c in health_view} == {cast.lead.pk, cast.health.pk}
    assert not any(POLICE_SECRET in c.text for c in health_view)
    assert dissemination.items_for(cast.outsider, shared.referral) == []


def test_a_request_snapshots_each_item_with_its_grading_and_owner(cast, shared):
    request = request_all(cast, shared)
    assert request.reference.startswith("DR-") and request.state == RequestState.AWAITING_APPROVAL
    police = items_by_owner(request)["Constabulary"]
    assert police.grading == "1/B/C" and police.handling_conditions == "Not to be shared with the family."
    assert POLICE_SECRET in police.text
    assert LogEntry.objects.get_for_object(request).exists()


def test_a_request_refuses_bad_input_naming_each_field(cast, shared):
    with pytest.raises(ValidationError) as error:
        request_all(cast, shared, item_keys=["referrals.referral:999999:summary"], need=" ", lawful_basis="x")
    assert {"items", "need", "lawful_basis"} <= set(error.value.message_dict)
    with pytest.raises(RoleRefused):
        request_all(cast, shared, by=cast.outsider)


def test_the_whole_flow_writes_the_log_entry_with_an_approver_who_is_not_the_requester(cast, shared):
    request = request_all(cast, shared)
    items = items_by_owner(request)
    with pytest.raises(RoleRefused, match="another decision maker"):
        dissemination_item_decide(item=items["County Council MASH"], by=cast.triage, decision="release")
    with pytest.raises(RoleRefused, match="Only a decision maker or MASH manager of Constabulary"):
        dissemination_item_decide(item=items["Constabulary"], by=cast.decision_maker, decision="release")
    with pytest.raises(RoleRefused):
        dissemination_item_decide(item=items["Constabulary"], by=cast.police_researcher, decision="release")
    with pytest.raises(ValidationError) as error:
        dissemination_item_decide(
            item=items["Constabulary"], by=cast.police_decision_maker, decision="release"
        )
    assert "conditions_met" in error.value.message_dict
    dissemination_item_decide(
        item=items["Constabulary"],
        by=cast.police_decision_maker,
        decision="release",
        conditions_met=True,
        reason="The school is told not to share it with the family.",
    )
    dissemination_item_decide(item=items["County Council MASH"], by=cast.decision_maker, decision="release")
    assert not Dissemination.objects.exists()
    with pytest.raises(ValidationError) as error:
        dissemination_item_decide(
            item=items["Integrated Care Board"], by=shared.health_decision_maker, decision="withhold"
        )
    assert "reason" in error.value.message_dict
    dissemination_item_decide(
        item=items["Integrated Care Board"],
        by=shared.health_decision_maker,
        decision="withhold",
        reason="Not needed.",
    )
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    entry = Dissemination.objects.get()
    assert entry.request == request and entry.disseminated_by == cast.triage
    assert entry.approved_by == shared.health_decision_maker != cast.triage
    assert "Not to be shared with the family" in entry.handling_conditions
    assert "Integrated Care Board" not in entry.what and "Constabulary answer" in entry.what


def test_an_item_decided_once_is_not_silently_decided_again(cast, shared):
    request = request_all(cast, shared)
    item = items_by_owner(request)["County Council MASH"]
    other = member(cast.lead, Role.MASH_MANAGER, username="m2")
    dissemination_item_decide(item=item, by=cast.decision_maker, decision="withhold", reason="Not needed.")
    with pytest.raises(ValidationError, match="already withheld"):
        dissemination_item_decide(item=item, by=other, decision="release")
    item.refresh_from_db()
    assert item.decision == ItemDecision.WITHHOLD and item.decided_by == cast.decision_maker


def test_everything_withheld_writes_no_log_entry(cast, shared):
    request = request_all(
        cast, shared, item_keys=[dissemination.items_for(cast.triage, shared.referral)[0].key]
    )
    [item] = request.items.all()
    dissemination_item_decide(item=item, by=cast.decision_maker, decision="withhold", reason="Not needed.")
    request.refresh_from_db()
    assert request.state == RequestState.WITHHELD and not Dissemination.objects.exists()


def test_only_the_requester_cancels_while_it_waits(cast, shared):
    request = request_all(cast, shared)
    with pytest.raises(RoleRefused):
        dissemination_request_cancel(request=request, by=cast.decision_maker)
    dissemination_request_cancel(request=request, by=cast.triage)
    with pytest.raises(ValidationError, match="cancelled"):
        dissemination_item_decide(item=request.items.first(), by=cast.decision_maker, decision="release")
