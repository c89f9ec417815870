"""The information sharing protocol: the one place that decides who may see what.

Views, API views, the admin, exports and search all ask this module. Each case model registers a
Rule: which actors see every record of the model (by agency and role), which roles may use their
agency's object grants, and the direct foreign-key guardian table that holds those grants. Lists are
filtered with one ``Exists()`` over the group grant table for the actor's agency group, so a filtered
list costs about what an unfiltered one does (README, 'Architecture'). Break-glass opens one record at a
time and never widens a list.

A record shown is not shown whole to everyone: each viewer has an **audience**. Those who see every
record (and a break-glass opening) are the ``FULL`` audience; an agency that sees a record through a
grant is the ``PARTNER`` audience, and the rule names what a partner may see of it (``partner_fields``:
the record's fields and its named related parts, such as a referral's ``timeline``). A child record that
is only ever read as part of its parent (a referral's timeline event, an answer's entries) registers a
``Part``: it is shown where its parent's audience shows it and its own condition holds (an answer is its
agency's until submitted). Serializers, templates, exports and the admin ask ``audience_of`` /
``shows`` / ``may_see_field`` rather than deciding with their own ``if``.
"""

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from mash.agencies.roles import Role
from mash.agencies.selectors import Actor, actor_for
from mash.sharing.models import BreakGlassAccess


class Audience(enum.StrEnum):
    # Sees the whole record: those who see every record of the model, or a break-glass opening.
    FULL = "full"
    # Sees the record through a grant to their agency: only the rule's ``partner_fields``.
    PARTNER = "partner"


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
    # What the PARTNER audience may see: field names of the record and names of its parts. Anything
    # not named here (a new field included) is the full audience's only.
    partner_fields: frozenset[str] = field(default_factory=frozenset)

    @property
    def view_codename(self) -> str:
        return f"view_{self.model._meta.model_name}"


@dataclass(frozen=True)
class Part:
    """A record read only as part of its parent record (never on its own page)."""

    model: type[models.Model]
    # The attribute that holds the parent record (a foreign key), e.g. ``"referral"``.
    parent: str
    # The name the parent's rule gives this part in its audiences, e.g. ``"timeline"``.
    name: str
    # A further condition on one part for one actor (e.g. a draft answer is its own agency's).
    shown: Callable[[Actor, models.Model], bool] = lambda actor, obj: True
    # The same condition as a filter on a queryset of parts, for lists.
    shown_filter: Callable[[Actor], models.Q] = lambda actor: models.Q()


_rules: dict[type[models.Model], Rule] = {}
_parts: dict[type[models.Model], Part] = {}


def register(rule: Rule) -> Rule:
    _rules[rule.model] = rule
    return rule


def register_part(part: Part) -> Part:
    _parts[part.model] = part
    return part


def is_covered(model) -> bool:
    """Is the model's content decided by this module (a rule of its own, or a part of one)?"""
    model = model._meta.concrete_model
    return model in _rules or model in _parts


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


def may_list(actor: Actor, model) -> bool:
    """Can a list of ``model`` ever show this actor anything (``visible`` above): do they see every
    record, or read their agency's grants? A page that lists the model is for them, and so is its link
    in the navigation (mash/common/navigation.py)."""
    rule = rule_for(model)
    return rule.sees_all(actor) or (actor.agency is not None and rule.uses_grants(actor))


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
    return audience_of(user, obj) is not None


def may_break_glass(user, model_or_obj) -> bool:
    """May this user open a record of this model by break-glass (the rule decides, not the record)?"""
    return rule_for(model_or_obj).may_break_glass(actor_for(user))


def offers_break_glass(user, model) -> bool:
    """Is a refused id of this model answered with the break-glass offer? To whom the rule lets break
    glass and who does not already see every record of the model (to them nothing is hidden, so a
    missing id is a plain 404)."""
    rule, actor = rule_for(model), actor_for(user)
    return rule.may_break_glass(actor) and not rule.sees_all(actor)


# --- Audiences: what of a record a viewer may see ---------------------------------------------------


def audience_of(user, obj) -> Audience | None:
    """The audience this user is for this record, or None when they may not see it at all."""
    rule = rule_for(obj)
    actor = actor_for(user)
    if rule.sees_all(actor):
        return Audience.FULL
    if has_grant(user, obj):
        return Audience.PARTNER
    if rule.may_break_glass(actor) and live_break_glass(user, obj) is not None:
        return Audience.FULL
    return None


def list_audience(user, model) -> Audience | None:
    """The audience for every row of a list of ``model`` filtered by ``visible`` (break-glass never
    widens a list, so a row is either seen by all-sight or through a grant)."""
    rule = rule_for(model)
    actor = actor_for(user)
    if rule.sees_all(actor):
        return Audience.FULL
    if actor.agency is None or not rule.uses_grants(actor):
        return None
    return Audience.PARTNER


def shows(audience: Audience | None, model, name: str) -> bool:
    """Does this audience see the field or part ``name`` of a record of ``model``?"""
    if audience is None:
        return False
    if audience == Audience.FULL:
        return True
    return name in rule_for(model).partner_fields


def shown_fields(audience: Audience | None, model, names: Iterable[str]) -> set[str]:
    return {name for name in names if shows(audience, model, name)}


def part_for(model_or_obj) -> Part:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    return _parts[model._meta.concrete_model]


def parts_shown(user, queryset: models.QuerySet) -> models.QuerySet:
    """Of a queryset of one parent's parts, those the part's own condition shows this user (the
    parent's audience is the caller's to check, with ``shows``)."""
    return queryset.filter(part_for(queryset.model).shown_filter(actor_for(user)))


def may_see_field(user, obj, name: str) -> bool:
    """May this user see the field ``name`` of this record (a record of a rule, or a part)?"""
    model = type(obj)._meta.concrete_model
    if model in _parts:
        part = _parts[model]
        parent = getattr(obj, part.parent)
        if not part.shown(actor_for(user), obj):
            return False
        return may_see_field(user, parent, part.name)
    return shows(audience_of(user, obj), model, name)
