import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connections, router
from django.db.models import F
from django.db.models.sql import Query

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


# Where user_with_actor() leaves what it read for actor_for(): (the agency, the user's group names).
ACTOR_READ = "_mash_actor_read"


@functools.cache
def _user_with_actor_columns() -> tuple[list, list, object]:
    """The columns user_with_actor() reads, as the ORM's column expressions: every field of the user,
    every field of their membership's agency, the name of a group."""
    User = get_user_model()
    return (
        [field.get_col("u") for field in User._meta.concrete_fields],
        [field.get_col("a") for field in Agency._meta.concrete_fields],
        Group._meta.get_field("name").get_col("g"),
    )


@functools.cache
def _user_with_actor_sql(alias: str) -> str:
    """SELECT the user, their membership's agency and their groups' names (one row per group) by the
    user's pk. Written out, not compiled per request: compiling the same query with its joins cost the
    ORM about a millisecond of every request. Every name comes from the models' metadata, quoted; the
    pk is the one parameter."""
    connection = connections[alias]
    qn = connection.ops.quote_name
    User = get_user_model()
    groups = User._meta.get_field("groups")
    users, agencies, group_name = _user_with_actor_columns()
    columns = ", ".join(f"{col.alias}.{qn(col.target.column)}" for col in [*users, *agencies, group_name])
    user_pk = f"u.{qn(User._meta.pk.column)}"
    membership = Membership._meta
    return (
        f"SELECT {columns} FROM {qn(User._meta.db_table)} u"  # noqa: S608 (quoted names only)
        f" LEFT JOIN {qn(membership.db_table)} m ON m.{qn(membership.get_field('user').column)} = {user_pk}"
        f" LEFT JOIN {qn(Agency._meta.db_table)} a"
        f" ON a.{qn(Agency._meta.pk.column)} = m.{qn(membership.get_field('agency').column)}"
        f" LEFT JOIN {qn(groups.m2m_db_table())} ug ON ug.{qn(groups.m2m_column_name())} = {user_pk}"
        f" LEFT JOIN {qn(Group._meta.db_table)} g"
        f" ON g.{qn(Group._meta.pk.column)} = ug.{qn(groups.m2m_reverse_name())}"
        f" WHERE {user_pk} = %s"
    )


def user_with_actor(user_id):
    """The user with this pk, or None, read with what ``actor_for`` needs (their membership's agency
    and the names of their groups) in the same query.

    The authentication backend loads the signed-in user with it on every request
    (``mash.accounts.backends.UserBackend``), so the actor costs no query of its own. Every column of
    the user is read, the password's included (the session's auth hash is checked against it), and
    each value is converted as the ORM converts it."""
    User = get_user_model()
    alias = router.db_for_read(User)
    connection = connections[alias]
    users, agencies, group_name = _user_with_actor_columns()
    with connection.cursor() as cursor:
        cursor.execute(_user_with_actor_sql(alias), [User._meta.pk.get_db_prep_value(user_id, connection)])
        rows = cursor.fetchall()
    if not rows:
        return None
    # The ORM's own conversion of each column's value (as RawQuerySet applies it), e.g. SQLite's dates.
    compiler = connection.ops.compiler("SQLCompiler")(Query(User), connection, alias)
    converters = compiler.get_converters([*users, *agencies, group_name])
    rows = list(compiler.apply_converters(rows, converters)) if converters else rows
    first, n = rows[0], len(users)
    user = User.from_db(alias, [col.target.attname for col in users], first[:n])
    agency_values = first[n : n + len(agencies)]
    agency = None
    # Without a membership every column of the agency is NULL, its key included.
    if agency_values[[col.target for col in agencies].index(Agency._meta.pk)] is not None:
        agency = Agency.from_db(alias, [col.target.attname for col in agencies], agency_values)
    setattr(user, ACTOR_READ, (agency, tuple(row[-1] for row in rows)))
    return user


def _membership_read(user) -> tuple[Agency | None, tuple]:
    """The user's agency (None without a membership) and group names: what user_with_actor() read
    with the user, else one query."""
    read = getattr(user, ACTOR_READ, None)
    if read is not None:
        return read
    rows = list(
        Membership.objects.select_related("agency")
        .filter(user_id=user.pk)
        .annotate(group_name=F("user__groups__name"))
        .order_by()
    )
    return (rows[0].agency if rows else None), tuple(row.group_name for row in rows)


def actor_for(user) -> Actor:
    cached = getattr(user, "_mash_actor", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        actor = Actor(user_id=getattr(user, "pk", None) or 0, agency=None, roles=frozenset())
    else:
        # The membership and its agency, and the user's group names: read with the user by the
        # authentication backend, or here in one query (a user loaded some other way).
        agency, group_names = _membership_read(user)
        agency = agency if agency is not None and agency.is_active else None
        roles = frozenset(name for name in group_names if agency and name in ROLE_NAMES)
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
