from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F

from mash.agencies.models import Agency, Membership
from mash.agencies.roles import ROLE_NAMES


@dataclass(frozen=True)
class Actor:
    """Who is acting: their agency and roles, read once per request and cached on the user."""

    user_id: int
    agency: Agency | None
    roles: frozenset[str]

    @property
    def agency_id(self) -> int | None:
        return self.agency.pk if self.agency else None

    @property
    def agency_group_id(self) -> int | None:
        return self.agency.group_id if self.agency else None

    @property
    def is_lead(self) -> bool:
        return bool(self.agency and self.agency.is_lead)

    @property
    def agency_kind(self) -> str | None:
        return self.agency.kind if self.agency else None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


def actor_for(user) -> Actor:
    cached = getattr(user, "_mash_actor", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        actor = Actor(user_id=getattr(user, "pk", None) or 0, agency=None, roles=frozenset())
    else:
        # One query on every request: the membership and its agency, one row per group of the user.
        rows = list(
            Membership.objects.select_related("agency")
            .filter(user_id=user.pk)
            .annotate(group_name=F("user__groups__name"))
            .order_by()
        )
        agency = rows[0].agency if rows and rows[0].agency.is_active else None
        roles = frozenset(row.group_name for row in rows if agency and row.group_name in ROLE_NAMES)
        actor = Actor(user_id=user.pk, agency=agency, roles=roles)
    user._mash_actor = actor
    return actor


def members_with_role(agency_id: int, role: str):
    """The active users of an agency who hold a role (e.g. an agency's researchers)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__agency_id=agency_id,
            membership__roles__name=role,
        )
        .distinct()
        .order_by("pk")
    )
