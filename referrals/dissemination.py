"""What of a referral may be shared outside the MASH (mash/sharing/dissemination.py): its summary, owned
by the lead agency, and each entry of each submitted answer, owned by the agency that gave it (police
entries carry their grading and handling conditions). Only what the requester may see is offered; and
the referrer's feedback e-mail, which leaves the MASH, is logged under its own rule."""

from django.urls import reverse

from mash.agencies.models import Agency
from mash.common.dates import format_date
from mash.sharing import dissemination, policy
from mash.sharing.dissemination import ItemChoice, item_key
from mash.sharing.models import LawfulBasis
from referrals.models import InformationRequest, Referral, ResponseEntry
from referrals.templatetags.referrals import concern_label


def lead_agency() -> Agency | None:
    return Agency.objects.filter(is_lead=True).first()


def _born(person) -> str:
    if person.date_of_birth:
        return f", born {format_date(person.date_of_birth)}"
    return ""


def referral_summary_text(user, referral: Referral) -> str:
    audience = policy.audience_of(user, referral)

    def shown(name: str) -> bool:
        return policy.shows(audience, Referral, name)

    lines = [
        f"Referral {referral.reference} ({referral.get_kind_display().lower()}), "
        f"received {format_date(referral.received_at)}."
    ]
    if shown("subjects"):
        people = [
            f"{s.person.full_name} ({s.get_role_display().lower()}){_born(s.person)}"
            for s in referral.subjects.select_related("person")
        ]
        lines.append("People: " + "; ".join(people) + ".")
    if shown("concerns") and referral.concerns:
        lines.append("Concerns: " + ", ".join(concern_label(c) for c in referral.concerns) + ".")
    if shown("rag") and referral.rag:
        lines.append(f"RAG rating: {referral.get_rag_display()}.")
    if shown("account"):
        lines.append(f"The concern: {referral.account}")
    if shown("outcome") and referral.outcome:
        lines.append(f"Outcome: {referral.get_outcome_display()}: {referral.outcome_rationale}")
    return "\n".join(lines)


def entry_text(entry) -> str:
    """A graded entry (an answer's or a research package's) as it is shared."""
    if getattr(entry, "nothing_known", False):
        return "Nothing known."
    lines = [entry.summary]
    if entry.detail:
        lines.append(entry.detail)
    source = entry.source_system
    if entry.information_date:
        source = (
            f"{source}, {format_date(entry.information_date)}"
            if source
            else format_date(entry.information_date)
        )
    if source:
        lines.append(f"Source: {source}.")
    return "\n".join(lines)


def graded(entry) -> dict:
    return {
        "source_evaluation": entry.source_evaluation,
        "intelligence_assessment": entry.intelligence_assessment,
        "handling_code": entry.handling_code,
        "handling_conditions": entry.handling_conditions,
    }


def answer_items(user, requests) -> list[ItemChoice]:
    """Each entry of each submitted answer among ``requests`` that this user may see."""
    items = []
    for request in policy.visible(user, requests.filter(answered_at__isnull=False)).select_related("agency"):
        if not policy.shows(policy.audience_of(user, request), InformationRequest, "entries"):
            continue
        entries = policy.parts_shown(user, ResponseEntry.objects.filter(request=request)).select_related(
            "person"
        )
        for entry in entries:
            items.append(
                ItemChoice(
                    key=item_key(entry),
                    kind=f"{request.agency.name} answer about {entry.person.full_name}"
                    + (" (addendum)" if entry.is_addendum else ""),
                    owner_agency=request.agency,
                    text=entry_text(entry),
                    record=entry,
                    **graded(entry),
                )
            )
    return items


def referral_items(user, referral: Referral) -> list[ItemChoice]:
    items = []
    lead = lead_agency()
    if lead is not None:
        items.append(
            ItemChoice(
                key=item_key(referral, "summary"),
                kind=f"Referral {referral.reference}: summary",
                owner_agency=lead,
                text=referral_summary_text(user, referral),
                record=referral,
            )
        )
    return items + answer_items(user, referral.information_requests.all())


def main_subject(referral: Referral):
    link = referral.subjects.filter(role="subject").select_related("person").first()
    return link.person if link else None


def referrer_of(referral: Referral | None) -> tuple[str, str]:
    if not isinstance(referral, Referral):
        return "", ""
    return referral.referrer_name, referral.referrer_organisation


def register() -> None:
    dissemination.register_items(
        Referral,
        referral_items,
        url=lambda referral: reverse("referrals:detail", args=[referral.pk]),
        label=lambda referral: f"Referral {referral.reference}",
        person=main_subject,
    )
    dissemination.register_email_rule(
        dissemination.EmailRule(
            event="referral.feedback",
            need="Telling the referrer the outcome of their referral, as Working Together 2023 asks.",
            lawful_basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
            recipient=referrer_of,
        )
    )


def load_demo_disseminations(sender, users, stdout, **kwargs):
    """Two requests to share the answered red referral: one approved (its summary, to the school), one
    awaiting approval (its summary and the police answer, handling code C, to the GP)."""
    from mash.sharing.dissemination_services import dissemination_item_decide, dissemination_request_create
    from mash.sharing.models import DisseminationRequest

    referral = Referral.objects.filter(information_requests__answered_at__isnull=False).order_by("pk").first()
    if referral is None or DisseminationRequest.objects.exists():
        return
    triage = users["triage"]
    choices = dissemination.items_for(triage, referral)
    approved = dissemination_request_create(
        by=triage,
        record=referral,
        item_keys=[choices[0].key],
        recipient_organisation="Orwell Primary School",
        recipient_role="Designated safeguarding lead",
        recipient_name="Mrs Joan Price",
        recipient_contact="dsl@orwell-primary.example",
        method="email",
        need="The school keeps Jayden safe during the school day and watches for who collects him.",
        lawful_basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
    )
    dissemination_item_decide(item=approved.items.get(), by=users["la.decision"], decision="release")
    dissemination_request_create(
        by=triage,
        record=referral,
        item_keys=[choice.key for choice in choices],
        recipient_organisation="Riverside Surgery",
        recipient_role="GP",
        recipient_name="Dr Anil Patel",
        method="letter",
        need="The GP is the lead health professional and sees the family this week.",
        lawful_basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
    )
    stdout.write(
        "  Two requests to share the red referral outside the MASH: one approved, one awaiting approval."
    )
