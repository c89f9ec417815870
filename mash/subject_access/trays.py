"""Subject access's section of the work tray (mash/common/trays.py): for information governance, the
open requests with their clocks, the overdue first (they are the soonest due)."""

from django.urls import reverse
from django.utils import timezone

from mash.agencies.policy import is_information_governance
from mash.clocks.calendar import describe_clock
from mash.common import trays
from mash.common.dates import format_date
from mash.subject_access import selectors


def subject_access_section(context: trays.Context) -> trays.Section:
    rows = selectors.open_requests()
    total = rows.count()
    first = list(rows[: context.top]) if total else []
    overdue = rows.filter(final_due__lt=timezone.localdate(context.now)).count() if total else 0
    url = reverse("subject_access:list")
    return trays.Section(
        title="Subject access requests",
        total=total,
        counts=[
            trays.Count("open", total, f"{url}?state=open"),
            trays.Count("overdue", overdue, f"{url}?state=open", late=bool(overdue)),
        ],
        lines=[
            trays.Line(
                title=sar.reference,
                url=reverse("subject_access:detail", args=[sar.pk]),
                detail=f"{sar.get_state_display()}; due {format_date(sar.final_due_on)}",
                due=describe_clock(sar.current_clock, now=context.now, calendar=context.calendar),
                **trays.late(sar.current_clock, context.now),
            )
            for sar in first
        ],
        see_all=f"{url}?state=open",
        see_all_label=f"See all {total} open subject access requests",
    )


trays.register(trays.Tray("subject_access", is_information_governance, subject_access_section, 80))
