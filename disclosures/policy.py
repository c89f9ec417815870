"""Who may see and do what with disclosure applications and research packages (the sharing policy).

The police disclosure team (data administrators, researchers and decision makers of a police agency)
sees every application and package. Agencies taking part in a multi-agency forum see the application's
summary while the forum is open (a grant to their group); nobody outside the team ever sees a research
package, not even by break-glass.
"""

from disclosures.models import (
    Application,
    ApplicationGroupObjectPermission,
    ApplicationUserObjectPermission,
    ResearchPackage,
    ResearchPackageGroupObjectPermission,
    ResearchPackageUserObjectPermission,
)
from mash.agencies.models import AgencyKind
from mash.agencies.roles import Role
from mash.agencies.selectors import Actor
from mash.sharing import policy

TEAM_ROLES = (Role.DATA_ADMINISTRATOR, Role.AGENCY_RESEARCHER, Role.DECISION_MAKER)


def _police(actor: Actor) -> bool:
    return actor.agency_kind == AgencyKind.POLICE


def is_disclosure_team(actor: Actor) -> bool:
    return _police(actor) and actor.has(*TEAM_ROLES)


def may_administer(actor: Actor) -> bool:
    """Record applications, the initial checks and the verification; assign the researcher."""
    return _police(actor) and actor.has(Role.DATA_ADMINISTRATOR)


def may_research(actor: Actor) -> bool:
    return _police(actor) and actor.has(Role.AGENCY_RESEARCHER)


def may_decide(actor: Actor) -> bool:
    return _police(actor) and actor.has(Role.DECISION_MAKER)


policy.register(
    policy.Rule(
        model=Application,
        group_grant_model=ApplicationGroupObjectPermission,
        user_grant_model=ApplicationUserObjectPermission,
        sees_all=is_disclosure_team,
        # Forum participants: their agency's group is granted the summary while the forum is open.
        uses_grants=lambda actor: actor.has(Role.DECISION_MAKER, Role.MASH_MANAGER, Role.AGENCY_RESEARCHER),
        may_break_glass=lambda actor: _police(actor) and actor.has(Role.MASH_MANAGER),
    )
)
policy.register(
    policy.Rule(
        model=ResearchPackage,
        group_grant_model=ResearchPackageGroupObjectPermission,
        user_grant_model=ResearchPackageUserObjectPermission,
        sees_all=is_disclosure_team,
        uses_grants=lambda actor: False,
        may_break_glass=lambda actor: False,
    )
)
