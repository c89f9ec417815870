"""Who may see a Person (registered with the sharing policy)."""

from mash.agencies.roles import Role
from mash.agencies.selectors import Actor
from mash.people.models import Person, PersonGroupObjectPermission, PersonUserObjectPermission
from mash.sharing import policy

CASE_ROLES = (
    Role.TRIAGE_PRACTITIONER,
    Role.AGENCY_RESEARCHER,
    Role.DECISION_MAKER,
    Role.DATA_ADMINISTRATOR,
    Role.MASH_MANAGER,
)


def sees_all_people(actor: Actor) -> bool:
    # The lead agency holds the MASH's record of every subject; the police data administrator
    # matches the subjects of missing-person reports and disclosure applications against it.
    if actor.is_lead and actor.has(Role.TRIAGE_PRACTITIONER, Role.DECISION_MAKER, Role.MASH_MANAGER):
        return True
    return actor.agency_kind == "police" and actor.has(Role.DATA_ADMINISTRATOR)


def uses_person_grants(actor: Actor) -> bool:
    return actor.has(*CASE_ROLES)


policy.register(
    policy.Rule(
        model=Person,
        group_grant_model=PersonGroupObjectPermission,
        user_grant_model=PersonUserObjectPermission,
        sees_all=sees_all_people,
        uses_grants=uses_person_grants,
    )
)


def may_create_person(actor: Actor) -> bool:
    # Only those who can see every person may add one: they are the ones who can check for a match.
    return sees_all_people(actor) and actor.has(
        Role.TRIAGE_PRACTITIONER, Role.DATA_ADMINISTRATOR, Role.DECISION_MAKER
    )
