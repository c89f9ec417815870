"""What a row of the two busiest lists shows, read from its records once: the triage queue
(referrals/queue.html) and the agency inbox (referrals/agency_inbox.html).

A template resolves ``{{ row.reference }}`` on a dictionary in one step; on a model it first tries the
row as a dictionary (an exception), then walks the attribute, and ``referral.decision_clock.due_at`` or
``get_state_display`` a step at a time again for every row. A page of 50 rows took 5.3 ms to render from
the models and 3.6 ms from these, building them included (issue 19, 2026-12-06), and these two pages
are most of what the MASH asks of the server. What each row says is the template's, as before: the
dates are formatted there, the words are the models' labels, and nothing here is HTML.
"""

from collections.abc import Iterable

from mash.common.models import choice_label
from referrals.models import ReferralSubject, SubjectRole


def queue_rows(
    referrals: Iterable, due: dict[int, str], subjects: dict[int, list[tuple[str, str]]]
) -> list[dict]:
    """The queue's rows: ``referrals`` read with ``selectors.QUEUE_ROW``; ``due`` the decision clock's
    words for each (``selectors.due_descriptions``), ``subjects`` their subjects' names and roles
    (``selectors.subject_names_for``)."""
    return [
        {
            "pk": referral.pk,
            "reference": referral.reference,
            "kind": referral.get_kind_display(),
            "received_at": referral.received_at,
            "subjects": [{"name": name, "role": _role(role)} for name, role in subjects[referral.pk]],
            "state": referral.get_state_display(),
            "rag": referral.rag,
            "rag_label": referral.get_rag_display(),
            "assigned_to": referral.assigned_to.get_full_name() if referral.assigned_to else "",
            "due": due[referral.pk],
            "late": "overdue" in due[referral.pk] or due[referral.pk] == "decided late",
            "due_at": referral.decision_clock.due_at,
        }
        for referral in referrals
    ]


def _role(role: str) -> str:
    """Nothing for the referral's subject; for anyone else their role, as the queue puts it after the
    name: 'sibling'."""
    return "" if role == SubjectRole.SUBJECT else choice_label(ReferralSubject, "role", role).lower()


def inbox_rows(requests: Iterable, due: dict[int, str]) -> list[dict]:
    """The inbox's rows: ``requests`` read with the inbox's columns (``requests.views.INBOX_ROW``);
    ``due`` the request clock's words for each."""
    return [
        {
            "pk": request.pk,
            "reference": request.referral.reference,
            "rag": request.referral.rag,
            "rag_label": request.referral.get_rag_display(),
            "assigned_to": request.assigned_to.get_full_name() if request.assigned_to else "",
            "due": due[request.pk],
            "late": "overdue" in due[request.pk],
            "due_at": request.clock.due_at,
        }
        for request in requests
    ]
