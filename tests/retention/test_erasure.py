"""Erasure leaves no personal data behind: a full referral, with a unique value planted in every
personal-data and free-text field (and a marker in every free-text field besides), is erased, then
every text, JSON and date column of every table is searched for them (docs/retention.md)."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.clocks.models import Clock
from mash.people.models import Person
from mash.retention import registry
from mash.retention.models import Erasure
from mash.retention.services import erase_record, hold_place
from mash.subject_access import services as sar_services
from mash.subject_access.models import IdentityMethod, Relationship
from referrals.models import Referral, TimelineEvent
from strategy.models import StrategyDiscussion, SubjectDecision
from tests.retention import scan
from tests.retention.build import Planted, closed_referral, person, plant_markers

pytestmark = pytest.mark.django_db

KIND = "referral-other"  # the discussion decided a section 47 enquiry


def _past_period(referral, years=7):
    long_ago = timezone.now() - timedelta(days=365 * years)
    Referral.objects.filter(pk=referral.pk).update(closed_at=long_ago)


def _statistics(referral):
    return {
        "referral": Referral.objects.filter(pk=referral.pk).values(
            "state", "outcome", "rag", "kind", "received_at", "outcome_at", "closed_at", "concerns"
        )[0],
        "clocks": list(
            Clock.objects.order_by("pk").values_list("kind", "started_at", "due_at", "stopped_at")
        ),
        "timeline": list(
            TimelineEvent.objects.filter(referral=referral).values_list(
                "kind", "at", "from_state", "to_state"
            )
        ),
        "discussions": list(
            StrategyDiscussion.objects.values_list("status", "scheduled_at", "signed_off_at")
        ),
        "decisions": list(SubjectDecision.objects.values_list("decision", "finding")),
        "genders": sorted(Person.objects.values_list("gender", flat=True)),
    }


def test_it_leaves_no_personal_data_in_any_table(cast, client):
    planted = Planted("Plnt")
    child = person(planted, date(2012, 2, 29), 400000001)
    sibling = person(planted, date(2014, 11, 23), 500000002)
    referral = closed_referral(cast, planted, child=child, sibling=sibling, client=client)
    marked = plant_markers()
    # A subject access request about the child: its compilation copies the records' text.
    sar = sar_services.request_create(
        by=cast.governance,
        person=child,
        requester_name="Their mother",
        relationship=Relationship.PARENT,
        requester_contact="By post",
        received_on=timezone.localdate(),
    )
    sar_services.identity_verify(sar=sar, by=cast.governance, method=IdentityMethod.PHOTO_ID_SEEN)
    sar_services.request_compile(sar=sar, by=cast.governance)
    _past_period(referral)
    values = planted.values + marked

    before = scan.where(values)
    missing = [v for v in values if v not in before]
    assert not missing, f"planted values never stored (the test would prove nothing): {missing}"
    # The copies the erasure must reach were made.
    assert {"auditlog_logentry.changes", "sharing_accesslog.object_repr"} <= {
        cell for cells in before.values() for cell in cells
    }
    for table in (
        "notifications_notification.",
        "subject_access_subjectaccessitem.",
        "sharing_disseminationitem.",
        "sharing_disseminationrequest.",
    ):
        assert any(c.startswith(table) for cells in before.values() for c in cells), table
    statistics = _statistics(referral)

    erasure = erase_record(
        record=referral, kind=registry.kind(KIND), by=cast.governance, reason="Past its retention period."
    )

    left = scan.where(values)
    assert not left, f"personal data left after erasure: {left}"
    assert _statistics(referral) == statistics
    assert erasure.counts["people.person"] == 2
    assert erasure.description.startswith(referral.reference)
    # The erasure itself is in the trail (its s62 category is 'erasure'), naming no one.
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Erasure), object_pk=str(erasure.pk)
    )
    assert entry.action == LogEntry.Action.CREATE


def test_a_record_on_legal_hold_is_refused_and_untouched(cast):
    planted = Planted("Held")
    child = person(planted, date(2011, 5, 17), 600000003)
    sibling = person(planted, date(2013, 8, 9), 700000004)
    referral = closed_referral(cast, planted, child=child, sibling=sibling)
    _past_period(referral)
    kind = registry.kind(KIND)
    hold_place(record=referral, kind=kind, by=cast.governance, reason="Civil claim pending.")
    before = scan.where(planted.values)

    with pytest.raises(ValidationError, match="legal hold"):
        erase_record(record=referral, kind=kind, by=cast.governance, reason="Past its period.")

    assert scan.where(planted.values) == before
    assert not Erasure.objects.exists()


def test_a_person_named_by_another_live_referral_keeps_their_details(cast):
    planted = Planted("Live")
    child = person(planted, date(2010, 1, 30), 800000005)
    sibling = person(planted, date(2015, 3, 3), 900000006)
    old = closed_referral(cast, planted, child=child, sibling=sibling)
    _past_period(old)
    other = Planted("Other")
    new = closed_referral(cast, other, child=child, sibling=person(other, date(2016, 6, 6), 430000007))

    erasure = erase_record(
        record=old, kind=registry.kind(KIND), by=cast.governance, reason="Past its period."
    )

    child.refresh_from_db()
    sibling.refresh_from_db()
    assert (child.given_name, child.nhs_number) != ("[erased]", "")
    assert child.date_of_birth == date(2010, 1, 30)
    assert (sibling.given_name, sibling.date_of_birth, sibling.nhs_number) == ("[erased]", None, "")
    assert erasure.counts["people.person"] == 1
    new.refresh_from_db()
    assert new.account.startswith("Other")


def test_it_refuses_a_record_erased_already_or_not_past_its_period(cast):
    planted = Planted("Twice")
    referral = closed_referral(
        cast,
        planted,
        child=person(planted, date(2012, 4, 4), 440000008),
        sibling=person(planted, date(2014, 4, 4), 450000009),
    )
    kind = registry.kind(KIND)
    with pytest.raises(ValidationError, match="period has not run"):
        erase_record(record=referral, kind=kind, by=cast.governance, reason="Too soon.")
    _past_period(referral)
    erase_record(record=referral, kind=kind, by=cast.governance, reason="Past its period.")
    with pytest.raises(ValidationError, match="already been erased"):
        erase_record(record=referral, kind=kind, by=cast.governance, reason="Again.")
    assert Erasure.objects.count() == 1


def test_only_information_governance_may_erase(cast):
    planted = Planted("Role")
    referral = closed_referral(
        cast,
        planted,
        child=person(planted, date(2012, 5, 5), 460000000),
        sibling=person(planted, date(2014, 5, 5), 470000001),
    )
    _past_period(referral)
    with pytest.raises(ValidationError, match="information governance"):
        erase_record(record=referral, kind=registry.kind(KIND), by=cast.manager, reason="Past its period.")
    assert not Erasure.objects.exists()
