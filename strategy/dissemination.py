"""What of a strategy discussion may be shared outside the MASH (mash/sharing/dissemination.py): its
decisions (and, for who may see it, its rationale), owned by the lead agency; and the entries of the
answers it considered, each owned by the agency that gave it, as the referral offers them."""

from django.urls import reverse

from mash.common.dates import format_datetime
from mash.sharing import dissemination, policy
from mash.sharing.dissemination import ItemChoice, item_key
from referrals.dissemination import answer_items, lead_agency
from strategy.models import StrategyDiscussion


def discussion_summary_text(user, discussion: StrategyDiscussion) -> str:
    audience = policy.audience_of(user, discussion)
    lines = [
        f"Strategy discussion about referral {discussion.referral.reference}, "
        f"{format_datetime(discussion.scheduled_at)} ({discussion.get_mode_display().lower()}): "
        f"{discussion.get_status_display().lower()}."
    ]
    if policy.shows(audience, StrategyDiscussion, "decisions"):
        for decision in discussion.decisions.select_related("person"):
            line = f"Decision for {decision.person.full_name}: {decision.get_decision_display()}"
            lines.append(f"{line}. {decision.rationale}".strip())
    if policy.shows(audience, StrategyDiscussion, "rationale") and discussion.rationale:
        lines.append(f"Rationale: {discussion.rationale}")
    return "\n".join(lines)


def discussion_items(user, discussion: StrategyDiscussion) -> list[ItemChoice]:
    items = []
    lead = lead_agency()
    if lead is not None:
        items.append(
            ItemChoice(
                key=item_key(discussion, "summary"),
                kind="Strategy discussion: decisions",
                owner_agency=lead,
                text=discussion_summary_text(user, discussion),
                record=discussion,
            )
        )
    if policy.shows(policy.audience_of(user, discussion), StrategyDiscussion, "considered"):
        items += answer_items(user, discussion.considered.all())
    return items


def register() -> None:
    dissemination.register_items(
        StrategyDiscussion,
        discussion_items,
        url=lambda discussion: reverse("strategy:discussion", args=[discussion.pk]),
        label=lambda discussion: f"Strategy discussion on {discussion.referral.reference}",
    )
