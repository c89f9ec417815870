"""Who may see referrals and consultations (registered with the sharing policy)."""

from django.db.models import Q

from mash.agencies.policy import is_lead_case_worker, is_police
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
    RagRating,
    Referral,
    ReferralGroupObjectPermission,
    ReferralUserObjectPermission,
    ResponseEntry,
    TimelineEvent,
)


def uses_referral_grants(actor: Actor) -> bool:
    # Another agency sees a referral only once asked about it (a grant to its group).
    return actor.has(Role.AGENCY_RESEARCHER, Role.DECISION_MAKER, Role.MASH_MANAGER)


def may_list_referrals(actor: Actor) -> bool:
    """The triage queue: every open referral for the lead agency's case workers, the ones an agency was
    asked about for its researchers, decision makers and managers (the rule below decides)."""
    return policy.may_list(actor, Referral)


def may_list_consultations(actor: Actor) -> bool:
    """The consultation line's calls are the lead agency's case workers' (the rule below decides)."""
    return policy.may_list(actor, Consultation)


def may_answer_requests(actor: Actor) -> bool:
    """The agency inbox: another agency's researchers, decision makers and managers answer requests."""
    return uses_referral_grants(actor) and not actor.is_lead


def may_record_referrals(actor: Actor) -> bool:
    return is_lead_case_worker(actor)


def may_send_police_notification(actor: Actor) -> bool:
    """The police data administrator sends the MASH a police notification (a repeat-missing child):
    a referral they record but, like any referrer, do not then see."""
    return is_police(actor) and actor.has(Role.DATA_ADMINISTRATOR)


def may_triage(actor: Actor) -> bool:
    return actor.is_lead and actor.has(Role.TRIAGE_PRACTITIONER, Role.MASH_MANAGER)


def may_decide_outcome(actor: Actor) -> bool:
    return actor.is_lead and actor.has(Role.DECISION_MAKER, Role.MASH_MANAGER)


# An asked agency sees the referral's summary: who, the concern, the RAG rating and when the MASH decides,
# and its own requests. Never the referrer, the account, consent, the triage's reasoning (the rationale,
# the RAG history, the timeline: its notes quote other agencies' answers) or the outcome.
REFERRAL_PARTNER_FIELDS = frozenset(
    {
        "id",
        "reference",
        "kind",
        "state",
        "rag",
        "received_at",
        "concerns",
        "subjects",
        "decision_clock",
        "information_requests",
    }
)

policy.register(
    policy.Rule(
        model=Referral,
        group_grant_model=ReferralGroupObjectPermission,
        user_grant_model=ReferralUserObjectPermission,
        sees_all=is_lead_case_worker,
        uses_grants=uses_referral_grants,
        partner_fields=REFERRAL_PARTNER_FIELDS,
    )
)
policy.register_part(policy.Part(model=TimelineEvent, parent="referral", name="timeline"))
policy.register_part(policy.Part(model=RagRating, parent="referral", name="rag_history"))
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
        # The asked agency sees its own request whole: the questions, its answer, a withdrawal's reason.
        partner_fields=frozenset(
            {
                "id",
                "referral",
                "agency",
                "questions",
                "status",
                "clock",
                "sent_by",
                "sent_at",
                "assigned_to",
                "answered_at",
                "answered_by",
                "withdrawn_at",
                "withdrawn_by",
                "withdrawal_reason",
                "version",
                "entries",
                # Threshold decisions' ratings of its answer: its MASH managers only (strategy/policy.py).
                "ratings",
            }
        ),
    )
)


def answer_entry_shown(actor: Actor, entry: ResponseEntry) -> bool:
    """An answer is its agency's until submitted: no other agency (the lead included) sees a draft."""
    request = entry.request
    return request.answered_at is not None or actor.agency_id == request.agency_id


policy.register_part(
    policy.Part(
        model=ResponseEntry,
        parent="request",
        name="entries",
        shown=answer_entry_shown,
        shown_filter=lambda actor: (
            Q(request__answered_at__isnull=False) | Q(request__agency_id=actor.agency_id)
        ),
    )
)
