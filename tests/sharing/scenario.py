"""One record of every case model in every state worth showing, built through the services.

The marker test (tests/sharing/test_markers.py) plants a marker in every free-text field of what this
builds and asks every page and endpoint for it as every member of the fixed cast. Add a record here
when a case app gains a model: the test fails naming a model with free-text fields and no row.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from disclosures import services as disclosure_services
from disclosures.models import PersonRole, Route, Scheme, SectionKind
from mash.common.grading import Grading
from mash.sharing import dissemination
from mash.sharing.dissemination_services import dissemination_item_decide, dissemination_request_create
from mash.sharing.services import break_glass_open
from mash.subject_access import services as sar_services
from mash.subject_access.models import IdentityMethod, Relationship
from missing_persons import services as missing_services
from missing_persons.models import InterviewStatus, ReporterKind, Risk
from missing_persons.services.importer import import_reports, sample_csv
from missing_persons.services.repeat import check_repeat
from referrals import services
from referrals.requests import services as request_services
from referrals.requests.services import EntryInput, RequestInput
from referrals.services import SubjectInput
from strategy import services as strategy_services
from strategy.models import Attendance, Decision, Mode
from tests.factories import PersonFactory


@dataclass
class Scenario:
    """The records built, by what they are (ids for the URL kwargs are read from these)."""

    records: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["records"][name]
        except KeyError:
            raise AttributeError(name) from None

    def add(self, **records):
        self.records.update(records)


def _gathering(cast, *people, rating="red", **fields):
    values = {
        "kind": "child",
        "channel": "phone",
        "referrer_name": "Mrs Price",
        "referrer_organisation": "Orwell Primary School",
        "referrer_role": "Designated safeguarding lead",
        "referrer_email": "dsl@school.example",
        "referrer_phone": "01473 111111",
        "referrer_relationship": "Teacher",
        "account": "Bruising seen at school.",
        "concerns": ["physical"],
        "consent": "not_sought",
        "consent_reason": "Asking could put the child at risk.",
        "consent_decided_by": "Mrs Price",
    }
    values.update(fields)
    subjects = [SubjectInput(person=people[0])] + [SubjectInput(person=p, role="sibling") for p in people[1:]]
    referral = services.referral_create(by=cast.triage, subjects=subjects, **values)
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    services.referral_rate(referral=referral, by=cast.triage, rating=rating, rationale="Injury to a child.")
    services.referral_transition(referral=referral, by=cast.triage, to_state="information_gathering")
    referral.refresh_from_db()
    return referral


def _police_entry(person, **fields) -> EntryInput:
    values = {
        "source_system": "PNC",
        "summary": "Arrested for assault, 2024",
        "detail": "Custody record 12/2024.",
        "source_evaluation": "1",
        "intelligence_assessment": "B",
        "handling_code": "C",
        "handling_conditions": "Not to be shared with the family.",
    }
    values.update(fields)
    return EntryInput(person_id=person.pk, **values)


def _health_entry(person, **fields) -> EntryInput:
    values = {
        "source_system": "SystmOne",
        "summary": "Missed three immunisation appointments",
        "detail": "Last seen by the health visitor in March.",
    }
    values.update(fields)
    return EntryInput(person_id=person.pk, **values)


def _referrals(cast, scenario: Scenario) -> None:
    child, sibling, parent = (
        PersonFactory(given_name="Jayden", family_name="Smith", nhs_number="9434765919"),
        PersonFactory(given_name="Amelia", family_name="Smith"),
        PersonFactory(given_name="Kayleigh", family_name="Smith", date_of_birth=None, approximate_age=30),
    )

    # Open, asked: the police answered (and added an addendum since), health's answer is still a draft.
    open_referral = _gathering(cast, child, sibling)
    police_request, health_draft = request_services.information_requests_send(
        referral=open_referral,
        by=cast.triage,
        requests=[
            RequestInput(agency=cast.police, questions="Any police contact?"),
            RequestInput(agency=cast.health, questions="Any A&E attendances?"),
        ],
    )
    request_services.information_request_claim(request=police_request, by=cast.police_researcher)
    request_services.response_entry_add(
        request=police_request, by=cast.police_researcher, data=_police_entry(child)
    )
    request_services.response_entry_add(
        request=police_request,
        by=cast.police_researcher,
        data=EntryInput(person_id=sibling.pk, nothing_known=True),
    )
    request_services.information_request_submit(request=police_request, by=cast.police_researcher)
    request_services.response_addendum_add(
        request=police_request,
        by=cast.police_researcher,
        data=_police_entry(
            child, summary="Missing from home, 2025", handling_code="P", handling_conditions=""
        ),
        reason="Found on a second search.",
    )
    request_services.information_request_claim(request=health_draft, by=cast.health_researcher)
    request_services.response_entry_add(
        request=health_draft, by=cast.health_researcher, data=_health_entry(child)
    )
    request_services.response_entry_add(
        request=health_draft, by=cast.health_researcher, data=_health_entry(sibling)
    )

    # Collated, a strategy discussion required, held, recorded, signed off, with an addendum.
    discussed = _gathering(cast, PersonFactory(given_name="Tyler", family_name="Grant"), rating="amber")
    police_answer, health_answer = request_services.information_requests_send(
        referral=discussed,
        by=cast.triage,
        requests=[
            RequestInput(agency=cast.police, questions="Known to you?"),
            RequestInput(agency=cast.health, questions="Known to you?"),
        ],
    )
    [tyler] = [link.person for link in discussed.subjects.all()]
    request_services.response_entry_add(
        request=police_answer, by=cast.police_researcher, data=_police_entry(tyler)
    )
    request_services.information_request_submit(request=police_answer, by=cast.police_researcher)
    request_services.response_entry_add(
        request=health_answer, by=cast.health_researcher, data=_health_entry(tyler)
    )
    request_services.information_request_submit(request=health_answer, by=cast.health_researcher)
    discussed.refresh_from_db()
    required = strategy_services.threshold_decide(
        referral=discussed,
        by=cast.decision_maker,
        required=True,
        rationale="Reasonable cause to suspect significant harm.",
        information_relied_on="The police answer.",
        answers=[police_answer, health_answer],
        ratings=[
            strategy_services.RatingInput(request=police_answer, sufficient=True),
            strategy_services.RatingInput(
                request=health_answer, sufficient=False, reason="No dates for the missed appointments."
            ),
        ],
    )
    discussion = strategy_services.discussion_convene(
        referral=discussed,
        by=cast.decision_maker,
        scheduled_at=timezone.now().replace(second=0, microsecond=0),  # the referral came in this minute
        mode=Mode.VIDEO,
        location="Teams",
        chair=cast.decision_maker,
        invitees=[
            strategy_services.Invitee(agency=cast.police, user=cast.police_decision_maker),
            strategy_services.Invitee(agency=cast.health),
        ],
    )
    strategy_services.attendance_record(
        discussion=discussion,
        by=cast.decision_maker,
        attendance={
            i.pk: Attendance.ATTENDED if i.agency_id == cast.police.pk else Attendance.APOLOGIES
            for i in discussion.invitations.all()
        },
    )
    strategy_services.record_update(
        discussion=discussion,
        by=cast.decision_maker,
        notes="Discussed the injury.",
        rationale="Risk of harm.",
    )
    [subject_decision] = strategy_services.decisions_record(
        discussion=discussion,
        by=cast.decision_maker,
        decisions=[
            strategy_services.DecisionInput(person=tyler, decision=Decision.S47_JOINT, rationale="Injury.")
        ],
    )
    police_action = strategy_services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="Visit the family.",
        owner_agency=cast.police,
        owner=cast.police_researcher,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    lead_action = strategy_services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="Start the assessment.",
        owner_agency=cast.lead,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    strategy_services.action_complete(action=lead_action, by=cast.decision_maker, note="Assessment started.")
    strategy_services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)
    addendum = strategy_services.addendum_add(
        discussion=discussion, by=cast.decision_maker, text="Date corrected."
    )

    # Asked, one request withdrawn; not for a discussion; outcome recorded and closed.
    closed = _gathering(cast, parent, kind="adult", adult_wishes="She wants to stay at home.", rating="green")
    withdrawn, health_closed = request_services.information_requests_send(
        referral=closed,
        by=cast.triage,
        requests=[
            RequestInput(agency=cast.outsider_agency, questions="Known to you?"),
            RequestInput(agency=cast.health, questions="Known to you?"),
        ],
    )
    request_services.information_request_withdraw(request=withdrawn, by=cast.triage, reason="Asked in error.")
    request_services.response_entry_add(
        request=health_closed,
        by=cast.health_researcher,
        data=EntryInput(person_id=parent.pk, nothing_known=True),
    )
    request_services.information_request_submit(request=health_closed, by=cast.health_researcher)
    closed.refresh_from_db()
    not_required = strategy_services.threshold_decide(
        referral=closed,
        by=cast.decision_maker,
        required=False,
        rationale="No cause to suspect significant harm.",
        outcome="s42_enquiry",
        outcome_rationale="A section 42 enquiry meets her needs.",
        answers=[health_closed],
    )
    services.referral_close(referral=closed, by=cast.triage, feedback_note="Told by phone.")

    consultation = services.consultation_create(
        by=cast.triage,
        caller_name="Dr Patel",
        caller_organisation="Riverside Surgery",
        caller_role="GP",
        caller_phone="01473 333333",
        caller_email="gp@surgery.example",
        anonymous_description="A boy of about ten",
        question="Should I refer?",
        advice="Yes: make a referral today.",
        referral_advised=True,
    )
    # A break-glass opening, for information governance's review pages.
    break_glass = break_glass_open(
        user=cast.manager, obj=open_referral, reason="Out of hours: the child's safety tonight."
    )
    scenario.add(
        break_glass=break_glass,
        child=child,
        sibling=sibling,
        parent=parent,
        tyler=tyler,
        open_referral=open_referral,
        police_request=police_request,
        health_draft=health_draft,
        discussed=discussed,
        police_answer=police_answer,
        health_answer=health_answer,
        threshold_required=required,
        discussion=discussion,
        subject_decision=subject_decision,
        police_action=police_action,
        lead_action=lead_action,
        addendum=addendum,
        closed=closed,
        withdrawn=withdrawn,
        health_closed=health_closed,
        threshold_not_required=not_required,
        consultation=consultation,
    )


def _disclosures(cast, scenario: Scenario) -> None:
    subject = PersonFactory(given_name="Mark", family_name="Taylor")
    applicant = PersonFactory(given_name="Sarah", family_name="Jones")

    def application_at_research():
        application = disclosure_services.application_create(
            by=cast.data_admin,
            scheme=Scheme.RIGHT_TO_ASK,
            route=Route.PHONE,
            circumstances="New partner; a friend says he was violent.",
            applicant_relation="Herself: his partner",
            applicant_contact="07700 900000",
            people=[
                disclosure_services.PersonInput(role=PersonRole.SUBJECT, person=subject),
                disclosure_services.PersonInput(
                    role=PersonRole.APPLICANT, person=applicant, also_roles=(PersonRole.AT_RISK,)
                ),
            ],
        )
        disclosure_services.initial_check_record(
            application=application, by=cast.data_admin, immediate_risk=False, notes="No risk now."
        )
        disclosure_services.verification_record(
            application=application,
            by=cast.data_admin,
            identity_method="Passport seen",
            meeting_at=timezone.now(),
            notes="Met at the station.",
        )
        disclosure_services.researcher_assign(
            application=application, by=cast.data_admin, researcher=cast.police_researcher
        )
        package = application.packages.get()
        for section in package.sections.all():
            if section.kind == SectionKind.PNC:
                disclosure_services.entry_add(
                    section=section,
                    by=cast.police_researcher,
                    data=Grading(
                        source_system="PNC",
                        summary="Assault on a former partner, 2021",
                        detail="Convicted at Ipswich Crown Court.",
                        source_evaluation="1",
                        intelligence_assessment="A",
                        handling_code="P",
                    ),
                )
            else:
                disclosure_services.section_update(
                    section=section, by=cast.police_researcher, nothing_found=True, note="Checked."
                )
        disclosure_services.package_summary_update(
            package=package, by=cast.police_researcher, summary="One conviction for violence."
        )
        package = disclosure_services.package_submit(package=package, by=cast.police_researcher)
        application.refresh_from_db()
        return application, package

    # Decided and disclosed (a version returned once on the way).
    disclosed, returned = application_at_research()
    disclosure_services.package_return(package=returned, by=cast.police_decision_maker, comments="Check PND.")
    package = disclosed.packages.order_by("-number").first()
    disclosure_services.package_submit(package=package, by=cast.police_researcher)
    disclosed.refresh_from_db()
    disclosure_services.decision_record(
        application=disclosed,
        by=cast.police_decision_maker,
        disclose=True,
        lawful="Common law power to disclose.",
        necessary="She is at risk of serious harm.",
        proportionate="Only the conviction is disclosed.",
        wording="He has a conviction for assaulting a former partner.",
        recipient_name="Sarah Jones",
        recipient_relation="Partner",
        forum_participants="DS Reid (police), Ms Khan (health)",
    )
    disclosure_services.disclosure_record(
        application=disclosed,
        by=cast.police_decision_maker,
        disclosed_at=timezone.now(),
        place="Ipswich police station",
        recipient_name="Sarah Jones",
        recipient_relation="Partner",
        wording_used="He has a conviction for assaulting a former partner.",
        warning_given=True,
        warning_acknowledged=True,
        safety_plan="Referred to the domestic abuse service.",
    )

    # At the forum: health takes part (sees the summary, never the package).
    at_forum, forum_package = application_at_research()
    disclosure_services.forum_open(
        application=at_forum, by=cast.police_decision_maker, agencies=[cast.health]
    )
    scenario.add(
        disclosed=disclosed,
        returned_package=returned,
        at_forum=at_forum,
        forum_package=forum_package,
        disclosure_subject=subject,
        applicant=applicant,
    )


def _missing(cast, scenario: Scenario) -> None:
    now = timezone.now()
    batch = import_reports(by=cast.data_admin, content=sample_csv().encode(), filename="reports.csv")
    leah = PersonFactory(given_name="Leah", family_name="Walsh", date_of_birth=None, approximate_age=14)

    def episode(hours_ago, **fields):
        values = {
            "person": leah,
            "reported_at": now - timedelta(hours=hours_ago),
            "reported_by": "Mrs Walsh (mother)",
            "reporter_kind": ReporterKind.PARENT,
            "last_seen_at": now - timedelta(hours=hours_ago + 3),
            "last_seen_place": "Ipswich bus station",
            "risk": Risk.MEDIUM,
            "risk_rationale": "Phone off, seen with older males.",
            "circumstances": "Did not come home from school.",
            "places": "The flat above the takeaway.",
            "associates": "Two older males in a grey car.",
            "indicators": ("cse",),
        }
        values.update(fields)
        return missing_services.episode_create(
            by=cast.data_admin, data=missing_services.EpisodeInput(**values)
        )

    first = episode(200)
    missing_services.episode_regrade(
        episode=first, by=cast.data_admin, risk=Risk.HIGH, rationale="Seen in a car."
    )
    missing_services.episode_return(
        episode=first,
        by=cast.data_admin,
        found_at=now - timedelta(hours=190),
        found_place="A flat in Ipswich",
        found_by="PC Lee",
        wellbeing_confirmed=True,
        wellbeing_note="Tired, no injuries.",
    )
    first.refresh_from_db()
    interview = first.interview
    missing_services.interview_record(
        interview=interview,
        by=cast.data_admin,
        status=InterviewStatus.DONE,
        agency=cast.lead,
        where_they_were="At a friend's flat.",
        with_whom="Older males.",
        push_factors="Arguments at home.",
        pull_factors="Gifts and attention.",
        notes="Spoke openly.",
    )
    episode(100)
    still_missing = episode(2)
    flag = check_repeat(leah)
    referral = missing_services.flag_refer(flag=flag, by=cast.data_admin, note="Third time this month.")
    flag.refresh_from_db()
    # The police notification referral, asked of health: health sees the episodes through it.
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    services.referral_rate(referral=referral, by=cast.triage, rating="amber", rationale="Repeat missing.")
    services.referral_transition(referral=referral, by=cast.triage, to_state="information_gathering")
    [repeat_request] = request_services.information_requests_send(
        referral=referral, by=cast.triage, requests=[RequestInput(agency=cast.health, questions="Known?")]
    )
    scenario.add(
        repeat_request=repeat_request,
        import_batch=batch,
        leah=leah,
        returned_episode=first,
        interview=interview,
        missing_episode=still_missing,
        repeat_flag=flag,
        repeat_referral=referral,
    )


def _disseminations(cast, scenario: Scenario) -> None:
    """A request to share the open referral's summary and police answer, approved (its PDF made), and
    one to share the strategy discussion's decisions, awaiting approval."""
    choices = dissemination.items_for(cast.triage, scenario.open_referral)
    recipient = {
        "recipient_organisation": "Orwell Primary School",
        "recipient_name": "Mrs Price",
        "method": "email",
        "need": "The school keeps the child safe in the day.",
        "lawful_basis": "ukgdpr_6_1_e_art9_sch1_p18",
    }
    approved = dissemination_request_create(
        by=cast.triage, record=scenario.open_referral, item_keys=[c.key for c in choices], **recipient
    )
    for item in approved.items.all():
        approver = cast.decision_maker if item.owner_agency_id == cast.lead.pk else cast.police_decision_maker
        dissemination_item_decide(
            item=item,
            by=approver,
            decision="release",
            conditions_met=item.is_code_c,
            reason="Conditions told.",
        )
    waiting = dissemination_request_create(
        by=cast.triage,
        record=scenario.discussion,
        item_keys=[dissemination.items_for(cast.triage, scenario.discussion)[0].key],
        **recipient,
    )
    scenario.add(dissemination_approved=approved, dissemination_waiting=waiting)


def _subject_access(cast, scenario: Scenario) -> None:
    """A subject access request about the open referral's child, compiled from every source."""
    child = scenario.child
    sar = sar_services.request_create(
        by=cast.governance,
        person=child,
        requester_name="Their mother",
        relationship=Relationship.PARENT,
        requester_contact="By post",
        received_on=timezone.localdate(),
    )
    sar_services.identity_verify(sar=sar, by=cast.governance, method=IdentityMethod.PHOTO_ID_SEEN)
    scenario.add(subject_access=sar_services.request_compile(sar=sar, by=cast.governance))


def build(cast) -> Scenario:
    scenario = Scenario()
    _referrals(cast, scenario)
    _disclosures(cast, scenario)
    _missing(cast, scenario)
    _disseminations(cast, scenario)
    _subject_access(cast, scenario)
    return scenario
