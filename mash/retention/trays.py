"""The retention section of the work tray (mash/common/trays.py): for information governance, the
records due for a retention review, by kind."""

from django.urls import reverse
from django.utils import timezone

from mash.agencies.policy import is_information_governance
from mash.common import trays
from mash.retention import selectors


def retention_section(context: trays.Context) -> trays.Section:
    counts = selectors.due_counts(timezone.localdate(context.now))
    total = sum(n for _, n in counts)
    url = reverse("retention:queue")
    return trays.Section(
        title="Records due for a retention review",
        total=total,
        counts=[trays.Count(kind.label, n, f"{url}?kind={kind.key}") for kind, n in counts if n],
        lines=[],
        see_all=url,
        see_all_label=f"See all {total} records due for a retention review",
    )


trays.register(trays.Tray("retention", is_information_governance, retention_section, 95))
