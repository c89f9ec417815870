"""Who may see and do what with missing-person episodes (the sharing policy).

The police and the lead agency's case workers see every episode; another agency sees one only through
a referral that includes it (a grant to its group when it is asked about that referral).
"""

from mash.agencies.models import AgencyKind
from mash.agencies.roles import Role
from mash.agencies.selectors import Actor
from mash.sharing import policy
from missing_persons.models import Episode, EpisodeGroupObjectPermission, EpisodeUserObjectPermission
from referrals.policy import is_lead_case_worker

POLICE_ROLES = (Role.DATA_ADMINISTRATOR, Role.AGENCY_RESEARCHER, Role.DECISION_MAKER, Role.MASH_MANAGER)


def sees_all_episodes(actor: Actor) -> bool:
    return (actor.agency_kind == AgencyKind.POLICE and actor.has(*POLICE_ROLES)) or is_lead_case_worker(actor)


def may_administer(actor: Actor) -> bool:
    """Record and import episodes, re-grade, record returns, act on repeat flags: the police data
    administrators."""
    return actor.agency_kind == AgencyKind.POLICE and actor.has(Role.DATA_ADMINISTRATOR)


def may_record_interview(actor: Actor, interview) -> bool:
    """The agency doing the interview, the lead agency's case workers, or the data administrators."""
    if may_administer(actor) or is_lead_case_worker(actor):
        return True
    return interview.agency_id is not None and actor.agency_id == interview.agency_id


policy.register(
    policy.Rule(
        model=Episode,
        group_grant_model=EpisodeGroupObjectPermission,
        user_grant_model=EpisodeUserObjectPermission,
        sees_all=sees_all_episodes,
        uses_grants=lambda actor: actor.has(Role.AGENCY_RESEARCHER, Role.DECISION_MAKER, Role.MASH_MANAGER),
    )
)
