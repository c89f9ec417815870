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


def queue_rows(referrals: Iterable, due: dict[int, str]) -> list[dict]:
    """The queue's rows: ``referrals`` read with ``selectors.QUEUE_ROW`` and their ``subject_links``;
    ``due`` the decision clock's words for each (``selectors.due_descriptions``)."""
    return [
        {
            "pk": referral.pk,
            "reference": referral.reference,
            "kind": referral.get_kind_display(),
            "received_at": referral.received_at,
            "subjects": [
                {
                    "name": link.person.full_name,
                    "role": "" if link.role == "subject" else link.get_role_display().lower(),
                }
                for link in referral.subject_links
            ],
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
