"""Writes of the sharing core: grants, the access log, break-glass, the dissemination log."""

from datetime import timedelta
from typing import NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from mash.agencies.models import Agency
from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for
from mash.common.errors import RoleRefused
from mash.sharing import policy
from mash.sharing.models import (
    AccessAction,
    AccessLog,
    BreakGlassAccess,
    Dissemination,
    DisseminationMethod,
    LawfulBasis,
    ReviewStatus,
)

MIN_REASON_LENGTH = 10


NOT_FOUND = "No such record, or you may not see it."


class BreakGlassAvailable(Http404):
    """A refusal the user may override by break-glass. Pages offer the form; elsewhere it is a 404.

    It names the model and the id asked for, never the record: it is raised the same way for a
    record that exists and one that does not, so the offer discloses nothing (README, Security model).
    """

    def __init__(self, model: type[models.Model], pk):
        super().__init__(NOT_FOUND)
        self.model = model._meta.concrete_model
        self.pk = pk


def client_address(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def access_log_write(*, user, obj, action: str, request=None, reason: str = "") -> AccessLog:
    actor = actor_for(user)
    return AccessLog.objects.create(
        user_id=user.pk,
        agency=actor.agency,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        ip_address=client_address(request),
        path=(request.get_full_path()[:500] if request is not None else ""),
        reason=reason,
    )


def records_shown(*, user, objs, request=None, action: str = AccessAction.VIEW, reason: str = "") -> int:
    """Log a read of each case record whose content a page shows alongside another's (a person's
    chronology shows answers, decisions and episodes): one row per record, in one insert. The caller
    has already cut what it shows to what the policy lets ``user`` see."""
    actor = actor_for(user)
    seen, rows = set(), []
    for obj in objs:
        if obj is None or not policy.is_case_model(type(obj)):
            continue
        content_type = ContentType.objects.get_for_model(obj)
        if (content_type.pk, obj.pk) in seen:
            continue
        seen.add((content_type.pk, obj.pk))
        rows.append(
            AccessLog(
                user_id=user.pk,
                agency=actor.agency,
                action=action,
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=f"{content_type.name.capitalize()} {obj.pk}",
                ip_address=client_address(request),
                path=(request.get_full_path()[:500] if request is not None else ""),
                reason=reason,
            )
        )
    AccessLog.objects.bulk_create(rows)
    return len(rows)


def record_read(*, user, obj: models.Model, request=None, action: str = AccessAction.VIEW) -> policy.Audience:
    """Let ``user`` read ``obj`` and log the read; refuse (404, logged) when the policy says no.

    Every page, API view and export that shows one case record calls this before showing it.
    A refusal is a 404 so that the record's existence is not disclosed. Returns the audience the user
    is for the record (``policy.audience_of``, None exactly when ``policy.can_view`` is false): a page
    that shows each audience its own part of the record need not ask the grants again.
    """
    audience = policy.audience_of(user, obj)
    if audience is not None:
        access_log_write(user=user, obj=obj, action=action, request=request)
        return audience
    access_log_write(user=user, obj=obj, action=AccessAction.DENIED, request=request)
    _refuse(user, type(obj), obj.pk)


def _refuse(user, model: type[models.Model], pk) -> NoReturn:
    if policy.offers_break_glass(user, model):
        raise BreakGlassAvailable(model, pk)
    raise Http404(NOT_FOUND)


def record_get(*, user, queryset: models.QuerySet, pk, request=None) -> models.Model:
    """One case record of ``queryset`` by id for this user, its read logged (``record_read``).

    A record that does not exist is refused exactly like one the user may not see: a 404, or the
    break-glass offer to a user whom the model's rule lets break glass. Nothing is logged about a
    record that does not exist. Every selector that gets one case record by id calls this.
    """
    return record_get_with_audience(user=user, queryset=queryset, pk=pk, request=request)[0]


def record_get_with_audience(
    *, user, queryset: models.QuerySet, pk, request=None
) -> tuple[models.Model, policy.Audience]:
    """``record_get``, and the audience the user is for the record (``record_read``)."""
    try:
        obj = queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        _refuse(user, queryset.model, pk)
    return obj, record_read(user=user, obj=obj, request=request)


@transaction.atomic
def grant_view(*, obj: models.Model, agency: Agency) -> None:
    """Let an agency's members (in the roles the rule allows) see ``obj``. Audited by auditlog."""
    rule = policy.rule_for(obj)
    assign_perm(f"{rule.model._meta.app_label}.{rule.view_codename}", agency.group, obj)


@transaction.atomic
def revoke_view(*, obj: models.Model, agency: Agency) -> None:
    rule = policy.rule_for(obj)
    remove_perm(f"{rule.model._meta.app_label}.{rule.view_codename}", agency.group, obj)


def break_glass_open(*, user, obj: models.Model, reason: str, request=None) -> BreakGlassAccess:
    """Open one record outside the user's grants, for a few hours, flagged for IG review."""
    if not policy.may_break_glass(user, obj):
        # Logged outside any transaction so the refusal survives the 404.
        access_log_write(user=user, obj=obj, action=AccessAction.DENIED, request=request)
        raise Http404(NOT_FOUND)
    return _break_glass_grant(user=user, obj=obj, reason=_break_glass_reason(reason), request=request)


def break_glass_on_missing(*, user, model: type[models.Model], reason: str) -> None:
    """Break-glass asked on an id of ``model`` that has no record: the same checks and refusals as
    ``break_glass_open`` (so the answer tells nothing), and nothing written or logged."""
    if not policy.offers_break_glass(user, model):
        raise Http404(NOT_FOUND)
    _break_glass_reason(reason)


def _break_glass_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {"reason": f"Give the reason for opening this record (at least {MIN_REASON_LENGTH} characters)."}
        )
    return reason


