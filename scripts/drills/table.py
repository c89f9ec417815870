"""The verdict of each drill against issue 14's 'Done when', and the table of all of them."""

import math

from scripts.drills.measure import Outcome

IN_APP_WITHIN = 5.0  # seconds from commit to the inbox, whatever SMTP does
WORKER_BACK_WITHIN = 30.0  # seconds after Redis returns
REQUEST_WITHIN = 2.0  # seconds for a request while the broker is frozen


def failures(o: Outcome) -> list[str]:
    found = []
    if o.expected == 0:
        found.append("nothing was written")
    if o.lost:
        found.append(f"{o.lost} lost")
    if o.duplicate_in_app:
        found.append(f"{o.duplicate_in_app} duplicate in-app")
    if o.duplicate_emails > o.duplicates_allowed:
        found.append(f"{o.duplicate_emails} duplicate e-mails (at most {o.duplicates_allowed})")
    if o.in_app_latency is not None and o.in_app_latency > IN_APP_WITHIN:
        found.append(f"in-app later than {IN_APP_WITHIN:.0f} s")
    if o.request_errors:
        found.append(f"{o.request_errors} request errors")
    if o.judge_worker_back and (o.worker_back is None or o.worker_back > WORKER_BACK_WITHIN):
        found.append(f"worker not back within {WORKER_BACK_WITHIN:.0f} s")
    if o.judge_requests and (o.slowest_request or 0) > REQUEST_WITHIN:
        found.append(f"a request slower than {REQUEST_WITHIN:.0f} s")
    return found


def seconds(value: float | None, *, never: str = "never") -> str:
    if value is None or math.isinf(value):
        return never
    return f"{value:.1f} s" if value < 120 else f"{value:.0f} s"


HEADER = (
    "drill",
    "expected",
    "delivered once",
    "lost",
    "duplicate e-mails (allowed)",
    "duplicate in-app",
    "request errors",
    "slowest request",
    "in-app latency (max)",
    "recovery time",
    "worker back",
    "result",
)


def row(o: Outcome) -> list[str]:
    found = failures(o)
    return [
        o.drill,
        str(o.expected),
        str(o.delivered_once),
        str(o.lost),
        f"{o.duplicate_emails} ({o.duplicates_allowed})",
        str(o.duplicate_in_app),
        f"{o.request_errors} of {o.requests}",
        seconds(o.slowest_request, never="-"),
        seconds(o.in_app_latency, never="never" if o.in_app_latency else "-"),
        seconds(o.recovery, never="not within the cap"),
        seconds(o.worker_back, never="never") if o.judge_worker_back else "-",
        "PASS" if not found else "FAIL: " + "; ".join(found),
    ]


def markdown(outcomes: list[Outcome]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    lines += ["| " + " | ".join(row(o)) + " |" for o in outcomes]
    lines.append("")
    lines += [f"- **{o.drill}**: {'; '.join([o.fault, *o.notes])}." for o in outcomes]
    return "\n".join(lines) + "\n"


def plain(outcomes: list[Outcome]) -> str:
    """The same table for a terminal: aligned columns."""
    rows = [list(HEADER)] + [row(o) for o in outcomes]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(r[:-1], widths, strict=True)) + "  " + r[-1]
        for r in rows
    )
