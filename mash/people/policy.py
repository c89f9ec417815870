"""Who may see a Person (registered with the sharing policy)."""

from mash.agencies.policy import is_lead_case_worker, is_police
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
    return is_lead_case_worker(actor) or (is_police(actor) and actor.has(Role.DATA_ADMINISTRATOR))


def uses_person_grants(actor: Actor) -> bool:
    return actor.has(*CASE_ROLES)


# What an agency that sees a person through a grant (it was asked about them, or sees a record naming
# them) may see: who they are, enough to find them in its own records and be sure it is the same
# person: the names (aliases too: records are often kept under another name), the date of birth or
# approximate age, the gender and the NHS number. Not the address or postcode: where a child or an
# adult at risk lives (a refuge, a placement) is the lead agency's to share when there is a need, and
# the asked agency searches its records by the identifiers above; an agency that needs it asks.
PERSON_PARTNER_FIELDS = frozenset(
    {
        "id",
        "given_name",
        "family_name",
        "aliases",
        "date_of_birth",
        "approximate_age",
        "gender",
        "nhs_number",
    }
)

policy.register(
    policy.Rule(
        model=Person,
        group_grant_model=PersonGroupObjectPermission,
        user_grant_model=PersonUserObjectPermission,
        sees_all=sees_all_people,
        uses_grants=uses_person_grants,
        partner_fields=PERSON_PARTNER_FIELDS,
    )
)


def may_create_person(actor: Actor) -> bool:
    # Only those who can see every person may add one: they are the ones who can check for a match.
    return sees_all_people(actor) and actor.has(
        Role.TRIAGE_PRACTITIONER, Role.DATA_ADMINISTRATOR, Role.DECISION_MAKER
    )


def may_name_new_person(actor: Actor) -> bool:
    """May add someone new while recording a case (a referral's subject, the people of a disclosure
    application, a missing child): those who see every person, for the reason above (they could
    check for a match). Wider than ``may_create_person``, the people pages' own form, which is for
    the roles whose work is keeping the record of people: a lead MASH manager names a new subject
    when recording a referral, not on the people pages."""
    return sees_all_people(actor)
