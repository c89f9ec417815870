"""The demo's history (referrals/demo_history.py): the measures of `make run` have months, sources,
deadlines met and missed, and each of the demo's three viewers opens every dashboard."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from mash.clocks.models import Clock
from mash.measures.registry import DASHBOARDS
from referrals.demo_history import HISTORY_DAYS, QUIET_DAYS
from referrals.models import Consultation, InformationRequest, Referral, ResponseEntry, State
from strategy.models import AnswerRating, ThresholdDecision
from tests.second_factor import Client

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", password="demo-password-for-tests", stdout=StringIO())


def test_the_history_spans_months_sources_and_deadlines_met_and_missed():
    seed()
    now = timezone.now()
    history = Referral.objects.filter(received_at__lt=now - timedelta(days=QUIET_DAYS - 1))
    history = history.filter(received_at__gt=now - timedelta(days=HISTORY_DAYS + 1))
    assert history.count() >= 30
    assert set(history.values_list("state", flat=True)) == {State.CLOSED}
    assert {
        timezone.localtime(r).strftime("%Y-%m") for r in history.values_list("received_at", flat=True)
    } >= {timezone.localtime(now - timedelta(days=days)).strftime("%Y-%m") for days in (140, 100, 60, 30)}
    assert set(history.values_list("channel", flat=True)) == {
        "phone",
        "email",
        "marf",
        "police_notification",
        "consultation",
    }
    assert {"nfa", "s17_assessment", "early_help"} <= set(history.values_list("outcome", flat=True))
    # Some people were referred again within the year.
    assert history.values("subjects__person").distinct().count() < history.count()

    decisions = Clock.objects.filter(pk__in=history.values("decision_clock"))
    met = decisions.filter(stopped_at__lte=F("due_at")).count()
    late = decisions.filter(stopped_at__gt=F("due_at")).count()
    assert met > late > 0 and met + late == history.count()
    # Every clock was stopped by the service at the time it happened, after it started.
    assert not decisions.filter(stopped_at__lt=F("started_at")).exists()

    answers = InformationRequest.objects.filter(referral__in=history)
    assert (
        answers.filter(answered_at__lte=F("clock__due_at")).count()
        > answers.filter(answered_at__gt=F("clock__due_at")).count()
        > 0
    )
    entries = ResponseEntry.objects.filter(request__referral__in=history)
    assert entries.filter(nothing_known=True).exists() and entries.filter(nothing_known=False).exists()
    calls = Consultation.objects.filter(called_at__lt=now - timedelta(days=QUIET_DAYS - 1))
    assert calls.count() > calls.filter(referral__isnull=False).count() > 0

    # Threshold decisions relying on answers (strategy/demo_history.py), some calling a discussion held
    # on time and one late.
    thresholds = ThresholdDecision.objects.filter(referral__in=history)
    assert thresholds.filter(required=False).exists() and thresholds.filter(required=True).exists()
    assert thresholds.filter(answers_relied_on__isnull=False).exists()
    ratings = AnswerRating.objects.filter(threshold_decision__in=thresholds)
    assert ratings.filter(sufficient=True).count() > ratings.filter(sufficient=False).count() > 0
    strategy = Clock.objects.filter(pk__in=thresholds.values("strategy_clock"))
    assert strategy.filter(stopped_at__lte=F("due_at")).exists()
    assert strategy.filter(stopped_at__gt=F("due_at")).exists()

    # Once only.
    counts = (Referral.objects.count(), Consultation.objects.count(), InformationRequest.objects.count())
    seed()
    assert counts == (
        Referral.objects.count(),
        Consultation.objects.count(),
        InformationRequest.objects.count(),
    )


def test_each_demo_viewer_opens_every_dashboard_of_the_year():
    seed()
    client = Client()
    for username in ("manager", "police.manager", "board"):
        client.force_login(get_user_model().objects.get(username=username))
        for key in DASHBOARDS:
            page = client.get(reverse("measures:dashboard", args=[key]), {"period": "year", "by": "month"})
            assert page.status_code == 200, (username, key)
            api = client.get(reverse("api-measures-dashboard", args=[key]), {"period": "year"})
            assert api.status_code == 200, (username, key)
