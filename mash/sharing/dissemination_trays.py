"""The work tray's sections for sharing outside the MASH (mash/common/trays.py): for a decision maker or
MASH manager, the items of their agency waiting for their decision; for information governance, the
requests still awaiting approval."""

from django.urls import reverse

from mash.agencies.policy import is_information_governance
from mash.common import trays
from mash.common.dates import format_datetime
from mash.sharing import dissemination, governance
from mash.sharing import dissemination_selectors as selectors


def approvals_section(context: trays.Context) -> trays.Section:
    waiting = selectors.items_waiting_for(context.user)
    total = waiting.count()
    first = list(waiting[: context.top]) if total else []
    url = reverse("sharing:dissemination_requests") + "?waiting=1"
    return trays.Section(
        title="Information to approve for sharing outside the MASH",
        total=total,
        counts=[trays.Count("waiting for your decision", total, url)],
        lines=[
            trays.Line(
                title=f"{item.request.reference}: {item.kind}",
                url=reverse("sharing:dissemination_request", args=[item.request_id]),
                detail=f"To {item.request.recipient_organisation}",
                due=f"Asked {format_datetime(item.request.requested_at)}",
            )
            for item in first
        ],
        see_all=url,
        see_all_label=f"See all {total} items waiting for your decision",
    )


def governance_section(context: trays.Context) -> trays.Section:
    queue = selectors.awaiting_approval()
    total = queue.count()
    first = list(queue[: context.top]) if total else []
    url = reverse("sharing:dissemination_requests") + "?state=awaiting"
    return trays.Section(
        title="Dissemination requests awaiting approval",
        total=total,
        counts=[trays.Count("awaiting approval", total, url)],
        lines=[
            trays.Line(
                title=f"{r.reference}: {r.object_repr}",
                url=reverse("sharing:dissemination_request", args=[r.pk]),
                detail=f"To {r.recipient_organisation}",
                due=f"Asked {format_datetime(r.requested_at)}",
            )
            for r in first
        ],
        see_all=url,
        see_all_label=f"See all {total} requests awaiting approval",
    )


trays.register(
    trays.Tray("dissemination_approvals", dissemination.is_approver, approvals_section, 85),
    trays.Tray("dissemination_requests", is_information_governance, governance_section, 95),
)

governance.register_page(
    governance.Page(
        title="Dissemination requests",
        url_name="sharing:dissemination_requests",
        description="Requests to share information outside the MASH, each item approved by its owner agency.",
        order=45,
    )
)
