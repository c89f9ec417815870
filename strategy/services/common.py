"""Helpers the strategy services share: locking, recipients, links."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from mash.agencies.roles import Role
from mash.agencies.selectors import members_with_role
from strategy.models import StrategyDiscussion


def require(condition: bool, message) -> None:
    if not condition:
        raise ValidationError(message)


def locked(discussion: StrategyDiscussion, expected_version: int | None = None) -> StrategyDiscussion:
    """Lock the row; refuse if someone changed it since the caller read it (no silent overwrite)."""
    current = StrategyDiscussion.objects.select_for_update().get(pk=discussion.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(
            "Someone else changed this discussion since you opened it. Reload the page to see their "
            "change, then try again.",
            code="stale",
        )
    return current


def locked_open(discussion: StrategyDiscussion, expected_version: int | None = None) -> StrategyDiscussion:
    current = locked(discussion, expected_version)
    if not current.is_open:
        raise ValidationError(
            f"This discussion is {current.get_status_display().lower()}: "
            + ("add an addendum instead." if current.status == "signed_off" else "it cannot be changed.")
        )
    return current


def save(discussion: StrategyDiscussion, fields: list[str]) -> None:
    """Save ``fields`` with the next version. Called with no fields when the record's parts
    (attendance, decisions, actions) change: a change to the record's parts is a change to the record."""
    discussion.version += 1
    discussion.full_clean()
    discussion.save(update_fields=[*fields, "version", "updated_at"])


def discussion_url(discussion: StrategyDiscussion) -> str:
    return reverse("strategy:discussion", args=[discussion.pk])


def agency_contacts(agency_id: int) -> list:
    """Who hears of an invitation or an action given to an agency rather than to a named person: its
    decision makers and MASH managers, or every researcher when it has neither."""
    people = {
        u.pk: u
        for role in (Role.DECISION_MAKER, Role.MASH_MANAGER)
        for u in members_with_role(agency_id, role)
    }
    if not people:
        people = {u.pk: u for u in members_with_role(agency_id, Role.AGENCY_RESEARCHER)}
    return list(people.values())


def invitation_recipients(discussion: StrategyDiscussion) -> list:
    recipients = {}
    for invitation in discussion.invitations.select_related("user"):
        people = [invitation.user] if invitation.user_id else agency_contacts(invitation.agency_id)
        recipients.update({u.pk: u for u in people if u.is_active})
    return list(recipients.values())
