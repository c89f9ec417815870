"""The referrals app's sections of the work tray (mash/common/trays.py): the triage practitioner's open
referrals, the decision due first at the top, and a partner agency's information requests."""

from django.db.models import Count, Q
from django.urls import reverse

from mash.clocks.calendar import describe_clock
from mash.common import trays
from referrals import policy, selectors
from referrals.requests.selectors import agency_inbox_for


def _subjects(referral) -> str:
    return ", ".join(link.person.full_name for link in referral.subjects.all())


def triage_section(context: trays.Context) -> trays.Section:
    """Open referrals, the decision due first (so the overdue first), and how many are past it."""
    user, now = context.user, context.now
    total = selectors.queue_counts_for(user)["total"]
    late = selectors.referral_queue_for(user, breached=True, now=now).count()
    first = list(selectors.referral_queue_for(user, now=now)[: context.top]) if total else []
    due = selectors.due_descriptions(first, now=now, calendar=context.calendar)
    queue = reverse("referrals:queue")
    return trays.Section(
        title="Referrals",
        total=total,
        counts=[
            trays.Count("open", total, queue),
            trays.Count("past the decision deadline", late, f"{queue}?breached=on", late=bool(late)),
        ],
        lines=[
            trays.Line(
                title=r.reference,
                url=reverse("referrals:detail", args=[r.pk]),
                detail=f"{_subjects(r)}: {r.get_state_display()}"
                + (f", {r.get_rag_display()}" if r.rag else ", not rated"),
                due=f"Decision {due[r.pk]}",
                **trays.late(r.decision_clock, now),
            )
            for r in first
        ],
        see_all=queue,
        see_all_label=f"See all {total} open referrals",
    )


def requests_section(context: trays.Context) -> trays.Section:
    """The agency's open requests: those no one has claimed and the user's own, the soonest due first."""
    user, now = context.user, context.now
    inbox = agency_inbox_for(user)
    counts = inbox.order_by().aggregate(
        total=Count("pk"),
        unclaimed=Count("pk", filter=Q(assigned_to__isnull=True)),
        mine=Count("pk", filter=Q(assigned_to=user)),
    )
    waiting = inbox.filter(Q(assigned_to__isnull=True) | Q(assigned_to=user))
    first = list(waiting[: context.top]) if counts["unclaimed"] + counts["mine"] else []
    url = reverse("referrals:agency_inbox")
    return trays.Section(
        title="Information requests to your agency",
        total=counts["total"],
        counts=[
            trays.Count("unclaimed", counts["unclaimed"], url),
            trays.Count("yours in progress", counts["mine"], url),
        ],
        lines=[
            trays.Line(
                title=f"Request about {r.referral.reference}",
                url=reverse("referrals:request", args=[r.pk]),
                detail="Yours, in progress" if r.assigned_to_id == user.pk else "Not claimed",
                due=describe_clock(
                    r.clock,
                    now=now,
                    calendar=context.calendar,
                    met="answered in time",
                    missed="answered late",
                ),
                **trays.late(r.clock, now),
            )
            for r in first
        ],
        see_all=url,
        see_all_label=f"See all {counts['total']} open requests to your agency",
    )


trays.register(
    trays.Tray("referrals", policy.may_triage, triage_section, 10),
    trays.Tray("requests", policy.may_answer_requests, requests_section, 20),
)
