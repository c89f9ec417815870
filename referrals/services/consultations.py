"""The consultation line: a professional's call logged, and made a referral once."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mash.agencies.selectors import actor_for
from mash.common.backdating import recorded_time_error
from mash.common.errors import RoleRefused
from mash.people.models import Person
from mash.people.services import PersonChoice, person_resolve
from referrals import policy as referral_policy
from referrals.models import Consent, Consultation, Referral, ReferralKind
from referrals.services.intake import SubjectInput, referral_create


@transaction.atomic
def consultation_create(
    *,
    by,
    caller_name: str,
    caller_organisation: str,
    question: str,
    advice: str,
    kind: str = ReferralKind.CHILD,
    called_at: datetime | None = None,
    caller_role: str = "",
    caller_phone: str = "",
    caller_email: str = "",
    person: Person | int | None = None,
    anonymous_description: str = "",
    referral_advised: bool = False,
) -> Consultation:
    if not referral_policy.may_record_referrals(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage team may log consultation calls.")
    if person is not None:
        person = person_resolve(by=by, choice=PersonChoice(person=person))
    called_at = called_at or timezone.now()
    if error := recorded_time_error(called_at, the="The time of the call"):
        raise ValidationError({"called_at": error})
    if person is None and not anonymous_description.strip():
        raise ValidationError({"anonymous_description": "Describe who was discussed, or choose the person."})
    consultation = Consultation(
        called_at=called_at,
        caller_name=caller_name.strip(),
        caller_organisation=caller_organisation.strip(),
        caller_role=caller_role.strip(),
        caller_phone=caller_phone.strip(),
        caller_email=caller_email.strip(),
        kind=kind,
        person=person,
        anonymous_description=anonymous_description.strip(),
        question=question.strip(),
        advice=advice.strip(),
        referral_advised=referral_advised,
        logged_by=by,
    )
    consultation.full_clean()
    consultation.save()
    return consultation


@transaction.atomic
def consultation_convert(
    *,
    consultation: Consultation,
    by,
    subjects: list[SubjectInput] | None = None,
    concerns: list[str] | None = None,
    consent: str = Consent.NOT_SOUGHT,
    consent_reason: str = "",
    consent_decided_by: str = "",
) -> Referral:
    """Turn a consultation call into a referral, carrying its details over. Once only."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.referral_id:
        raise ValidationError(f"This call already became referral {consultation.referral.reference}.")
    if subjects is None:
        if consultation.person is None:
            raise ValidationError(
                {"subjects": "The call was anonymous: add the person the referral is about."}
            )
        subjects = [SubjectInput(person=consultation.person)]
    referral = referral_create(
        by=by,
        kind=consultation.kind,
        channel="consultation",
        received_at=consultation.called_at,
        referrer_name=consultation.caller_name,
        referrer_organisation=consultation.caller_organisation,
        referrer_role=consultation.caller_role,
        referrer_phone=consultation.caller_phone,
        referrer_email=consultation.caller_email,
        account=f"{consultation.question}\n\nAdvice given on the consultation line: {consultation.advice}",
        concerns=concerns or ["other"],
        consent=consent,
        consent_reason=consent_reason
        or (
            ""
            if consent in (Consent.GIVEN, Consent.REFUSED)
            else "Consent to be sought at screening: referral made from a consultation call."
        ),
        consent_decided_by=consent_decided_by,
        subjects=subjects,
    )
    # The row is locked above, so this claims it once.
    updated = Consultation.objects.filter(pk=consultation.pk, referral__isnull=True).update(referral=referral)
    if updated != 1:
        raise ValidationError("This call already became a referral.")
    return referral
