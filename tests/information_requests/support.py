"""Small helpers shared by the information request tests: asking, answering, reading notifications."""

from mash.notifications.models import Channel, Notification
from referrals import services
from referrals.models import InformationRequest
from referrals.requests import services as request_services
from referrals.requests.services import EntryInput, RequestInput
from referrals.services import SubjectInput
from tests.factories import PersonFactory


def referral_in_gathering(cast, *people, rating="red", **fields):
    """A referral about ``people`` (the first the subject, the others siblings), rated and moved to
    information gathering through the services."""
    values = {
        "kind": "child",
        "channel": "phone",
        "referrer_name": "Mrs Price",
        "account": "Bruising seen at school.",
        "concerns": ["physical"],
        "consent": "given",
    }
    values.update(fields)
    subjects = [SubjectInput(person=people[0])] + [SubjectInput(person=p, role="sibling") for p in people[1:]]
    referral = services.referral_create(by=cast.triage, subjects=subjects, **values)
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    services.referral_rate(referral=referral, by=cast.triage, rating=rating, rationale="Injury to a child.")
    services.referral_transition(referral=referral, by=cast.triage, to_state="information_gathering")
    referral.refresh_from_db()
    return referral


def ask(referral, by, *agencies, questions="What do you know about this family?") -> list[InformationRequest]:
    return request_services.information_requests_send(
        referral=referral,
        by=by,
        requests=[RequestInput(agency=agency, questions=questions) for agency in agencies],
    )


def subjects_of(referral) -> list:
    return [link.person for link in referral.subjects.select_related("person").order_by("pk")]


def police_entry(person, **fields) -> EntryInput:
    values = {
        "source_system": "PNC",
        "summary": "Arrested for assault, 2024",
        "source_evaluation": "1",
        "intelligence_assessment": "B",
        "handling_code": "P",
    }
    values.update(fields)
    return EntryInput(person_id=person.pk, **values)


def health_entry(person, **fields) -> EntryInput:
    values = {"source_system": "SystmOne", "summary": "Missed three immunisation appointments"}
    values.update(fields)
    return EntryInput(person_id=person.pk, **values)


def nothing_known(person) -> EntryInput:
    return EntryInput(person_id=person.pk, nothing_known=True)


def answer(request, by, *, submit=True) -> InformationRequest:
    """Answer for every subject (a graded entry for the first, 'nothing known' for the others)."""
    people = subjects_of(request.referral)
    first = police_entry if request.agency.kind == "police" else health_entry
    request_services.response_entry_add(request=request, by=by, data=first(people[0]))
    for person in people[1:]:
        request_services.response_entry_add(request=request, by=by, data=nothing_known(person))
    if submit:
        return request_services.information_request_submit(request=request, by=by)
    request.refresh_from_db()
    return request


def notifications(user, event: str, channel: str | None = None):
    rows = Notification.objects.filter(recipient=user, event=event)
    return rows.filter(channel=channel) if channel else rows


def channels_of(user, event: str) -> list[str]:
    return sorted(notifications(user, event).values_list("channel", flat=True))


BOTH_CHANNELS = sorted([Channel.IN_APP, Channel.EMAIL])


def referral_in(cast, *, state: str, rag: str = "red", people=None):
    """A referral moved through the services to ``state`` (screening or information gathering)."""
    people = people or [PersonFactory()]
    referral = services.referral_create(
        by=cast.triage,
        kind="child",
        channel="phone",
        referrer_name="Mr Hughes",
        referrer_phone="01473 222222",
        account="Child left alone overnight.",
        concerns=["neglect"],
        consent="given",
        subjects=[SubjectInput(person=people[0])]
        + [SubjectInput(person=p, role="sibling") for p in people[1:]],
    )
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    if rag:
        services.referral_rate(referral=referral, by=cast.triage, rating=rag, rationale="Seen by triage.")
    if state == "information_gathering":
        services.referral_transition(referral=referral, by=cast.triage, to_state="information_gathering")
    referral.refresh_from_db()
    return referral
