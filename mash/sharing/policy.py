"""The information sharing protocol: the one place that decides who may see what.

Views, API views, the admin, exports and search all ask this module. Each case model registers a
Rule: which actors see every record of the model (by agency and role), which roles may use their
agency's object grants, and the direct foreign-key guardian table that holds those grants. Lists are
filtered with one ``Exists()`` over the group grant table for the actor's agency group, so a filtered
list costs about what an unfiltered one does (shared/NOTES.md). Break-glass opens one record at a
time and never widens a list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from mash.agencies.roles import Role
from mash.agencies.selectors import Actor, actor_for


@dataclass(frozen=True)
class Rule:
    model: type[models.Model]
    group_grant_model: type[models.Model]
    user_grant_model: type[models.Model] | None
    # Actors who see every record of the model (e.g. the lead agency's triage practitioners).
    sees_all: Callable[[Actor], bool]
    # Actors whose agency grants count for them (e.g. an asked agency's researchers).
    uses_grants: Callable[[Actor], bool]
    # Actors who may open one record outside their grants with a reason: by default the lead agency's
    # MASH managers only (never another agency's manager).
    may_break_glass: Callable[[Actor], bool] = lambda actor: actor.is_lead and actor.has(Role.MASH_MANAGER)

    @property
    def view_codename(self) -> str:
        return f"view_{self.model._meta.model_name}"


_rules: dict[type[models.Model], Rule] = {}


def register(rule: Rule) -> Rule:
    _rules[rule.model] = rule
    return rule


def rule_for(model_or_obj) -> Rule:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    model = model._meta.concrete_model
    try:
        return _rules[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no sharing rule: register one in its app.") from None


def is_case_model(model) -> bool:
    return model._meta.concrete_model in _rules


@cache
def _permission_id(model: type[models.Model], codename: str) -> int:
    content_type = ContentType.objects.get_for_model(model)
    return Permission.objects.get(content_type=content_type, codename=codename).pk


def clear_caches() -> None:
    _permission_id.cache_clear()


def visible(user, queryset: models.QuerySet) -> models.QuerySet:
    """The records of ``queryset`` this user may see in a list."""
    rule = rule_for(queryset.model)
    actor = actor_for(user)
    if rule.sees_all(actor):
        return queryset
    if actor.agency is None or not rule.uses_grants(actor):
        return queryset.none()
    grants = rule.group_grant_model.objects.filter(
        group_id=actor.agency_group_id,
        permission_id=_permission_id(rule.model, rule.view_codename),
        content_object_id=OuterRef("pk"),
    )
    return queryset.filter(Exists(grants))


def has_grant(user, obj) -> bool:
    rule = rule_for(obj)
    actor = actor_for(user)
    if actor.agency is None or not rule.uses_grants(actor):
        return False
    permission_id = _permission_id(rule.model, rule.view_codename)
    if rule.group_grant_model.objects.filter(
        group_id=actor.agency_group_id, permission_id=permission_id, content_object_id=obj.pk
    ).exists():
        return True
    return bool(
        rule.user_grant_model
        and rule.user_grant_model.objects.filter(
            user_id=actor.user_id, permission_id=permission_id, content_object_id=obj.pk
        ).exists()
    )


def live_break_glass(user, obj):
    from mash.sharing.models import BreakGlassAccess

    return (
        BreakGlassAccess.objects.filter(
            user_id=user.pk,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            expires_at__gt=timezone.now(),
        )
        .order_by("-expires_at")
        .first()
    )


def can_view(user, obj) -> bool:
    """May this user see this record now (grants, sight of all, or live break-glass)?"""
    rule = rule_for(obj)
    actor = actor_for(user)
    if rule.sees_all(actor) or has_grant(user, obj):
        return True
    return rule.may_break_glass(actor) and live_break_glass(user, obj) is not None


def may_break_glass(user, model_or_obj) -> bool:
    """May this user open a record of this model by break-glass (the rule decides, not the record)?"""
    return rule_for(model_or_obj).may_break_glass(actor_for(user))


def offers_break_glass(user, model) -> bool:
    """Is a refused id of this model answered with the break-glass offer? To whom the rule lets break
    glass and who does not already see every record of the model (to them nothing is hidden, so a
    missing id is a plain 404)."""
    rule, actor = rule_for(model), actor_for(user)
    return rule.may_break_glass(actor) and not rule.sees_all(actor)
