"""The missing persons app's sections of the work tray (mash/common/trays.py): the data
administrator's open episodes, the highest risk first, and the return home interviews due."""

from django.db.models import Count, Q
from django.urls import reverse

from mash.clocks.calendar import describe_clock
from mash.common import trays
from mash.common.dates import format_datetime
from missing_persons import policy, selectors
from missing_persons.models import Risk


def _title(episode) -> str:
    return episode.police_reference or f"Episode {episode.pk}"


def episodes_section(context: trays.Context) -> trays.Section:
    """Who is missing now: how many at each risk, and the highest risk, longest missing, first."""
    missing = selectors.open_by_risk(context.user)
    by_risk = dict(missing.order_by().values_list("risk").annotate(n=Count("pk")))
    total = sum(by_risk.values())
    first = list(missing[: context.top]) if total else []
    url = reverse("missing_persons:dashboard")
    return trays.Section(
        title="Missing now",
        total=total,
        counts=[
            trays.Count(f"{risk.label.lower()} risk", by_risk.get(risk.value, 0), url, late=risk == Risk.HIGH)
            for risk in reversed(Risk)
            if by_risk.get(risk.value)
        ],
        lines=[
            trays.Line(
                title=_title(e),
                url=reverse("missing_persons:episode", args=[e.pk]),
                detail=f"{e.person.full_name}, {e.get_risk_display().lower()} risk",
                due=f"Missing since {format_datetime(e.reported_at)}",
                late=e.risk == Risk.HIGH,
                tag="High risk",
            )
            for e in first
        ],
        see_all=url,
        see_all_label=f"See all {total} open episodes",
    )


def interviews_section(context: trays.Context) -> trays.Section:
    """Returns awaiting their return home interview, the soonest due (so the overdue) first."""
    now = context.now
    due = selectors.interviews_due(context.user)
    counts = due.order_by().aggregate(
        total=Count("pk"),
        late=Count("pk", filter=Q(clock__due_at__lte=now) | Q(clock__breached_at__isnull=False)),
    )
    first = list(due[: context.top]) if counts["total"] else []
    url = reverse("missing_persons:dashboard")
    return trays.Section(
        title="Return home interviews due",
        total=counts["total"],
        counts=[
            trays.Count("due", counts["total"], url),
            trays.Count("overdue", counts["late"], url, late=bool(counts["late"])),
        ],
        lines=[
            trays.Line(
                title=_title(i.episode),
                url=reverse("missing_persons:episode", args=[i.episode_id]),
                detail=f"{i.episode.person.full_name}: interview {i.get_status_display().lower()}"
                + (f", by {i.agency.name}" if i.agency_id else ""),
                due=f"Interview {describe_clock(i.clock, now=now, calendar=context.calendar)}",
                **trays.late(i.clock, now),
            )
            for i in first
        ],
        see_all=url,
        see_all_label=f"See all {counts['total']} interviews due",
    )


trays.register(
    trays.Tray("missing", policy.may_administer, episodes_section, 60),
    trays.Tray("interviews", policy.may_administer, interviews_section, 61),
)
