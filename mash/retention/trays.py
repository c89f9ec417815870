"""The retention section of the work tray (mash/common/trays.py): for information governance, the
records due for a retention review, by kind."""

from django.urls import reverse
from django.utils import timezone

from mash.agencies.policy import is_information_governance
from mash.common import trays
from mash.retention import selectors


def retention_section(context: trays.Context) -> trays.Section:
    summaries = selectors.queue_summary(timezone.localdate(context.now))
    total = sum(s.due for s in summaries)
    url = reverse("retention:queue")
    return trays.Section(
        title="Records due for a retention review",
        total=total,
        counts=[trays.Count(s.kind.label, s.due, f"{url}?kind={s.kind.key}") for s in summaries if s.due],
        lines=[],
        see_all=url,
        see_all_label=f"See all {total} records due for a retention review",
    )


trays.register(trays.Tray("retention", is_information_governance, retention_section, 95))
