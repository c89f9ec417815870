from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from mash.agencies.models import Agency, AgencyKind, Membership
from mash.agencies.roles import ROLE_NAMES, Role


def agency_group_name(name: str) -> str:
    return f"agency: {name}"


@transaction.atomic
def agency_create(*, name: str, kind: str, is_lead: bool = False, email: str = "") -> Agency:
    group, _ = Group.objects.get_or_create(name=agency_group_name(name))
    agency = Agency(name=name, kind=kind, is_lead=is_lead, email=email, group=group)
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def agency_update(
    *, agency: Agency, name: str, kind: str, is_lead: bool, email: str, is_active: bool
) -> Agency:
    agency.name, agency.kind, agency.is_lead = name, kind, is_lead
    agency.email, agency.is_active = email, is_active
    agency.full_clean()
    agency.save()
    if agency.group.name != agency_group_name(name):
        agency.group.name = agency_group_name(name)
        agency.group.save(update_fields=["name"])
    return agency


def role_groups(roles: Iterable[str]) -> list[Group]:
    names = set(roles)
    unknown = names - ROLE_NAMES
    if unknown:
        raise ValidationError({"roles": f"Unknown role(s): {', '.join(sorted(unknown))}."})
    # The roles are defined in code; their groups are made by a data migration, and again here if a
    # database was emptied since (a flushed test database), so a role is never silently dropped.
    return [Group.objects.get_or_create(name=name)[0] for name in sorted(names)]


@transaction.atomic
def membership_set(*, user, agency: Agency, roles: Iterable[str], job_title: str = "") -> Membership:
    """Put a user in one agency with these roles, and keep their Django groups in step.

    A user's groups are exactly their agency's group and their role groups, so that grants to an
    agency group and role checks both read user.groups.
    """
    groups = role_groups(roles)
    membership, _ = Membership.objects.update_or_create(
        user=user, defaults={"agency": agency, "job_title": job_title}
    )
    membership.full_clean()
    membership.roles.set(groups)
    user.groups.set([agency.group, *groups])
    return membership


def sync_user_groups(membership: Membership) -> None:
    membership.user.groups.set([membership.agency.group, *membership.roles.all()])


__all__ = ["AgencyKind", "Role", "agency_create", "agency_update", "membership_set"]
