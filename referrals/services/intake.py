"""Recording a referral: its subjects, its reference and its decision clock."""

from dataclasses import dataclass, replace
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mash.agencies.selectors import actor_for
from mash.clocks.models import ClockBasis
from mash.clocks.services import clock_start
from mash.common.backdating import recorded_time_error
from mash.common.errors import RoleRefused
from mash.people.services import PersonChoice, person_resolve
from mash.people.validators import person_detail_errors
from referrals import policy as referral_policy
from referrals.models import (
    Channel,
    Concern,
    Consent,
    EventKind,
    ReferenceCounter,
    Referral,
    ReferralSubject,
    State,
    SubjectRole,
)
from referrals.services.transitions import timeline_add

DECISION_CLOCK = "referral decision"
DECISION_WORKING_DAYS = 1  # Working Together 2023: decide next steps within one working day

DUPLICATE_WINDOW_DAYS = 30


@dataclass(kw_only=True)
class SubjectInput(PersonChoice):
    """A subject of a new referral, in a role: a known person (or their id), or a new one's details."""

    role: str = SubjectRole.SUBJECT


def _next_reference(year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    ReferenceCounter.objects.filter(pk=year).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"MASH-{year}-{counter.last:06d}"


CONCERNS_MISSING = "Choose at least one concern category."
NO_SUBJECTS = "Add at least one person."
NO_SUBJECT_ROLE = "At least one person must be the subject of the referral."
# What ``referral_errors`` checks of the referral itself (the page's form checks them with its own).
REFERRAL_FIELDS = ("received_at", "concerns", "consent", "consent_reason", "consent_decided_by")


def _ordered_concerns(concerns: list[str]) -> list[str]:
    return [c for c in Concern.values if c in set(concerns)]  # stored in a stable order


def referral_errors(
    *,
    received_at: datetime | None = None,
    concerns: list[str] | None = None,
    consent: str | None = None,
    consent_reason: str = "",
    consent_decided_by: str = "",
    subjects: list[SubjectInput] | None = None,
) -> dict[str, list]:
    """Every rule a new referral breaks that needs no write, by field (a subject's as
    ``subjects-<i>-<field>``): ``referral_create`` refuses with them all, and the intake page checks
    them with its form's own, so that one submit shows every error. A rule whose input is not given
    (``None``: the page's form has refused it already) is not checked."""
    errors: dict[str, list] = {}
    if received_at is not None and (error := recorded_time_error(received_at, the="The time received")):
        errors["received_at"] = [error]
    if concerns is not None:
        unknown = set(concerns) - set(Concern.values)
        if not concerns:
            errors["concerns"] = [CONCERNS_MISSING]
        elif unknown:
            errors["concerns"] = [f"Unknown concern categories: {', '.join(sorted(unknown))}."]
    if consent in (Consent.NOT_SOUGHT, Consent.OVERRIDDEN) and not (consent_reason or "").strip():
        errors["consent_reason"] = ["Say why consent was not sought or was overridden."]
    if consent == Consent.OVERRIDDEN and not (consent_decided_by or "").strip():
        errors["consent_decided_by"] = ["Say who decided to override consent."]
    if subjects is not None:
        errors.update(_subject_errors(subjects))
    return errors


def _subject_errors(subjects: list[SubjectInput]) -> dict[str, list]:
    errors: dict[str, list] = {}
    if not subjects:
        errors["subjects"] = [NO_SUBJECTS]
    elif not any(s.role == SubjectRole.SUBJECT for s in subjects):
        errors["subjects"] = [NO_SUBJECT_ROLE]
    seen = set()
    for index, subject in enumerate(subjects):
        prefix = f"subjects-{index}-"
        if subject.role not in SubjectRole.values:
            errors[f"{prefix}role"] = [f"{subject.role!r} is not a role in a referral."]
        if subject.person is None:
            details = {"date_of_birth": subject.date_of_birth, "nhs_number": subject.nhs_number}
            for field, error in person_detail_errors(**details).items():
                errors[f"{prefix}{field}"] = [error]
            continue
        key = getattr(subject.person, "pk", subject.person)
        if key in seen:
            errors[f"{prefix}person"] = [f"{subject.person} is already in this referral."]
        seen.add(key)
    return errors


@transaction.atomic
def referral_create(
    *,
    by,
    kind: str,
    channel: str,
    referrer_name: str,
    account: str,
    concerns: list[str],
    consent: str,
    subjects: list[SubjectInput],
    received_at: datetime | None = None,
    referrer_organisation: str = "",
    referrer_role: str = "",
    referrer_email: str = "",
    referrer_phone: str = "",
    referrer_relationship: str = "",
    consent_reason: str = "",
    consent_decided_by: str = "",
    adult_wishes: str = "",
    assigned_to=None,
) -> Referral:
    """Record a referral with its subjects (existing people or new ones) and start its decision clock."""
    if not referral_policy.may_record_referrals(actor_for(by)) and not (
        channel == Channel.POLICE_NOTIFICATION and referral_policy.may_send_police_notification(actor_for(by))
    ):
        raise RoleRefused("Only the lead agency's triage team may record referrals.")
    # The known people named are checked first (one the user may not see is refused as one who does
    # not exist); new people are made once the referral is found valid.
    subjects = [
        replace(subject, person=person_resolve(by=by, choice=subject, prefix=f"subjects-{index}-"))
        if subject.person is not None
        else subject
        for index, subject in enumerate(subjects)
    ]
    errors = referral_errors(
        received_at=received_at,
        concerns=concerns,
        consent=consent,
        consent_reason=consent_reason,
        consent_decided_by=consent_decided_by,
        subjects=subjects,
    )
    if errors:
        raise ValidationError(errors)
    received_at = received_at or timezone.now()
    concerns = _ordered_concerns(concerns)
    if assigned_to is not None and not referral_policy.may_triage(actor_for(assigned_to)):
        raise ValidationError(
            {"assigned_to": "Assign the referral to a triage practitioner of the lead agency."}
        )

    clock = clock_start(
        kind=DECISION_CLOCK,
        basis=ClockBasis.WORKING_DAYS,
        amount=DECISION_WORKING_DAYS,
        started_at=received_at,
    )
    referral = Referral(
        reference=_next_reference(timezone.localtime(received_at).year),
        kind=kind,
        received_at=received_at,
        channel=channel,
        referrer_name=referrer_name.strip(),
        referrer_organisation=referrer_organisation.strip(),
        referrer_role=referrer_role.strip(),
        referrer_email=referrer_email.strip(),
        referrer_phone=referrer_phone.strip(),
        referrer_relationship=referrer_relationship.strip(),
        concerns=concerns,
        account=account.strip(),
        consent=consent,
        consent_reason=consent_reason.strip(),
        consent_decided_by=consent_decided_by.strip(),
        adult_wishes=adult_wishes.strip(),
        recorded_by=by,
        assigned_to=assigned_to,
        decision_clock=clock,
        decision_due_at=clock.due_at,
    )
    referral.full_clean()
    referral.save()

    seen: set[int] = set()
    for index, subject in enumerate(subjects):
        person = person_resolve(by=by, choice=subject, prefix=f"subjects-{index}-")
        if person.pk in seen:
            raise ValidationError({f"subjects-{index}-person": f"{person} is already in this referral."})
        seen.add(person.pk)
        ReferralSubject.objects.create(referral=referral, person=person, role=subject.role)

    timeline_add(
        referral,
        by=by,
        kind=EventKind.RECEIVED,
        to_state=State.RECEIVED,
        at=received_at,
        note=f"Received by {referral.get_channel_display().lower()} from {referral.referrer_name}",
    )
    return referral
