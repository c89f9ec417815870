"""Who may see referrals and consultations (registered with the sharing policy)."""

from mash.agencies.roles import Role
from mash.agencies.selectors import Actor
from mash.sharing import policy
from referrals.models import (
    Consultation,
    ConsultationGroupObjectPermission,
    ConsultationUserObjectPermission,
    InformationRequest,
    InformationRequestGroupObjectPermission,
    InformationRequestUserObjectPermission,
    Referral,
    ReferralGroupObjectPermission,
    ReferralUserObjectPermission,
)

LEAD_ROLES = (Role.TRIAGE_PRACTITIONER, Role.DECISION_MAKER, Role.MASH_MANAGER)


def is_lead_case_worker(actor: Actor) -> bool:
    """The lead agency's triage practitioners, decision makers and MASH managers see every referral."""
    return actor.is_lead and actor.has(*LEAD_ROLES)


def uses_referral_grants(actor: Actor) -> bool:
    # Another agency sees a referral only once asked about it (a grant to its group).
    return actor.has(Role.AGENCY_RESEARCHER, Role.DECISION_MAKER, Role.MASH_MANAGER)


def may_record_referrals(actor: Actor) -> bool:
    return is_lead_case_worker(actor)


def may_send_police_notification(actor: Actor) -> bool:
    """The police data administrator sends the MASH a police notification (a repeat-missing child):
    a referral they record but, like any referrer, do not then see."""
    return actor.agency_kind == "police" and actor.has(Role.DATA_ADMINISTRATOR)


def may_triage(actor: Actor) -> bool:
    return actor.is_lead and actor.has(Role.TRIAGE_PRACTITIONER, Role.MASH_MANAGER)


def may_decide_outcome(actor: Actor) -> bool:
    return actor.is_lead and actor.has(Role.DECISION_MAKER, Role.MASH_MANAGER)


policy.register(
    policy.Rule(
        model=Referral,
        group_grant_model=ReferralGroupObjectPermission,
        user_grant_model=ReferralUserObjectPermission,
        sees_all=is_lead_case_worker,
        uses_grants=uses_referral_grants,
    )
)
policy.register(
    policy.Rule(
        model=Consultation,
        group_grant_model=ConsultationGroupObjectPermission,
        user_grant_model=ConsultationUserObjectPermission,
        sees_all=is_lead_case_worker,
        uses_grants=lambda actor: False,
    )
)
policy.register(
    policy.Rule(
        model=InformationRequest,
        group_grant_model=InformationRequestGroupObjectPermission,
        user_grant_model=InformationRequestUserObjectPermission,
        sees_all=is_lead_case_worker,
        uses_grants=uses_referral_grants,
    )
)