@transaction.atomic
def _break_glass_grant(*, user, obj: models.Model, reason: str, request) -> BreakGlassAccess:
    now = timezone.now()
    access = BreakGlassAccess(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        reason=reason,
        opened_at=now,
        expires_at=now + timedelta(hours=settings.BREAK_GLASS_HOURS),
    )
    access.full_clean()
    access.save()
    AccessLog.objects.create(
        user=user,
        agency=actor_for(user).agency,
        action=AccessAction.BREAK_GLASS,
        content_type=access.content_type,
        object_id=access.object_id,
        object_repr=access.object_repr,
        ip_address=client_address(request),
        path=(request.get_full_path()[:500] if request is not None else ""),
        reason=reason,
    )
    return access


@transaction.atomic
def break_glass_review(*, access: BreakGlassAccess, by, status: str, note: str) -> BreakGlassAccess:
    if not actor_for(by).has(Role.INFORMATION_GOVERNANCE):
        raise RoleRefused("Only information governance may review break-glass access.")
    if access.review_status != ReviewStatus.PENDING:
        raise ValidationError("This break-glass access has already been reviewed.")
    if status not in {ReviewStatus.JUSTIFIED, ReviewStatus.NOT_JUSTIFIED}:
        raise ValidationError({"status": "Choose justified or not justified."})
    if by.pk == access.user_id:
        raise RoleRefused("You may not review your own break-glass access.")
    if status == ReviewStatus.NOT_JUSTIFIED and not note.strip():
        raise ValidationError({"note": "Say why the access was not justified."})
    # Claim the row so two reviewers cannot both decide it.
    updated = BreakGlassAccess.objects.filter(pk=access.pk, review_status=ReviewStatus.PENDING).update(
        review_status=status, reviewed_by=by, reviewed_at=timezone.now(), review_note=note.strip()
    )
    if updated != 1:
        raise ValidationError("This break-glass access has already been reviewed.")
    access.refresh_from_db()
    return access


APPROVER_ROLES = (Role.DECISION_MAKER, Role.MASH_MANAGER)


@transaction.atomic
def dissemination_record(
    *,
    by,
    approved_by,
    recipient_name: str,
    recipient_organisation: str,
    method: str,
    what: str,
    lawful_basis: str,
    need: str,
    recipient_contact: str = "",
    handling_conditions: str = "",
    record: models.Model | None = None,
    person=None,
    disseminated_at=None,
) -> Dissemination:
    """Record something leaving the MASH. There is no other way out (docs/design.md)."""
    if not actor_for(approved_by).has(*APPROVER_ROLES):
        raise ValidationError({"approved_by": "The approver must be a decision maker or a MASH manager."})
    if record is not None and not policy.can_view(by, record):
        raise ValidationError("You may not disseminate a record you may not see.")
    dissemination = Dissemination(
        disseminated_at=disseminated_at or timezone.now(),
        disseminated_by=by,
        approved_by=approved_by,
        recipient_name=recipient_name.strip(),
        recipient_organisation=recipient_organisation.strip(),
        recipient_contact=recipient_contact.strip(),
        method=method,
        what=what.strip(),
        lawful_basis=lawful_basis,
        need=need.strip(),
        handling_conditions=handling_conditions.strip(),
        content_type=ContentType.objects.get_for_model(record) if record is not None else None,
        object_id=str(record.pk) if record is not None else "",
        person=person,
    )
    dissemination.full_clean()
    dissemination.save()
    return dissemination


def access_response_record(
    *, by, recipient_name: str, recipient_relationship: str, recipient_contact: str, what: str, record, person
) -> Dissemination:
    """A subject access response leaving the MASH (mash/subject_access): in the log like everything
    else that leaves, its basis the right of access, its approver information governance, who decided
    each item of it."""
    dissemination = Dissemination(
        disseminated_at=timezone.now(),
        disseminated_by=by,
        approved_by=by,
        recipient_name=recipient_name.strip()[:200],
        recipient_organisation=recipient_relationship[:200],
        recipient_contact=recipient_contact.strip()[:200],
        method=DisseminationMethod.LETTER,
        what=what,
        lawful_basis=LawfulBasis.RIGHT_OF_ACCESS,
        need="The data subject's request for the information held about them.",
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        person=person,
    )
    dissemination.full_clean()
    dissemination.save()
    return dissemination
