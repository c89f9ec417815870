"""The sharing app's section of the work tray (mash/common/trays.py): for information governance, the
break-glass openings waiting for review, the longest waiting first."""

from django.urls import reverse

from mash.agencies.policy import is_information_governance
from mash.common import trays
from mash.common.dates import format_datetime
from mash.sharing import selectors


def break_glass_section(context: trays.Context) -> trays.Section:
    queue = selectors.break_glass_review_queue()
    total = queue.count()
    first = list(queue[: context.top]) if total else []
    url = reverse("sharing:break_glass_reviews")
    return trays.Section(
        title="Break-glass openings to review",
        total=total,
        counts=[trays.Count("to review", total, url, late=bool(total))],
        lines=[
            trays.Line(
                title=a.object_repr or f"{a.content_type.name} {a.object_id}",
                url=reverse("sharing:break_glass_review", args=[a.pk]),
                detail=f"Opened by {a.user.get_full_name() or a.user.get_username()}",
                due=f"Opened {format_datetime(a.opened_at)}",
            )
            for a in first
        ],
        see_all=url,
        see_all_label=f"See all {total} break-glass openings to review",
    )


trays.register(trays.Tray("break_glass", is_information_governance, break_glass_section, 90))
