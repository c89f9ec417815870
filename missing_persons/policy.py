"""Who may see and do what with missing-person episodes (the sharing policy).

The police and the lead agency's case workers see every episode; another agency sees one only through
a referral that includes it (a grant to its group when it is asked about that referral).
"""

from django.db.models import Q

from mash.agencies.policy import is_lead_case_worker, is_police
from mash.agencies.roles import Role
from mash.agencies.selectors import Actor
from mash.sharing import policy
from missing_persons.models import (
    Episode,
    EpisodeGroupObjectPermission,
    EpisodeUserObjectPermission,
    ImportBatch,
    RepeatFlag,
    ReturnInterview,
    RiskGrading,
)

POLICE_ROLES = (Role.DATA_ADMINISTRATOR, Role.AGENCY_RESEARCHER, Role.DECISION_MAKER, Role.MASH_MANAGER)


def sees_all_episodes(actor: Actor) -> bool:
    return (is_police(actor) and actor.has(*POLICE_ROLES)) or is_lead_case_worker(actor)


def may_administer(actor: Actor) -> bool:
    """Record and import episodes, re-grade, record returns, act on repeat flags: the police data
    administrators."""
    return is_police(actor) and actor.has(Role.DATA_ADMINISTRATOR)


def may_record_interview(actor: Actor, interview) -> bool:
    """The agency doing the interview, the lead agency's case workers, or the data administrators."""
    if may_administer(actor) or is_lead_case_worker(actor):
        return True
    return interview.agency_id is not None and actor.agency_id == interview.agency_id


# What an agency asked about a referral sees of the episodes attached to it: that the person went
# missing, when and from where, how and when they came back, the risk and the exploitation indicators,
# which is what the referral asks it to weigh. Not the police's own record: who reported them (a third
# party), the circumstances, the linked places and associates (police intelligence), where, by whom
# and how they were found, the well-being note, the risk gradings' rationale, the police reference, the
# import or the referral it went with. The return home interview is shown to the agency doing it.
EPISODE_PARTNER_FIELDS = frozenset(
    {
        "id",
        "person",
        "is_child",
        "reported_at",
        "reporter_kind",
        "last_seen_at",
        "last_seen_place",
        "risk",
        "status",
        "found_at",
        "indicators",
        "interview",
    }
)


def interview_shown(actor: Actor, interview: ReturnInterview) -> bool:
    """A return home interview is for those who see every episode and the agency doing it."""
    return sees_all_episodes(actor) or (
        interview.agency_id is not None and interview.agency_id == actor.agency_id
    )


def interview_shown_filter(actor: Actor) -> Q:
    return Q() if sees_all_episodes(actor) else Q(agency_id=actor.agency_id, agency__isnull=False)


policy.register(
    policy.Rule(
        model=Episode,
        group_grant_model=EpisodeGroupObjectPermission,
        user_grant_model=EpisodeUserObjectPermission,
        sees_all=sees_all_episodes,
        uses_grants=lambda actor: actor.has(Role.AGENCY_RESEARCHER, Role.DECISION_MAKER, Role.MASH_MANAGER),
        partner_fields=EPISODE_PARTNER_FIELDS,
    )
)
policy.register_part(policy.Part(model=RiskGrading, parent="episode", name="gradings"))
policy.register_part(
    policy.Part(
        model=ReturnInterview,
        parent="episode",
        name="interview",
        shown=interview_shown,
        shown_filter=interview_shown_filter,
    )
)
# An import batch (the file a police export came in) is the police's and the lead agency's, as every
# episode is: never granted out. No grant table: ``uses_grants`` is never true, so none is ever read.
policy.register(
    policy.Rule(
        model=ImportBatch,
        group_grant_model=None,
        user_grant_model=None,
        sees_all=sees_all_episodes,
        uses_grants=lambda actor: False,
    )
)
# A repeat-missing flag is about its person: its resolution note is for those who see the person whole.
policy.register_part(policy.Part(model=RepeatFlag, parent="person", name="repeat_flags"))
