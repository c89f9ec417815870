"""Records about one person in every app, made through the services, for the chronology's tests."""

from datetime import timedelta

from django.utils import timezone

from disclosures import services as disclosure_services
from disclosures.models import PersonRole, Route, Scheme
from missing_persons import services as missing_services
from missing_persons.models import InterviewStatus, ReporterKind, Risk
from referrals.requests import services as request_services
from strategy import services as strategy_services
from strategy.models import Attendance, Decision, Mode, Section47Finding
from tests.factories import PersonFactory
from tests.information_requests.support import (
    ask,
    health_entry,
    nothing_known,
    police_entry,
    referral_in_gathering,
)
from tests.strategy.support import every_child

POLICE_SECRET = "Seen with a man wanted on warrant QX-7731"
HEALTH_TEXT = "Missed three immunisation appointments HX-2208"
DISCLOSURE_REASON = "No conviction for violence is recorded DZ-5150"


def answered_referral(cast, person):
    """A red referral about ``person`` and a sibling, answered by the police (code C) and health."""
    sibling = PersonFactory(given_name="Amelia", family_name="Smith")
    referral = referral_in_gathering(cast, person, sibling)
    police_request, health_request = ask(referral, cast.triage, cast.police, cast.health)
    police = police_entry(
        person, summary=POLICE_SECRET, handling_code="C", handling_conditions="Not to the family."
    )
    for request, by, entry in (
        (police_request, cast.police_researcher, police),
        (health_request, cast.health_researcher, health_entry(person, summary=HEALTH_TEXT)),
    ):
        request_services.response_entry_add(request=request, by=by, data=entry)
        request_services.response_entry_add(request=request, by=by, data=nothing_known(sibling))
        request_services.information_request_submit(request=request, by=by)
    referral.refresh_from_db()
    referral.requests = (police_request, health_request)
    return referral


def strategy_for(cast, referral, *, considered=None, decision=Decision.S47_JOINT):
    """A threshold decision, and a strategy discussion held and signed off: a joint section 47 enquiry
    for the subject, its finding and an action for health. The discussion considers health's answer
    only, unless told (its attendees see what it considers)."""
    strategy_services.threshold_decide(
        referral=referral,
        by=cast.decision_maker,
        required=True,
        rationale="Reasonable cause to suspect significant harm.",
        answers=list(referral.requests),
    )
    discussion = strategy_services.discussion_convene(
        referral=referral,
        by=cast.decision_maker,
        scheduled_at=timezone.now().replace(second=0, microsecond=0),
        mode=Mode.VIDEO,
        location="Teams",
        chair=cast.decision_maker,
        considered=[referral.requests[1]] if considered is None else considered,
        invitees=[
            strategy_services.Invitee(agency=cast.police, user=cast.police_decision_maker),
            strategy_services.Invitee(agency=cast.health),
        ],
    )
    attendance = {pk: Attendance.ATTENDED for pk in discussion.invitations.values_list("pk", flat=True)}
    strategy_services.attendance_record(discussion=discussion, by=cast.decision_maker, attendance=attendance)
    strategy_services.record_update(
        discussion=discussion, by=cast.decision_maker, notes="Discussed.", rationale="Injury and history."
    )
    strategy_services.decisions_record(
        discussion=discussion,
        by=cast.decision_maker,
        decisions=every_child(discussion, decision, "Agreed."),
    )
    strategy_services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="Health visitor to see the family",
        owner_agency=cast.health,
        due_on=timezone.localdate() + timedelta(days=5),
    )
    discussion = strategy_services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)
    if decision != Decision.S47_JOINT:
        return discussion
    decision = discussion.decisions.order_by("pk").first()
    strategy_services.finding_record(
        decision=decision, by=cast.decision_maker, finding=Section47Finding.NOT_SUBSTANTIATED
    )
    return discussion


def disclosure_about(cast, child, *, decide=True):
    """A Sarah's Law application naming ``child``, researched and (unless told) decided: no disclosure."""
    applicant = PersonFactory(given_name="Sarah", family_name="Jones")
    subject = PersonFactory(given_name="Mark", family_name="Taylor")
    application = disclosure_services.application_create(
        by=cast.data_admin,
        scheme=Scheme.SARAHS_LAW,
        route=Route.PHONE,
        circumstances="A new partner spends time alone with the child.",
        applicant_relation="Mother",
        people=[
            disclosure_services.PersonInput(role=PersonRole.SUBJECT, person=subject),
            disclosure_services.PersonInput(role=PersonRole.APPLICANT, person=applicant),
            disclosure_services.PersonInput(role=PersonRole.CHILD, person=child),
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
    )
    disclosure_services.researcher_assign(
        application=application, by=cast.data_admin, researcher=cast.police_researcher
    )
    package = application.packages.get()
    for section in package.sections.all():
        disclosure_services.section_update(
            section=section, by=cast.police_researcher, nothing_found=True, note="Checked."
        )
    package = disclosure_services.package_summary_update(
        package=package, by=cast.police_researcher, summary="Nothing found."
    )
    disclosure_services.package_submit(package=package, by=cast.police_researcher)
    application.refresh_from_db()
    if not decide:
        return application
    disclosure_services.decision_record(
        application=application,
        by=cast.police_decision_maker,
        disclose=False,
        lawful="No pressing need.",
        necessary="Not necessary.",
        proportionate="Not proportionate.",
        no_disclosure_reason=DISCLOSURE_REASON,
        applicant_told="Told no disclosure will be made.",
    )
    application.refresh_from_db()
    return application


def missing_episode(cast, child):
    """``child`` reported missing, re-graded, returned and given a return home interview."""
    now = timezone.now()
    episode = missing_services.episode_create(
        by=cast.data_admin,
        data=missing_services.EpisodeInput(
            person=child,
            reported_at=now - timedelta(hours=3),
            reported_by="Mrs Smith (mother)",
            reporter_kind=ReporterKind.PARENT,
            last_seen_at=now - timedelta(hours=5),
            last_seen_place="Ipswich bus station",
            risk=Risk.MEDIUM,
            risk_rationale="Phone off.",
        ),
    )
    missing_services.episode_regrade(
        episode=episode, by=cast.data_admin, risk=Risk.HIGH, rationale="Seen with older males."
    )
    episode.refresh_from_db()
    missing_services.episode_return(
        episode=episode,
        by=cast.data_admin,
        found_at=now - timedelta(hours=1),
        found_place="A flat in Felixstowe",
        found_by="PC Brown",
        wellbeing_confirmed=True,
    )
    episode.refresh_from_db()
    missing_services.interview_record(
        interview=episode.interview,
        by=cast.data_admin,
        status=InterviewStatus.OFFERED,
        agency=cast.lead,
        at=now,
    )
    return episode
