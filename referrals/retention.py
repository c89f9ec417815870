"""The referrals app's kinds of record for retention (mash/retention/registry.py; docs/retention.md):
closed referrals (no further action, or another outcome) and consultation calls that did not become
referrals. A referral's erasure takes everything under it: its subjects' links, timeline, ratings,
information requests and every agency's answers, and the consultation call it came from."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from mash.retention.registry import RetentionKind, register_kind
from referrals.models import (
    Consultation,
    InformationRequest,
    Outcome,
    RagRating,
    Referral,
    ReferralSubject,
    ResponseEntry,
    State,
    TimelineEvent,
)

CLOSED_FROM = "the date the referral was closed"


def _closed():
    return Referral.objects.filter(state=State.CLOSED, closed_at__isnull=False)


def erase_referral(referral: Referral, scrub) -> None:
    scrub.rows(Referral.objects.filter(pk=referral.pk), keep=("reference",))
    scrub.rows(ReferralSubject.objects.filter(referral=referral))
    scrub.rows(TimelineEvent.objects.filter(referral=referral))
    scrub.rows(RagRating.objects.filter(referral=referral))
    scrub.rows(InformationRequest.objects.filter(referral=referral))
    entries = ResponseEntry.objects.filter(request__referral=referral)
    scrub.rows(entries)
    consultations = Consultation.objects.filter(referral=referral)
    scrub.rows(consultations)
    scrub.link_people(ReferralSubject.objects.filter(referral=referral).values_list("person_id", flat=True))
    scrub.link_people(entries.values_list("person_id", flat=True))
    scrub.link_people(consultations.values_list("person_id", flat=True))


def describe_referral(referral: Referral) -> str:
    outcome = referral.get_outcome_display() if referral.outcome else "no outcome"
    return f"{referral.get_kind_display().lower()} referral, {outcome}, closed"


def referrals_of_people(ids):
    ids = list(ids)
    return Referral.objects.filter(
        Q(subjects__person__in=ids)
        | Q(information_requests__entries__person__in=ids)
        | Q(from_consultation__person__in=ids)
    ).distinct()


def lookup_referral(reference: str):
    return Referral.objects.filter(reference__iexact=reference).first()


def erase_consultation(consultation: Consultation, scrub) -> None:
    scrub.rows(Consultation.objects.filter(pk=consultation.pk))
    scrub.link_people([consultation.person_id])


def describe_consultation(consultation: Consultation) -> str:
    advised = "referral advised" if consultation.referral_advised else "no referral advised"
    return f"{consultation.get_kind_display().lower()}, {advised}"


def _calls():
    return Consultation.objects.filter(referral__isnull=True)


def lookup_consultation(reference: str):
    return (
        _calls().filter(pk=int(reference)).first()
        if reference.isascii() and reference.isdigit() and len(reference) < 18
        else None
    )


def register() -> None:
    common = {
        "model": Referral,
        "counted_from": CLOSED_FROM,
        "date_field": "closed_at",
        "erase": erase_referral,
        "describe": describe_referral,
        "of_people": referrals_of_people,
        "lookup": lookup_referral,
        "reference_field": "reference",
    }
    register_kind(
        RetentionKind(
            key="referral-nfa",
            label="Referrals closed with no further action",
            records=lambda: _closed().filter(outcome=Outcome.NO_FURTHER_ACTION),
            **common,
        )
    )
    register_kind(
        RetentionKind(
            key="referral-other",
            label="Referrals closed with another outcome",
            records=lambda: _closed().exclude(outcome=Outcome.NO_FURTHER_ACTION),
            **common,
        )
    )
    register_kind(
        RetentionKind(
            key="consultation",
            label="Consultation calls that did not become referrals",
            model=Consultation,
            counted_from="the date of the call",
            date_field="called_at",
            records=_calls,
            erase=erase_consultation,
            describe=describe_consultation,
            of_people=lambda ids: _calls().filter(person__in=list(ids)),
            lookup=lookup_consultation,
        )
    )


def load_demo_old_referrals(sender, users, stdout, **kwargs):
    """Two referrals closed with no further action three years ago: past the seeded period, so the
    information governance account's retention queue has work in it."""
    from referrals import services
    from referrals.services import SubjectInput

    long_ago = timezone.now() - timedelta(days=3 * 365)
    if Referral.objects.filter(closed_at__lt=long_ago + timedelta(days=1)).exists():
        return
    triage, decision = users["triage"], users["la.decision"]
    made = []
    for given, family, account in (
        ("Callum", "Archer", "A neighbour heard shouting late at night; checked and no concerns found."),
        ("Ruby", "Hollis", "Nursery noticed a bruise; explained by a fall seen by staff."),
    ):
        referral = services.referral_create(
            by=triage,
            kind="child",
            channel="phone",
            referrer_name="Demo referrer",
            account=account,
            concerns=["neglect"],
            consent="given",
            subjects=[SubjectInput(given_name=given, family_name=family, approximate_age=6)],
        )
        services.referral_transition(referral=referral, by=triage, to_state="screening")
        services.referral_record_outcome(
            referral=referral, by=decision, outcome="nfa", rationale="No safeguarding concern."
        )
        services.referral_close(referral=referral, by=triage, feedback_note="Told by phone.")
        made.append(referral.pk)
    # Demo data only: moved back in time so their period has run (a service never backdates this far).
    for days, pk in enumerate(made):
        when = long_ago - timedelta(days=days * 30)
        Referral.objects.filter(pk=pk).update(received_at=when, outcome_at=when, closed_at=when)
    stdout.write(f"Retention demo: {len(made)} referrals closed three years ago.\n")
