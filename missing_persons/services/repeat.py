"""Repeat missing: the trigger (reference data, docs/domain.md: 3 or more episodes in 30 days) flags the
person; the data administrator opens a referral with the episodes attached in one click."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from mash.agencies.models import Agency, AgencyKind
from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for, members_with_role
from mash.common.dates import format_date
from mash.common.errors import require, require_role
from mash.common.versioning import save_change
from mash.notifications.services import notify
from missing_persons import policy
from missing_persons.models import Episode, FlagStatus, RepeatFlag, RepeatTrigger
from referrals import services as referral_services
from referrals.services import SubjectInput

DEFAULT_TRIGGER = (3, 30)


def trigger() -> tuple[int, int]:
    row = RepeatTrigger.objects.order_by("pk").first()
    return (row.episodes, row.days) if row else DEFAULT_TRIGGER


def check_repeat(person, *, now=None) -> RepeatFlag | None:
    """Flag the person if their episodes reported in the trigger's window reach its count (once: an
    open flag takes the new episodes)."""
    count, days = trigger()
    now = now or timezone.now()
    episodes = list(Episode.objects.filter(person=person, reported_at__gte=now - timedelta(days=days)))
    if len(episodes) < count:
        return None
    flag = RepeatFlag.objects.select_for_update().filter(person=person, status=FlagStatus.OPEN).first()
    created = flag is None
    if created:
        flag = RepeatFlag.objects.create(person=person, raised_at=now)
    flag.episodes.add(*episodes)
    if created:
        admins = {}
        for agency in Agency.objects.filter(kind=AgencyKind.POLICE):
            admins.update({u.pk: u for u in members_with_role(agency.pk, Role.DATA_ADMINISTRATOR)})
        notify(
            recipients=list(admins.values()),
            event="missing_person.repeat",
            idempotency_key=f"repeat_flag:{flag.pk}:raised",
            title=f"Repeat missing: {len(episodes)} episodes in {days} days",
            body="A person has gone missing repeatedly: consider a referral to the MASH.",
            url="/missing/",
            subject=flag,
        )
    return flag


@transaction.atomic
def flag_refer(*, flag: RepeatFlag, by, note: str = ""):
    """One click: a police notification referral to the MASH about the person, the flag's episodes
    attached (the agencies later asked about it see them)."""
    flag = RepeatFlag.objects.select_for_update().get(pk=flag.pk)
    require_role(
        policy.may_administer(actor_for(by)), "Only the police data administrators act on repeat flags."
    )
    require(flag.status == FlagStatus.OPEN, "This flag has already been acted on.")
    episodes = list(flag.episodes.order_by("reported_at"))
    lines = [
        f"- {format_date(e.reported_at)}: missing from {e.last_seen_place} "
        f"({e.get_risk_display().lower()} risk){', returned' if e.found_at else ''}"
        for e in episodes
    ]
    count, days = trigger()
    indicators = sorted({i for e in episodes for i in e.indicators})
    referral = referral_services.referral_create(
        by=by,
        kind="child" if any(e.is_child for e in episodes) else "adult",
        channel="police_notification",
        referrer_name=by.get_full_name() or by.get_username(),
        referrer_organisation=actor_for(by).agency.name,
        referrer_role="Missing persons data administrator",
        account=f"Repeat missing: {len(episodes)} episodes (trigger {count} in {days} days).\n"
        + "\n".join(lines)
        + (f"\n\n{note.strip()}" if note.strip() else ""),
        concerns=[
            "cce"
            if "cce" in indicators or "county_lines" in indicators
            else "cse"
            if "cse" in indicators
            else "other"
        ],
        consent="not_sought",
        consent_reason="Police notification of a repeat-missing pattern.",
        subjects=[SubjectInput(person=flag.person)],
    )
    for episode in episodes:  # one by one: each change versioned and in the audit trail
        episode.referral = referral
        save_change(episode, ["referral"], clean=False)
    flag.status, flag.referral, flag.resolved_by = FlagStatus.REFERRED, referral, by
    flag.resolution_note = note.strip()
    flag.save(update_fields=["status", "referral", "resolved_by", "resolution_note", "updated_at"])
    return referral


@transaction.atomic
def flag_dismiss(*, flag: RepeatFlag, by, reason: str) -> RepeatFlag:
    flag = RepeatFlag.objects.select_for_update().get(pk=flag.pk)
    require_role(
        policy.may_administer(actor_for(by)), "Only the police data administrators act on repeat flags."
    )
    require(flag.status == FlagStatus.OPEN, "This flag has already been acted on.")
    require(bool(reason.strip()), {"reason": "Say why no referral is needed."})
    flag.status, flag.resolved_by, flag.resolution_note = FlagStatus.DISMISSED, by, reason.strip()
    flag.save(update_fields=["status", "resolved_by", "resolution_note", "updated_at"])
    return flag
