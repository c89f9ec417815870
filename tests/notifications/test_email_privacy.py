"""E-mail is not secure: no e-mail names a person or quotes what a user typed (docs/design.md, the
information sharing protocol). Every notification the scenario sends (tests/sharing/scenario.py: one
record of every case model in every state worth showing, built through the services) is read: an
e-mail's title and body hold no person's name and no free text of any case record, while the in-app
copy of the same notice keeps what the user typed."""

import re

import pytest
from django.contrib.auth import get_user_model

from mash.agencies.models import Agency
from mash.notifications.models import Channel, Notification
from mash.notifications.services import SIGN_IN_FOR_DETAIL
from mash.people.models import Person
from referrals.models import TimelineEvent
from tests.sharing import markers, scenario

pytestmark = pytest.mark.django_db

# Free text that is not about a person and that a notice needs, and why.
NEEDED = {
    "reference": "the case's reference: how the recipient finds it",
    "police_reference": "the police report's reference",
    "referrer_name": "the referrer is the feedback's recipient ('Dear ...')",
    "location": "where a strategy discussion meets: the invitation's purpose (and its calendar entry's)",
}


def typed_text() -> dict[str, str]:
    """Every free-text value of every case record, by where it is (``Model.field``), but for the
    values a notice needs (NEEDED: the same text in another field too, e.g. the referrer who decided
    consent) and the agencies' names (a notice names agencies: an organisation typed as 'Constabulary'
    is not about a person). The timeline is the system's own log: what users type into it is kept in
    the record's own fields too, which are read here."""
    needed, found = set(), {}
    for model in markers.content_models():
        if model is TimelineEvent:
            continue
        fields = markers.free_text_fields(model)
        for row in model._default_manager.values(*fields):
            for name, value in row.items():
                value = (value or "").strip()
                if name in NEEDED:
                    needed.add(value)
                elif len(value) >= 8:
                    found[value] = f"{model.__name__}.{name}"
    agencies = " ".join(Agency.objects.values_list("name", flat=True))
    return {value: where for value, where in found.items() if value not in needed and value not in agencies}


def test_no_email_names_a_person_or_quotes_what_a_user_typed(cast):
    scenario.build(cast)
    emails = list(Notification.objects.filter(channel=Channel.EMAIL))
    # The kinds the scenario sends: every notice of the case apps that can go by e-mail.
    assert {n.event for n in emails} >= {
        "disclosure.assigned",
        "disclosure.package_submitted",
        "disclosure.package_returned",
        "information_request.sent",
        "information_request.answered",
        "information_request.addendum",
        "missing_person.repeat",
        "information_request.withdrawn",
        "strategy_discussion.invitation",
        "strategy_action.assigned",
        "referral.feedback",
    }
    # A person's names, but for those a member of staff or an agency's name shares (a notice names its
    # chair and agencies, whose words the factories may also give a subject): those are there for them.
    staff = {n for u in get_user_model().objects.all() for n in (u.first_name, u.last_name)}
    staff |= {w for name in Agency.objects.values_list("name", flat=True) for w in re.findall(r"\w+", name)}
    names = {n for p in Person.objects.all() for n in (p.given_name, p.family_name) if len(n) > 1} - staff
    assert names, "the scenario names people"
    typed = typed_text()
    problems = []
    for email in emails:
        text = f"{email.title}\n{email.body}"
        problems += [
            f"{email.event}: names {name!r}"
            for name in names
            if re.search(rf"\b{re.escape(name)}\b", text, re.I)
        ]
        problems += [
            f"{email.event}: quotes {where} {value!r}" for value, where in typed.items() if value in text
        ]
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_inbox_keeps_what_the_email_leaves_out(cast):
    withdrawn = scenario.build(cast).withdrawn
    withdrawn.refresh_from_db()
    rows = Notification.objects.filter(event="information_request.withdrawn", subject_id=str(withdrawn.pk))
    in_app, email = rows.get(channel=Channel.IN_APP), rows.get(channel=Channel.EMAIL)
    assert withdrawn.withdrawal_reason in in_app.body
    assert withdrawn.withdrawal_reason not in email.body and SIGN_IN_FOR_DETAIL in email.body
