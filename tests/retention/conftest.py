"""Closed referrals past their retention period, for the queue and page tests."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from referrals import services
from referrals.models import Referral
from tests.referrals.factories import new_subject, referral_fields

seed_rules = importlib.import_module("mash.retention.migrations.0002_seed_rules").seed


@pytest.fixture(autouse=True)
def _rules(db):
    """The seeded periods (a transactional test before this one flushed them)."""
    seed_rules(apps, None)


@pytest.fixture
def closed_nfa(cast):
    """``closed_nfa(years_ago=3, **subject)``: a referral closed with no further action that long ago."""

    def make(years_ago=3, account="Bruising explained by a fall.", **subject):
        referral = services.referral_create(
            by=cast.triage,
            subjects=[new_subject(**subject)],
            **referral_fields(account=account, referrer_email=""),
        )
        services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
        services.referral_record_outcome(
            referral=referral, by=cast.decision_maker, outcome="nfa", rationale="No concern for the child."
        )
        services.referral_close(referral=referral, by=cast.triage, feedback_note="Told by phone.")
        Referral.objects.filter(pk=referral.pk).update(
            closed_at=timezone.now() - timedelta(days=365 * years_ago)
        )
        referral.refresh_from_db()
        return referral

    return make
