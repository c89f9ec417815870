"""The disclosures app's section of the work tray (mash/common/trays.py): the police disclosure team's
open applications, the most urgent first; a researcher's own research (the applications assigned to
them, at research) counted and listed first."""

from django.db.models import Case, Count, Q, When
from django.urls import reverse

from disclosures import policy, selectors
from disclosures.models import Stage
from mash.clocks.calendar import describe_clock
from mash.common import trays


def applications_section(context: trays.Context) -> trays.Section:
    now = context.now
    queue = selectors.application_queue(context.user)
    mine = Q(researcher=context.user, stage=Stage.RESEARCH)
    researcher = policy.may_research(context.actor)
    if researcher:
        queue = queue.order_by(Case(When(mine, then=0), default=1), "clock__due_at", "pk")
    counts = queue.order_by().aggregate(
        total=Count("pk"),
        mine=Count("pk", filter=mine),
        late=Count(
            "pk",
            filter=Q(clock__stopped_at__isnull=True, clock__due_at__lte=now)
            | Q(clock__breached_at__isnull=False),
        ),
    )
    first = list(queue[: context.top]) if counts["total"] else []
    url = reverse("disclosures:queue")
    return trays.Section(
        title="Disclosure applications",
        total=counts["total"],
        counts=[
            trays.Count("open", counts["total"], url),
            trays.Count("past their deadline", counts["late"], url, late=bool(counts["late"])),
        ]
        + (
            [trays.Count("yours to research", counts["mine"], f"{url}?stage={Stage.RESEARCH}")]
            if researcher
            else []
        ),
        lines=[
            trays.Line(
                title=a.reference,
                url=reverse("disclosures:application", args=[a.pk]),
                detail=", ".join(
                    [link.person.full_name for link in a.people.all() if link.role == "subject"]
                    + [a.get_stage_display()]
                ),
                due=f"Decision {describe_clock(a.clock, now=now, calendar=context.calendar)}",
                **trays.late(a.clock, now),
            )
            for a in first
        ],
        see_all=url,
        see_all_label=f"See all {counts['total']} open applications",
    )


trays.register(trays.Tray("disclosures", policy.is_disclosure_team, applications_section, 70))
