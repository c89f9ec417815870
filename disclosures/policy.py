"""Who may see and do what with disclosure applications and research packages (the sharing policy).

The police disclosure team (data administrators, researchers and decision makers of a police agency)
sees every application and package. Agencies taking part in a multi-agency forum see the application's
summary while the forum is open (a grant to their group); nobody outside the team ever sees a research
package, not even by break-glass.
"""

from disclosures.models import (
    Application,
    ApplicationGroupObjectPermission,
    ApplicationPerson,
    ApplicationUserObjectPermission,
    Decision,
    DisclosureRecord,
    PackageEntry,
    PackageSection,
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


# What a forum participant sees of an application (README: agencies at an open forum see the
# application's summary only): the scheme, how it came in, its stage and outcome, when it was received,
# why it was made (what the forum considers), its clocks and the people it names with their part in
# it. Never how to reach the applicant or their relation, the team's checks, verification and
# meeting notes, the researcher, the research package, the decision's reasoning or the disclosure.
APPLICATION_PARTNER_FIELDS = frozenset(
    {
        "id",
        "reference",
        "scheme",
        "route",
        "stage",
        "outcome",
        "received_at",
        "circumstances",
        "forum_open",
        "clock",
        "initial_check_clock",
        "meeting_clock",
        "people",
    }
)

policy.register(
    policy.Rule(
        model=Application,
        group_grant_model=ApplicationGroupObjectPermission,
        user_grant_model=ApplicationUserObjectPermission,
        sees_all=is_disclosure_team,
        # Forum participants: their agency's group is granted the summary while the forum is open.
        uses_grants=lambda actor: actor.has(Role.DECISION_MAKER, Role.MASH_MANAGER, Role.AGENCY_RESEARCHER),
        may_break_glass=lambda actor: _police(actor) and actor.has(Role.MASH_MANAGER),
        partner_fields=APPLICATION_PARTNER_FIELDS,
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
        partner_fields=frozenset(),  # never granted out: the team's own research
    )
)
# Read only as part of their application or package (its page, its endpoint, the admin).
policy.register_part(policy.Part(model=ApplicationPerson, parent="application", name="people"))
policy.register_part(policy.Part(model=Decision, parent="application", name="decision"))
policy.register_part(policy.Part(model=DisclosureRecord, parent="application", name="disclosure"))
policy.register_part(policy.Part(model=PackageSection, parent="package", name="sections"))
policy.register_part(policy.Part(model=PackageEntry, parent="section", name="entries"))
