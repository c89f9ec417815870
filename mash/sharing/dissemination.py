"""What may be shared outside the MASH from a record, who approves it, and the rules of the system's own
e-mails that leave the MASH.

Each domain app registers, in its ``AppConfig.ready()``, the items a user may choose from one of its
records (``register_items``): a referral's summary, each submitted answer's entries, a research
package's entries... Each item names the agency that owns it (whose decision makers approve it) and
carries the grading and handling conditions of graded information. The function is given the acting
user and returns only what that user may see (it asks mash/sharing/policy.py), so a requester can only
ever choose what is shown to them. The core never imports a domain app (tests/test_architecture.py).

An e-mail the system sends to an address outside the MASH (the referrer's feedback) is written to the
dissemination log when it leaves (mash/notifications/delivery.py); its app registers the need and the
lawful basis of that kind of e-mail (``register_email_rule``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from mash.agencies.policy import is_information_governance
from mash.agencies.roles import Role
from mash.agencies.selectors import Actor, actor_for
from mash.common.grading import HandlingCode
from mash.sharing import policy
from mash.sharing.models import LawfulBasis, RequestState

APPROVER_ROLES = (Role.DECISION_MAKER, Role.MASH_MANAGER)


@dataclass(frozen=True)
class ItemChoice:
    """One item of a record that may be shared, as the acting user may see it."""

    # Stable within the record: '<app_label>.<model>:<pk>[:<part>]'.
    key: str
    kind: str
    owner_agency: models.Model
    text: str
    # The item's own record (the referral, an answer's entry, a package entry...).
    record: models.Model
    source_evaluation: str = ""
    intelligence_assessment: str = ""
    handling_code: str = ""
    handling_conditions: str = ""

    @property
    def grading(self) -> str:
        parts = [self.source_evaluation, self.intelligence_assessment, self.handling_code]
        return "/".join(p or "-" for p in parts) if any(parts) else ""

    @property
    def is_code_c(self) -> bool:
        return self.handling_code == HandlingCode.C


def item_key(obj: models.Model, part: str = "") -> str:
    key = f"{obj._meta.label_lower}:{obj.pk}"
    return f"{key}:{part}" if part else key


@dataclass(frozen=True)
class Source:
    model: type[models.Model]
    items: Callable[[object, models.Model], list[ItemChoice]]
    # The person the record is about, if one (the log's person).
    person: Callable[[models.Model], models.Model | None]
    # The record's page, to go back to.
    url: Callable[[models.Model], str]
    # What the record is called on the request's page: 'Referral MASH-2026-000123'.
    label: Callable[[models.Model], str]


_sources: dict[type[models.Model], Source] = {}


def register_items(
    model: type[models.Model],
    items: Callable[[object, models.Model], list[ItemChoice]],
    *,
    url: Callable[[models.Model], str],
    label: Callable[[models.Model], str] = str,
    person: Callable[[models.Model], models.Model | None] = lambda obj: None,
) -> Source:
    source = Source(model=model, items=items, person=person, url=url, label=label)
    _sources[model._meta.concrete_model] = source
    return source


def source_for(model_or_obj) -> Source | None:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    return _sources.get(model._meta.concrete_model)


def items_for(user, obj: models.Model) -> list[ItemChoice]:
    """The items of ``obj`` this user may choose (none when they may not see the record)."""
    source = source_for(obj)
    if source is None or not policy.can_view(user, obj):
        return []
    return source.items(user, obj)


# --- Who does what ----------------------------------------------------------------------------------


def may_request(user, obj: models.Model) -> bool:
    """May this user ask to share items of this record outside the MASH? Whoever may see it."""
    return source_for(obj) is not None and policy.can_view(user, obj)


def is_approver(actor: Actor) -> bool:
    """Decision makers and MASH managers approve their own agency's items."""
    return actor.agency is not None and actor.has(*APPROVER_ROLES)


def may_decide(actor: Actor, item) -> bool:
    """May this actor release or withhold this item? A decision maker or MASH manager of the agency
    that owns it, and never the person who asked (the service says so with its own message)."""
    return (
        is_approver(actor)
        and actor.agency_id == item.owner_agency_id
        and actor.user_id != item.request.requested_by_id
    )


def may_see_request(user, request, items=None) -> bool:
    """The requester, information governance (read-only), and the approvers of an item's agency."""
    actor = actor_for(user)
    if user.pk == request.requested_by_id or is_information_governance(actor):
        return True
    if not is_approver(actor):
        return False
    items = request.items.all() if items is None else items
    return any(item.owner_agency_id == actor.agency_id for item in items)


def shows_item_text(user, request, item) -> bool:
    """The text of an item, to the requester, information governance and the owner agency's approvers:
    an approver of one agency never reads another agency's item through a request."""
    actor = actor_for(user)
    return (
        user.pk == request.requested_by_id
        or is_information_governance(actor)
        or (is_approver(actor) and actor.agency_id == item.owner_agency_id)
    )


def may_download(user, request, items=None) -> bool:
    """The document that leaves, once approved: to the requester who sends it, and to information
    governance."""
    if request.state != RequestState.APPROVED:
        return False
    return user.pk == request.requested_by_id or is_information_governance(actor_for(user))


def may_use_requests(actor: Actor) -> bool:
    """The list of requests: anyone of an agency (each sees their own, approvers their agency's)."""
    return actor.agency is not None or is_information_governance(actor)


# --- The system's own e-mails that leave the MASH ------------------------------------------------


@dataclass(frozen=True)
class EmailRule:
    event: str
    need: str
    lawful_basis: str = LawfulBasis.PUBLIC_TASK_SAFEGUARDING
    # (name, organisation) of the recipient, from the record the e-mail is about (or None).
    recipient: Callable[[models.Model | None], tuple[str, str]] = lambda subject: ("", "")


_email_rules: dict[str, EmailRule] = {}


def register_email_rule(rule: EmailRule) -> EmailRule:
    _email_rules[rule.event] = rule
    return rule


def email_rule_for(event: str) -> EmailRule:
    """The event's rule; an e-mail no app registered is logged all the same, saying so."""
    return _email_rules.get(event) or EmailRule(
        event=event,
        need=f"An e-mail the system sends outside the MASH ({event}); no sharing rule names its need.",
    )
