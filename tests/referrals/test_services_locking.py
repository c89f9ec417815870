"""Optimistic locking: a change made from an out-of-date page is refused, never silently applied."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from referrals import services
from referrals.models import Rag, Referral, State
from tests.referrals.factories import make_referral, move_to
from tests.referrals.helpers import snapshot

pytestmark = pytest.mark.django_db

STALE_MESSAGE = "Someone else changed this referral since you opened it."


def _transition(referral, cast, **kw):
    return services.referral_transition(referral=referral, by=cast.triage, to_state=State.SCREENING, **kw)


def _rate(referral, cast, **kw):
    return services.referral_rate(referral=referral, by=cast.triage, rating=Rag.RED, rationale="Risk.", **kw)


def _assign(referral, cast, **kw):
    return services.referral_assign(referral=referral, by=cast.triage, assignee=cast.triage, **kw)


def _decide(referral, cast, **kw):
    return services.referral_record_outcome(
        referral=referral, by=cast.decision_maker, outcome="nfa", rationale="No concerns remain.", **kw
    )


def _close(referral, cast, **kw):
    return services.referral_close(referral=referral, by=cast.triage, **kw)


def _reopen(referral, cast, **kw):
    return services.referral_reopen(referral=referral, by=cast.triage, reason="New concerns.", **kw)


LOCKED_CHANGES = [
    pytest.param(State.RECEIVED, _transition, id="transition"),
    pytest.param(State.SCREENING, _rate, id="rate"),
    pytest.param(State.SCREENING, _assign, id="assign"),
    pytest.param(State.AWAITING_THRESHOLD_DECISION, _decide, id="record_outcome"),
    pytest.param(State.DECIDED, _close, id="close"),
    pytest.param(State.CLOSED, _reopen, id="reopen"),
]


@pytest.mark.parametrize(("state", "change"), LOCKED_CHANGES)
def test_a_change_from_an_out_of_date_version_is_refused_and_changes_nothing(
    cast, referral_in, state, change
):
    referral = referral_in(state)
    read_version = referral.version  # what the user's page showed
    services.referral_assign(referral=referral, by=cast.manager, assignee=cast.manager)  # a colleague
    before = snapshot(referral)
    with pytest.raises(ValidationError, match=STALE_MESSAGE) as excinfo:
        change(referral, cast, expected_version=read_version)
    assert excinfo.value.code == "stale"
    assert "Reload the page to see their change, then try again." in excinfo.value.messages[0]
    assert snapshot(referral) == before


@pytest.mark.parametrize(("state", "change"), LOCKED_CHANGES)
def test_a_change_from_the_current_version_is_made(cast, referral_in, state, change):
    referral = referral_in(state)
    changed = change(referral, cast, expected_version=referral.version)
    assert changed.version == referral.version + 1
    assert Referral.objects.get(pk=referral.pk).version == changed.version


def test_the_version_increments_on_each_change(cast, new_referral):
    referral = new_referral()
    versions = [Referral.objects.get(pk=referral.pk).version]
    steps = [
        lambda: _transition(referral, cast),
        lambda: _rate(referral, cast),
        lambda: services.referral_assign(referral=referral, by=cast.triage, assignee=cast.manager),
        lambda: services.referral_transition(
            referral=referral, by=cast.triage, to_state=State.INFORMATION_GATHERING
        ),
        lambda: services.referral_transition(
            referral=referral, by=cast.triage, to_state=State.AWAITING_THRESHOLD_DECISION
        ),
        lambda: _decide(referral, cast),
        lambda: _close(referral, cast),
        lambda: _reopen(referral, cast),
    ]
    for step in steps:
        step()
        versions.append(Referral.objects.get(pk=referral.pk).version)
    assert versions == list(range(1, 10))


def test_without_a_version_a_change_applies_to_the_current_row_not_the_callers_copy(cast, referral_in):
    referral = referral_in(State.SCREENING)
    stale_copy = Referral.objects.get(pk=referral.pk)
    services.referral_rate(referral=referral, by=cast.triage, rating=Rag.RED, rationale="Injury.")
    services.referral_assign(referral=stale_copy, by=cast.triage, assignee=cast.manager)
    referral.refresh_from_db()
    assert (referral.rag, referral.assigned_to) == (Rag.RED, cast.manager), "the rating was not lost"


def _run_together(*targets):
    """Start the targets in threads at the same moment; each thread closes its own connection."""
    barrier = threading.Barrier(len(targets))
    failures: list[BaseException] = []

    def run(target):
        try:
            barrier.wait(timeout=10)
            target()
        except BaseException as exc:  # re-raised below, not lost in the thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return failures


@pytest.mark.django_db(transaction=True)
def test_two_people_rating_at_the_same_time_cannot_both_win(cast):
    referral = move_to(make_referral(by=cast.triage), State.SCREENING, cast=cast)
    read_version = referral.version

    def rate(user, rating):
        return lambda: services.referral_rate(
            referral=referral, by=user, rating=rating, rationale="Seen.", expected_version=read_version
        )

    failures = _run_together(rate(cast.triage, Rag.RED), rate(cast.manager, Rag.GREEN))
    assert [getattr(exc, "code", exc) for exc in failures] == ["stale"], "exactly one of the two is refused"
    referral.refresh_from_db()
    assert referral.version == read_version + 1
    assert referral.rag_history.count() == 1
    assert referral.rag_history.get().rating == referral.rag


@pytest.mark.django_db(transaction=True)
def test_referrals_recorded_at_the_same_time_get_different_references(cast):
    references = []
    # The first of last month: always a year with no referral yet in this test, within the back-dating limit.
    received = (timezone.localtime() - timedelta(days=31)).replace(
        day=1, hour=10, minute=0, second=0, microsecond=0
    )

    def record():
        references.append(make_referral(by=cast.triage, received_at=received).reference)

    assert _run_together(*[record] * 4) == []
    assert sorted(references) == [f"MASH-{received.year}-{n:06d}" for n in range(1, 5)]
