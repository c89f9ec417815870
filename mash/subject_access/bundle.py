"""The response bundle (a PDF, mash/common/pdf.py): the covering letter, the items released (a redacted
item shows its text as released, or '[Redacted: <exemption>]' when redacted whole), the number of items
withheld under each exemption (never what they are), and who has looked at the person's records (the
agencies and the dates). Produced only once every flagged item is decided (services.TRANSITIONS)."""

from collections import Counter

from django.utils import timezone

from mash.common.pdf import render_pdf
from mash.subject_access.models import Decision, Exemption, Source, SubjectAccessRequest


def context(sar: SubjectAccessRequest) -> dict:
    released, looked, withheld = [], [], Counter()
    exemptions = dict(Exemption.choices)
    for item in sar.items.order_by("position"):
        if item.decision == Decision.WITHHOLD:
            withheld[exemptions.get(item.exemption, "")] += 1
            continue
        shown = {
            "item": item,
            "redacted_whole": item.decision == Decision.REDACT and not item.redacted_text,
            "text": item.redacted_text if item.decision == Decision.REDACT else item.text,
            "exemption": exemptions.get(item.exemption, ""),
        }
        (looked if item.source == Source.ACCESS else released).append(shown)
    return {
        "title": "Response to your subject access request",
        "reference": sar.reference,
        "sar": sar,
        "released": released,
        "looked": looked,
        "withheld": sorted(withheld.items()),
        "withheld_total": sum(withheld.values()),
        "redacted_total": sum(1 for shown in released + looked if shown["item"].decision == Decision.REDACT),
        "today": timezone.localdate(),
    }


def render(sar: SubjectAccessRequest) -> bytes:
    return render_pdf("subject_access/bundle.pdf.html", context(sar))
