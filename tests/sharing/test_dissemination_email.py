"""E-mails that leave the MASH are entered in the dissemination log automatically, once each."""

import pytest
from django.core import mail
from django.utils import timezone

from mash.notifications import delivery
from mash.notifications.models import Notification
from mash.sharing.models import Dissemination, DisseminationKind, LawfulBasis
from referrals import services
from tests.sharing.dissemination_setup import referral_with_answers

pytestmark = pytest.mark.django_db


def closed_referral(cast):
    referral = referral_with_answers(cast).referral
    services.referral_record_outcome(
        referral=referral, by=cast.decision_maker, outcome="nfa", rationale="Safe."
    )
    services.referral_close(referral=referral, by=cast.triage)
    return referral


def test_the_referrers_outcome_email_writes_exactly_one_automatic_log_entry(cast):
    referral = closed_referral(cast)
    [notification] = Notification.objects.filter(recipient__isnull=True)
    assert not Dissemination.objects.exists(), "logged when it leaves, not when it is written"
    assert delivery.deliver_many([notification.pk]) == 1
    assert delivery.deliver_many([notification.pk]) == 0
    delivery.sweep()
    assert len(mail.outbox) == 1
    entry = Dissemination.objects.get()
    assert (entry.kind, entry.method, entry.approved_by, entry.notification) == (
        DisseminationKind.AUTOMATIC,
        "email",
        None,
        notification,
    )
    assert entry.recipient_name == "Mrs Price" and entry.recipient_contact == "dsl@school.example"
    assert referral.reference in entry.what and "Dear" not in entry.what, "the subject line, not the body"
    assert entry.lawful_basis == LawfulBasis.PUBLIC_TASK_SAFEGUARDING and "outcome" in entry.need
    assert entry.record == referral


def test_an_email_sent_again_after_a_crash_is_logged_once(cast):
    closed_referral(cast)
    notification = Notification.objects.get(recipient__isnull=True)
    delivery.deliver_many([notification.pk])
    # The worker died after the send and the sweep sent it again: the entry is the same one.
    Notification.objects.filter(pk=notification.pk).update(status="pending", sent_at=None)
    delivery.deliver_many([notification.pk])
    assert len(mail.outbox) == 2 and Dissemination.objects.count() == 1


def test_the_sweep_logs_an_email_whose_entry_was_not_written(cast):
    closed_referral(cast)
    notification = Notification.objects.get(recipient__isnull=True)
    delivery.deliver_many([notification.pk])
    Dissemination.objects.all().delete()
    delivery.sweep(now=timezone.now())
    assert Dissemination.objects.get().notification == notification


def test_an_email_to_a_users_address_is_not_logged(cast):
    referral = referral_with_answers(cast).referral
    cast.decision_maker.email = "dsl@school.example"
    cast.decision_maker.save()
    services.referral_record_outcome(
        referral=referral, by=cast.decision_maker, outcome="nfa", rationale="Safe."
    )
    services.referral_close(referral=referral, by=cast.triage)
    delivery.deliver_many(Notification.objects.filter(recipient__isnull=True).values_list("pk", flat=True))
    assert not Dissemination.objects.exists()
