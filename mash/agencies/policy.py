"""Who an actor is, in the terms every app's policy shares.

The apps' policies (and mash/sharing/policy.py's rules) are written in these terms, so that 'the lead
agency's case workers' or 'the police' mean the same thing in every app and in the navigation. Kept in
the core: a domain app asks the core, never another domain app, who the lead case workers are.
"""

from mash.agencies.models import AgencyKind
from mash.agencies.roles import Role
from mash.agencies.selectors import Actor

LEAD_CASE_WORKER_ROLES = (Role.TRIAGE_PRACTITIONER, Role.DECISION_MAKER, Role.MASH_MANAGER)


def is_lead_case_worker(actor: Actor) -> bool:
    """The lead agency's triage practitioners, decision makers and MASH managers: they see every
    referral, and every record the MASH keeps about its cases."""
    return actor.is_lead and actor.has(*LEAD_CASE_WORKER_ROLES)


def is_police(actor: Actor) -> bool:
    return actor.agency_kind == AgencyKind.POLICE


def is_information_governance(actor: Actor) -> bool:
    """Information governance reads the access log, reviews break-glass openings and disseminations."""
    return actor.has(Role.INFORMATION_GOVERNANCE)
