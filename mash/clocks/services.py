from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mash.clocks.calendar import due_after
from mash.clocks.models import Clock


@transaction.atomic
def clock_start(*, kind: str, basis: str, amount: int, started_at: datetime | None = None) -> Clock:
    started_at = started_at or timezone.now()
    due_at = due_after(started_at, **{basis: amount})
    clock = Clock(kind=kind, basis=basis, amount=amount, started_at=started_at, due_at=due_at)
    clock.full_clean()
    clock.save()
    return clock


@transaction.atomic
def clock_stop(*, clock: Clock, stopped_at: datetime | None = None) -> Clock:
    """Stop a running clock; a late stop records the breach. Stopping twice changes nothing."""
    stopped_at = stopped_at or timezone.now()
    Clock.objects.filter(pk=clock.pk, stopped_at__isnull=True).update(stopped_at=stopped_at)
    # Judge the breach by the stop that counts (the first), so a second stop changes nothing.
    Clock.objects.filter(pk=clock.pk, breached_at__isnull=True, due_at__lt=F("stopped_at")).update(
        breached_at=F("stopped_at")
    )
    clock.refresh_from_db()
    return clock


def record_breaches(*, now: datetime | None = None) -> int:
    """Mark running clocks that have passed their due time. Safe to run as often as beat likes."""
    now = now or timezone.now()
    return Clock.objects.filter(stopped_at__isnull=True, breached_at__isnull=True, due_at__lt=now).update(
        breached_at=now
    )
