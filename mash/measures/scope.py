"""Who sees the measures, and how much of them.

- A MASH manager of the lead agency sees the whole MASH, and may open the records behind a figure
  (the drill-down lists go through each app's selectors, so they show only what that manager may see).
- A MASH manager of another agency (an agency's manager) sees the measures of their agency's own work
  (its answers, its actions) and the MASH-wide totals, and may drill down the same way.
- A partnership board member (read-only, no case content) sees the aggregates only: no drill-down,
  and no figure that names a person (a row per member of staff, for instance).

Aggregates name no person: a measure's rows are kinds, months, agencies, states, never a child.
"""

from dataclasses import dataclass

from mash.agencies.roles import Role
from mash.agencies.selectors import Actor


def may_see_measures(actor: Actor) -> bool:
    return actor.has(Role.MASH_MANAGER, Role.BOARD_MEMBER)


def may_see_inspection_lists(actor: Actor) -> bool:
    """The inspection lists (ILACS Annex A: a row per child, with the child's details) are the lead
    agency's MASH managers' only: the local authority gives them to Ofsted. Not another agency's manager,
    not the partnership board member (no case content)."""
    return actor.is_lead and actor.has(Role.MASH_MANAGER)


@dataclass(frozen=True)
class Viewer:
    actor: Actor

    @property
    def is_manager(self) -> bool:
        return self.actor.has(Role.MASH_MANAGER)

    @property
    def whole_mash(self) -> bool:
        """Every agency's rows (the lead agency's managers, and the board's aggregates)."""
        return (self.is_manager and self.actor.is_lead) or self.aggregates_only

    @property
    def aggregates_only(self) -> bool:
        """A board member (who is not also a manager): counts and shares, nothing that leads to a record
        or names a person."""
        return self.actor.has(Role.BOARD_MEMBER) and not self.is_manager

    @property
    def may_drill(self) -> bool:
        return self.is_manager

    @property
    def may_see_staff(self) -> bool:
        """Rows per member of staff (workload by assignee): managers only."""
        return self.is_manager

    @property
    def agency_id(self) -> int | None:
        """The one agency an agency's manager sees rows of; None for the whole MASH."""
        return None if self.whole_mash else self.actor.agency_id

    def sees_agency(self, agency_id: int | None) -> bool:
        """Whether a row of this agency is shown (MASH-wide totals are always shown)."""
        return self.whole_mash or (agency_id is not None and agency_id == self.actor.agency_id)
