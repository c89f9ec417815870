"""What a drill measured, and how it is counted from the outbox rows and the sink's log."""

import math
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import InterfaceError, OperationalError, close_old_connections, connection

from mash.notifications.models import Channel, Notification, Status


@dataclass
class Outcome:
    """One drill's figures. Seconds are None when the thing never happened within the drill's cap."""

    drill: str
    fault: str
    expected: int = 0
    delivered_once: int = 0
    lost: int = 0
    duplicate_emails: int = 0
    duplicate_in_app: int = 0
    requests: int = 0
    request_errors: int = 0
    slowest_request: float | None = None
    in_app_latency: float | None = None
    recovery: float | None = None
    worker_back: float | None = None
    # What the 'Done when' allows or asks of this drill.
    duplicates_allowed: int = 0
    judge_worker_back: bool = False
    judge_requests: bool = False
    notes: list[str] = field(default_factory=list)

    def request(self, seconds: float, *, ok: bool) -> None:
        self.requests += 1
        self.request_errors += not ok
        self.slowest_request = max(self.slowest_request or 0, seconds)


def with_database(query, *, timeout: float = 120):
    """Run ``query``; while PostgreSQL is away (a drill restarts it) reconnect and try again."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            close_old_connections()
            return query()
        except (OperationalError, InterfaceError):
            connection.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def unsettled(keys) -> int:
    """Rows of these keys still to be sent (pending, or claimed and sending)."""
    return with_database(
        lambda: Notification.objects.filter(
            idempotency_key__in=list(keys), status__in=[Status.PENDING, Status.SENDING]
        ).count()
    )


def settle(keys, *, since: float, cap: float) -> float | None:
    """Poll until every row of ``keys`` is sent or failed; seconds since ``since`` (a Unix time),
    or None if rows were still unsettled ``cap`` seconds after it."""
    while unsettled(keys):
        if time.time() - since > cap:
            return None
        time.sleep(0.5)
    return time.time() - since


def count(outcome: Outcome, commits: dict[str, float], accepted: list[dict]) -> None:
    """Fill in the delivery figures: ``commits`` maps each idempotency key the drill wrote to the Unix
    time its transaction committed; ``accepted`` is the sink's log of accepted e-mails."""
    rows = with_database(
        lambda: list(
            Notification.objects.filter(idempotency_key__in=list(commits)).values(
                "pk", "channel", "status", "sent_at", "created_at", "idempotency_key", "recipient_id"
            )
        )
    )
    copies = Counter(record["message_id"] for record in accepted)
    emails = [row for row in rows if row["channel"] == Channel.EMAIL]
    in_app = [row for row in rows if row["channel"] == Channel.IN_APP]
    email_copies = [copies[f"<notification-{row['pk']}@mash.invalid>"] for row in emails]
    visible = [row for row in in_app if row["status"] == Status.SENT]
    outcome.expected = len(rows)
    outcome.delivered_once = email_copies.count(1) + len(visible)
    outcome.lost = email_copies.count(0) + len(in_app) - len(visible)
    outcome.duplicate_emails = sum(n - 1 for n in email_copies if n > 1)
    per_recipient = Counter((row["idempotency_key"], row["recipient_id"]) for row in in_app)
    outcome.duplicate_in_app = sum(n - 1 for n in per_recipient.values())
    # Commit to visible: an in-app row is in the inbox from when it is marked sent (rows written sent
    # in the caller's transaction are visible at its commit).
    latencies = [
        max(0.0, (row["sent_at"] or row["created_at"]).timestamp() - commits[row["idempotency_key"]])
        for row in visible
    ]
    if in_app:
        outcome.in_app_latency = math.inf if len(visible) < len(in_app) else max(latencies)
