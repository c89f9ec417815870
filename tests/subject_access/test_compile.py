"""Compiling everything held about the person, deciding each item, and the trail of both."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from mash.sharing.models import AccessAction, AccessLog, Dissemination, LawfulBasis
from mash.sharing.services import access_log_write
from mash.subject_access import services
from mash.subject_access.models import Decision, Exemption, Source, State, SubjectAccessRequest
from tests.subject_access.conftest import REDACTED, RELEASED, WITHHELD

pytestmark = pytest.mark.django_db


def test_it_refuses_to_compile_before_the_identity_is_verified(sar, cast, events):
    with pytest.raises(ValidationError, match="Verify the identity"):
        services.request_compile(sar=sar, by=cast.governance)
    sar.refresh_from_db()
    assert sar.state == State.RECEIVED and not sar.items.exists()


def test_it_gathers_the_events_the_records_and_who_has_looked(verified, cast, person, events):
    access_log_write(user=cast.triage, obj=person, action=AccessAction.VIEW)
    access_log_write(user=cast.triage, obj=person, action=AccessAction.VIEW)
    access_log_write(user=cast.police_researcher, obj=cast.police, action=AccessAction.VIEW)
    access_log_write(user=cast.health_researcher, obj=person, action=AccessAction.DENIED)  # not a look

    sar = services.request_compile(sar=verified, by=cast.governance)

    items = list(sar.items.order_by("position"))
    by_source = {s: [i for i in items if i.source == s] for s in Source.values}
    assert [i.text for i in by_source[Source.EVENT]] == [RELEASED, WITHHELD, REDACTED]
    records = {i.title: i for i in by_source[Source.RECORD]}
    assert person.full_name in records and "Jayden" in records[person.full_name].text
    assert records[str(cast.police)].release_flags == ["police intelligence", "handling code C"]
    looked = sorted(i.text for i in by_source[Source.ACCESS])
    assert len(looked) == 2
    assert looked[0].startswith("Viewed by Constabulary on ")
    assert looked[1].startswith("Viewed by County Council MASH on ") and looked[1].endswith("(2 times)")
    assert "triage" not in " ".join(looked)  # agencies, never the staff's names
    # Flagged items wait for a decision; the others are released unless changed.
    assert {i.decision for i in items if i.release_flags} == {Decision.PENDING}
    assert {i.decision for i in items if not i.release_flags} == {Decision.RELEASE}
    assert sar.state == State.COMPILED


def test_compiling_logs_each_record_as_exported_for_the_request(verified, cast, person, events):
    sar = services.request_compile(sar=verified, by=cast.governance)
    exports = AccessLog.objects.filter(user=cast.governance, action=AccessAction.EXPORT)
    assert {(e.content_type.model, e.object_id) for e in exports} == {
        ("person", str(person.pk)),
        ("agency", str(cast.police.pk)),
    }
    assert {e.reason for e in exports} == {f"subject access {sar.reference}"}


def test_it_compiles_again_before_any_decision_but_not_after(verified, cast, events):
    sar = services.request_compile(sar=verified, by=cast.governance)
    first = set(sar.items.values_list("pk", flat=True))
    sar = services.request_compile(sar=sar, by=cast.governance)
    assert sar.items.count() == len(first) and not first & set(sar.items.values_list("pk", flat=True))
    services.item_decide(item=sar.items.first(), by=cast.governance, decision=Decision.RELEASE)
    with pytest.raises(ValidationError, match="cannot be compiled again"):
        services.request_compile(sar=sar, by=cast.governance)


def test_a_redaction_or_withholding_needs_its_exemption_and_reason(verified, cast, events):
    sar = services.request_compile(sar=verified, by=cast.governance)
    item = sar.items.filter(decision=Decision.PENDING).first()
    with pytest.raises(ValidationError) as refused:
        services.item_decide(item=item, by=cast.governance, decision=Decision.WITHHOLD)
    assert set(refused.value.message_dict) == {"exemption", "reason"}
    item.refresh_from_db()
    assert item.decision == Decision.PENDING and item.decided_by is None


def test_deciding_every_flagged_item_makes_it_ready_and_the_trail_holds_each_step(verified, cast, events):
    sar = services.request_compile(sar=verified, by=cast.governance)
    for item in sar.items.filter(decision=Decision.PENDING):
        services.item_decide(
            item=item,
            by=cast.governance,
            decision=Decision.WITHHOLD,
            exemption=Exemption.LAW_ENFORCEMENT,
            reason="Police intelligence: disclosure would prejudice an investigation.",
        )
    sar.refresh_from_db()
    assert sar.state == State.DECIDED
    request_type = ContentType.objects.get_for_model(SubjectAccessRequest)
    assert LogEntry.objects.filter(content_type=request_type, object_id=sar.pk).count() >= 4
    decided = sar.items.filter(decision=Decision.WITHHOLD)
    assert decided.count() == 3  # two flagged events and the flagged police record
    for item in decided:
        change = LogEntry.objects.get_for_object(item).get(action=LogEntry.Action.UPDATE)
        assert "withhold" in str(change.changes)
    services.request_respond(sar=sar, by=cast.governance)
    sar.refresh_from_db()
    assert sar.state == State.RESPONDED and sar.clock.met
    # The response left the MASH: it is in the dissemination log, under the right of access.
    logged = Dissemination.objects.get(content_type=request_type, object_id=str(sar.pk))
    assert logged.lawful_basis == LawfulBasis.RIGHT_OF_ACCESS and logged.person == sar.person
    assert logged.approved_by == logged.disseminated_by == cast.governance
    assert sar.reference in logged.what and "3 withheld" in logged.what


def test_the_right_of_access_is_no_basis_for_sharing_outside_the_mash():
    from mash.sharing.dissemination_forms import DisseminationRequestForm

    offered = dict(DisseminationRequestForm.base_fields["lawful_basis"].choices)
    assert LawfulBasis.RIGHT_OF_ACCESS not in offered and LawfulBasis.POLICE_DPA_PART3 in offered


def test_only_information_governance_may_act(sar, cast):
    with pytest.raises(ValidationError, match="Only information governance"):
        services.identity_verify(sar=sar, by=cast.manager, method="photo_id_seen")


def test_a_redaction_must_take_something_out(verified, cast, events):
    sar = services.request_compile(sar=verified, by=cast.governance)
    item = sar.items.get(text=REDACTED)
    redact = dict(by=cast.governance, decision=Decision.REDACT, exemption=Exemption.THIRD_PARTY)
    with pytest.raises(ValidationError) as refused:
        services.item_decide(
            item=item, reason="Names the neighbour.", redacted_text=f" {REDACTED} ", **redact
        )
    assert "redacted_text" in refused.value.message_dict
    item = services.item_decide(item=item, reason="Names the neighbour.", redacted_text="PLANTED-", **redact)
    assert (item.decision, item.redacted_text) == (Decision.REDACT, "PLANTED-")
