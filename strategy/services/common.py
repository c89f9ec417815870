"""Helpers the strategy services share: locking an open discussion, recipients, links."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from mash.agencies.roles import Role
from mash.agencies.selectors import members_with_role
from mash.common.versioning import lock_for_change
from strategy.models import StrategyDiscussion


def locked_open(discussion: StrategyDiscussion, expected_version: int | None = None) -> StrategyDiscussion:
    """Lock the discussion for a change (refused if out of date); refuse unless it is still open."""
    current = lock_for_change(discussion, expected_version)
    if not current.is_open:
        raise ValidationError(
            f"This discussion is {current.get_status_display().lower()}: "
            + ("add an addendum instead." if current.status == "signed_off" else "it cannot be changed.")
        )
    return current


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
