"""A full referral for the erasure tests, built through the services, with a unique planted value in
every personal-data and free-text field: its subjects (names, date of birth, NHS number, address), the
referrer, the account, both agencies' answers, the threshold decision, the strategy discussion with its
decisions, actions and addendum, the notifications sent, reads in the access log, a break-glass opening
and the audit trail's history of an edit. ``plant_markers`` then puts a marker in every free-text field
left (tests/sharing/markers.py's list of fields), so a field added later is covered too."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import count

import nhs_number as nhs
from django.utils import timezone

from mash.people.services import person_update
from mash.sharing import dissemination
from mash.sharing.dissemination_services import dissemination_request_create
from mash.sharing.models import LawfulBasis
from mash.sharing.services import break_glass_open
from referrals import services
from referrals.requests import services as request_services
from referrals.requests.services import EntryInput, RequestInput
from referrals.services import SubjectInput
from strategy import services as strategy_services
from strategy.models import Attendance, Decision, Mode
from tests.factories import PersonFactory
from tests.sharing import markers
from tests.strategy.support import every_child

# Kept on purpose: a record's reference (not personal; the erasure's description names it).
KEPT_FIELDS = {("referrals", "referral", "reference")}


def nhs_number(seed: int) -> str:
    """A valid NHS number near ``seed`` (a 9-digit number): the first with a check digit that fits."""
    for n in count(seed):
        for check in range(10):
            candidate = f"{n % 10**9:09d}{check}"
            if nhs.is_valid(candidate):
                return candidate
    raise AssertionError


@dataclass
class Planted:
    prefix: str
    values: list[str] = field(default_factory=list)
    numbers: count = field(default_factory=lambda: count(1))

    def __call__(self, words: str = "") -> str:
        value = f"{self.prefix}{next(self.numbers):03d}{words}"
        self.values.append(value)
        return value

    def add(self, value: str) -> str:
        self.values.append(value)
        return value


def person(planted: Planted, dob: date, nhs_seed: int, **fields):
    values = {
        "given_name": planted("Given"),
        "family_name": planted("Family"),
        "date_of_birth": dob,
        "nhs_number": planted.add(nhs_number(nhs_seed)),
        "aliases": planted("Alias"),
        "address": planted(" Acacia Road, Ipswich"),
        "postcode": planted.add(f"Q{nhs_seed % 10}{nhs_seed % 7} 9ZX"),
        "gender": "female",
    }
    planted.add(dob.isoformat())
    values.update(fields)
    return PersonFactory(**values)


def closed_referral(cast, planted: Planted, *, child, sibling, client=None):
    """A referral about ``child`` and ``sibling`` taken through a strategy discussion to closure."""
    referral = services.referral_create(
        by=cast.triage,
        kind="child",
        channel="phone",
        referrer_name=planted("Referrer"),
        referrer_organisation=planted("School"),
        referrer_role=planted("Role"),
        referrer_email=planted.add(f"plnt{next(planted.numbers):03d}@school.example"),
        referrer_phone=planted.add(f"01473 {next(planted.numbers):06d}"),
        referrer_relationship=planted("Relation"),
        account=planted("Account of the concern"),
        concerns=["physical"],
        consent="not_sought",
        consent_reason=planted("ConsentReason"),
        consent_decided_by=planted("ConsentBy"),
        subjects=[SubjectInput(person=child), SubjectInput(person=sibling, role="sibling")],
    )
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    services.referral_rate(referral=referral, by=cast.triage, rating="red", rationale=planted("Rag"))
    services.referral_transition(referral=referral, by=cast.triage, to_state="information_gathering")
    police, health = request_services.information_requests_send(
        referral=referral,
        by=cast.triage,
        requests=[
            RequestInput(agency=cast.police, questions=planted("PoliceQ")),
            RequestInput(agency=cast.health, questions=planted("HealthQ")),
        ],
    )
    request_services.response_entry_add(
        request=police,
        by=cast.police_researcher,
        data=EntryInput(
            person_id=child.pk,
            source_system="PNC",
            summary=planted("PoliceSummary"),
            detail=planted("PoliceDetail"),
            source_evaluation="1",
            intelligence_assessment="B",
            handling_code="C",
            handling_conditions=planted("Conditions"),
        ),
    )
    request_services.response_entry_add(
        request=police, by=cast.police_researcher, data=EntryInput(person_id=sibling.pk, nothing_known=True)
    )
    request_services.information_request_submit(request=police, by=cast.police_researcher)
    request_services.response_entry_add(
        request=health,
        by=cast.health_researcher,
        data=EntryInput(
            person_id=sibling.pk,
            source_system="SystmOne",
            summary=planted("HealthSummary"),
            detail=planted("HealthDetail"),
        ),
    )
    request_services.response_entry_add(
        request=health, by=cast.health_researcher, data=EntryInput(person_id=child.pk, nothing_known=True)
    )
    request_services.information_request_submit(request=health, by=cast.health_researcher)
    referral.refresh_from_db()
    strategy_services.threshold_decide(
        referral=referral,
        by=cast.decision_maker,
        required=True,
        rationale=planted("Threshold"),
        information_relied_on=planted("ReliedOn"),
        answers=[police, health],
        ratings=[
            strategy_services.RatingInput(request=police, sufficient=True),
            strategy_services.RatingInput(request=health, sufficient=False, reason=planted("NotSufficient")),
        ],
    )
    discussion = strategy_services.discussion_convene(
        referral=referral,
        by=cast.decision_maker,
        scheduled_at=timezone.now().replace(second=0, microsecond=0),
        mode=Mode.MEETING,
        location=planted("Room"),
        chair=cast.decision_maker,
        invitees=[
            strategy_services.Invitee(agency=cast.police, user=cast.police_decision_maker),
            strategy_services.Invitee(agency=cast.health),
        ],
    )
    strategy_services.attendance_record(
        discussion=discussion,
        by=cast.decision_maker,
        attendance={i.pk: Attendance.ATTENDED for i in discussion.invitations.all()},
    )
    strategy_services.record_update(
        discussion=discussion, by=cast.decision_maker, notes=planted("Notes"), rationale=planted("Why")
    )
    strategy_services.decisions_record(
        discussion=discussion,
        by=cast.decision_maker,
        decisions=every_child(discussion, Decision.S47_JOINT, planted("DecisionWhy")),
    )
    action = strategy_services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description=planted("Action"),
        owner_agency=cast.police,
        owner=cast.police_researcher,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    strategy_services.action_complete(action=action, by=cast.police_researcher, note=planted("Done"))
    strategy_services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)
    strategy_services.addendum_add(discussion=discussion, by=cast.decision_maker, text=planted("Addendum"))
    referral.refresh_from_db()
    services.referral_close(referral=referral, by=cast.triage)
    # The audit trail's history of an edit: the old and the new address.
    person_update(person=child, address=planted(" Larch Lane, Felixstowe"))
    if client is not None:  # reads in the access log, through the pages
        client.force_login(cast.triage)
        assert client.get(f"/referrals/{referral.pk}/").status_code == 200
        assert client.get(f"/people/{child.pk}/").status_code == 200
    break_glass_open(user=cast.manager, obj=referral, reason=planted("BreakGlassReason"))
    # A request to share its summary outside the MASH (its items copy the record's text).
    dissemination_request_create(
        by=cast.triage,
        record=referral,
        item_keys=[choice.key for choice in dissemination.items_for(cast.triage, referral)][:2],
        recipient_organisation=planted("Org"),
        recipient_name=planted("Recipient"),
        recipient_contact=planted("Contact"),
        method="email",
        need=planted("Need"),
        lawful_basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
    )
    referral.refresh_from_db()
    return referral


def plant_markers() -> list[str]:
    """A marker in every free-text field of every row of the case apps (the record built is the only
    one), but those kept on purpose."""
    numbers = count(1)
    planted = []
    for model in markers.content_models():
        names = [
            n
            for n in markers.free_text_fields(model)
            if (model._meta.app_label, model._meta.model_name, n) not in KEPT_FIELDS
        ]
        for pk in model._default_manager.order_by("pk").values_list("pk", flat=True):
            values = {}
            for name in names:
                values[name] = f"MKR{next(numbers):04d}"
                planted.append(values[name])
            model._default_manager.filter(pk=pk).update(**values)
    return planted
