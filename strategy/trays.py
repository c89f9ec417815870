"""The strategy app's sections of the work tray (mash/common/trays.py): the decision makers' threshold
decisions, the discussions held today and the user's actions."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from mash.common import trays
from mash.common.dates import format_date, format_datetime
from referrals import selectors as referral_selectors
from strategy import policy, selectors
from strategy.models import DiscussionStatus


def _subjects(referral) -> str:
    return ", ".join(link.person.full_name for link in referral.subjects.all())


def threshold_section(context: trays.Context) -> trays.Section:
    """Referrals awaiting a threshold decision, the decision due first, and those waiting to be convened."""
    user, now = context.user, context.now
    queue = selectors.threshold_queue(user)
    total = queue.count()
    late = queue.filter(
        Q(decision_clock__stopped_at__isnull=True, decision_clock__due_at__lte=now)
        | Q(decision_clock__breached_at__isnull=False)
    ).count()
    convening = selectors.awaiting_discussion(user).exclude(discussions__status=DiscussionStatus.SCHEDULED)
    first = list(queue[: context.top]) if total else []
    due = referral_selectors.due_descriptions(first, now=now, calendar=context.calendar)
    url = reverse("strategy:queue")
    return trays.Section(
        title="Threshold decisions",
        total=total,
        counts=[
            trays.Count("awaiting a threshold decision", total, url),
            trays.Count("past the decision deadline", late, url, late=bool(late)),
            trays.Count("to convene a strategy discussion for", convening.count(), url),
        ],
        lines=[
            trays.Line(
                title=r.reference,
                url=reverse("strategy:threshold", args=[r.pk]),
                detail=_subjects(r) + (f", {r.get_rag_display()}" if r.rag else ""),
                due=f"Decision {due[r.pk]}",
                **trays.late(r.decision_clock, now),
            )
            for r in first
        ],
        see_all=url,
        see_all_label=f"See all {total} awaiting a threshold decision",
    )


def _today(now) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(timezone.localtime(now).date(), time.min))
    return start, start + timedelta(days=1)


def discussions_section(context: trays.Context) -> trays.Section:
    """The scheduled discussions the user may see from today on, the earliest first, and how many are
    held today."""
    start, end = _today(context.now)
    upcoming = (
        selectors.discussions_for(context.user, status=DiscussionStatus.SCHEDULED)
        .filter(scheduled_at__gte=start)
        .order_by("scheduled_at", "pk")
    )
    counts = upcoming.aggregate(total=Count("pk"), today=Count("pk", filter=Q(scheduled_at__lt=end)))
    first = list(upcoming[: context.top]) if counts["total"] else []
    url = reverse("strategy:discussions")
    return trays.Section(
        title="Strategy discussions",
        total=counts["total"],
        counts=[
            trays.Count("today", counts["today"], url),
            trays.Count("scheduled from today on", counts["total"], url),
        ],
        lines=[
            trays.Line(
                title=f"Strategy discussion of {d.referral.reference}",
                url=reverse("strategy:discussion", args=[d.pk]),
                detail=f"{d.get_mode_display()}, chaired by {d.chair.get_full_name() or d.chair}",
                due=_when(d.scheduled_at, start, end),
            )
            for d in first
        ],
        see_all=url,
        see_all_label="See every strategy discussion",
    )


def _when(at, start, end) -> str:
    at = timezone.localtime(at)
    return f"Today at {at:%H:%M}" if start <= at < end else format_datetime(at)


def actions_section(context: trays.Context) -> trays.Section:
    """The user's open actions (and their agency's, named for no one), the earliest due first."""
    today = timezone.localtime(context.now).date()
    actions = selectors.actions_for(context.user)
    counts = actions.order_by().aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    first = list(actions[: context.top]) if counts["total"] else []
    url = reverse("strategy:actions")
    return trays.Section(
        title="My actions",
        total=counts["total"],
        counts=[
            trays.Count("open", counts["total"], url),
            trays.Count("overdue", counts["overdue"], url, late=bool(counts["overdue"])),
        ],
        lines=[
            trays.Line(
                title=a.description,
                url=reverse("strategy:discussion", args=[a.discussion_id]),
                detail=f"From the strategy discussion of {a.discussion.referral.reference}",
                due=f"Due {format_date(a.due_on)}",
                late=a.due_on < today,
            )
            for a in first
        ],
        see_all=url,
        see_all_label=f"See all {counts['total']} of your open actions",
    )


trays.register(
    trays.Tray("threshold", policy.may_decide_threshold, threshold_section, 30),
    trays.Tray("discussions", policy.may_list_discussions, discussions_section, 40),
    trays.Tray("actions", policy.may_list_discussions, actions_section, 50),
)
