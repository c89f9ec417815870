from datetime import time

from django.db import models
from django.db.models import Q
from django.utils import timezone

from mash.common.dates import format_datetime
from mash.common.models import TimeStampedModel


class WorkingPattern(TimeStampedModel):
    """MASH working hours (reference data). The calendar reads the one marked current."""

    name = models.CharField(max_length=100, unique=True)
    is_current = models.BooleanField(default=False)
    opens_at = models.TimeField(default=time(9, 0))
    closes_at = models.TimeField(default=time(17, 0))
    monday = models.BooleanField(default=True)
    tuesday = models.BooleanField(default=True)
    wednesday = models.BooleanField(default=True)
    thursday = models.BooleanField(default=True)
    friday = models.BooleanField(default=True)
    saturday = models.BooleanField(default=False)
    sunday = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_current", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="clocks_one_current_pattern"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="clocks_pattern_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.opens_at:%H:%M}-{self.closes_at:%H:%M})"

    @property
    def weekdays(self) -> frozenset[int]:
        flags = [
            self.monday,
            self.tuesday,
            self.wednesday,
            self.thursday,
            self.friday,
            self.saturday,
            self.sunday,
        ]
        return frozenset(day for day, on in enumerate(flags) if on)


class ClockBasis(models.TextChoices):
    WORKING_HOURS = "working_hours", "Working hours"
    WORKING_DAYS = "working_days", "Working days"
    CALENDAR_HOURS = "calendar_hours", "Hours"
    CALENDAR_DAYS = "calendar_days", "Calendar days"
    # 0: by the close of the working day the clock starts in ('the same working day'); n: n days on.
    END_OF_WORKING_DAY = "end_of_working_day", "End of the working day (plus working days)"


# The bases counted in MASH working hours; the others count every hour of every day.
WORKING_BASES = frozenset({ClockBasis.WORKING_HOURS, ClockBasis.WORKING_DAYS, ClockBasis.END_OF_WORKING_DAY})


class Clock(TimeStampedModel):
    """One deadline: when it started, when it is due, when it stopped, whether it was met.

    Every deadline in the system is a Clock, so timeliness can be measured in one place.
    """

    kind = models.CharField(max_length=64, help_text="What the clock times, e.g. 'referral decision'.")
    basis = models.CharField(max_length=24, choices=ClockBasis.choices)
    amount = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(
        null=True, blank=True, help_text="When the breach was recorded (by the sweep or on stopping late)."
    )

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("started_at")), name="clocks_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=True) | Q(stopped_at__gte=models.F("started_at")),
                name="clocks_stop_after_start",
            ),
        ]
        indexes = [
            # The breach sweep: running clocks past due with no breach recorded yet.
            models.Index(
                fields=["due_at"],
                condition=Q(stopped_at__isnull=True, breached_at__isnull=True),
                name="clocks_running_unbreached",
            ),
            # The timeliness dashboard: the clocks due in a period (a range of due_at), and the running
            # ones due by tonight (overdue now and due today, whose breach is already recorded).
            models.Index(fields=["due_at", "kind"], name="clocks_due_kind"),
            models.Index(fields=["due_at"], condition=Q(stopped_at__isnull=True), name="clocks_running"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: due {format_datetime(self.due_at)}"

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None

    @property
    def met(self) -> bool | None:
        """True or False once stopped; None while running."""
        if self.stopped_at is None:
            return None
        return self.stopped_at <= self.due_at

    @property
    def counts_working_time(self) -> bool:
        """A working clock counts only MASH working hours (its time left, its text); any other clock
        counts elapsed time."""
        return self.basis in WORKING_BASES

    def is_breached(self, now=None) -> bool:
        end = self.stopped_at or now or timezone.now()
        return end > self.due_at
