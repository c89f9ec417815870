"""The multi-agency forum, the decision, and the disclosure (or the recorded reasons for none)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from disclosures import policy
from disclosures.models import (
    Application,
    ApplicationGroupObjectPermission,
    Decision,
    DisclosureRecord,
    Outcome,
    PackageEntry,
    PackageStatus,
    PersonRole,
    Stage,
)
from mash.agencies.models import Agency
from mash.agencies.selectors import actor_for
from mash.clocks.services import clock_stop
from mash.common.errors import require, require_role
from mash.common.grading import HandlingCode
from mash.common.ordering import order_error
from mash.common.versioning import lock_for_change, save_change
from mash.sharing.models import DisseminationMethod, LawfulBasis
from mash.sharing.services import dissemination_record, grant_view, revoke_view


@transaction.atomic
def forum_open(
    *, application: Application, by, agencies: list[Agency], expected_version: int | None = None
) -> Application:
    """Open the multi-agency forum: the agencies taking part see the application's summary (never the
    research package) until the decision closes it."""
    application = lock_for_change(application, expected_version)
    require_role(policy.may_decide(actor_for(by)), "Only the police decision makers convene the forum.")
    require(application.stage == Stage.DECISION, "The forum considers a submitted research package.")
    require(bool(agencies), {"agencies": "Choose the agencies taking part."})
    people = [link.person for link in application.people.select_related("person")]
    for agency in agencies:
        require(agency.is_active, {"agencies": f"{agency} is not an active agency."})
        grant_view(obj=application, agency=agency)
        # The summary names the people: who they are (their partner fields), as an asked agency sees.
        for person in people:
            grant_view(obj=person, agency=agency)
    application.forum_open = True
    save_change(application, ["forum_open"])
    return application


def close_forum(application: Application) -> None:
    """Revoke the forum agencies' sight of the application (the caller saves ``forum_open``)."""
    groups = ApplicationGroupObjectPermission.objects.filter(content_object=application).values_list(
        "group_id", flat=True
    )
    for agency in Agency.objects.filter(group_id__in=list(groups)):
        revoke_view(obj=application, agency=agency)
    application.forum_open = False


@transaction.atomic
def decision_record(
    *,
    application: Application,
    by,
    disclose: bool,
    lawful: str,
    necessary: str,
    proportionate: str,
    wording: str = "",
    recipient_name: str = "",
    recipient_relation: str = "",
    no_disclosure_reason: str = "",
    applicant_told: str = "",
    forum_held_at: datetime | None = None,
    forum_participants: str = "",
    forum_agencies: list[Agency] = (),
    marac_referral: bool = False,
    expected_version: int | None = None,
) -> Decision:
    """Decide on the latest submitted package. Disclose: the wording and the person best placed to
    protect. Not: the reason and what the applicant was told, and the application closes. The forum
    closes either way and the decision clock stops."""
    application = lock_for_change(application, expected_version)
    require_role(policy.may_decide(actor_for(by)), "Only the police decision makers decide on disclosure.")
    require(application.stage == Stage.DECISION, "There is no submitted research package to decide on.")
    package = application.packages.filter(status=PackageStatus.SUBMITTED).order_by("-number").first()
    require(package is not None, "There is no submitted research package to decide on.")
    errors = {}
    for field, value, label in (
        ("lawful", lawful, "lawful"),
        ("necessary", necessary, "necessary"),
        ("proportionate", proportionate, "proportionate"),
    ):
        if not value.strip():
            errors[field] = f"Say why disclosure is, or is not, {label}."
    if disclose:
        if not wording.strip():
            errors["wording"] = "Write what will be disclosed, in the words to be used."
        if not recipient_name.strip():
            errors["recipient_name"] = "Name the person best placed to protect, who will be told."
    else:
        if not no_disclosure_reason.strip():
            errors["no_disclosure_reason"] = "Give the reason for not disclosing."
        if not applicant_told.strip() and application.people.filter(role=PersonRole.APPLICANT).exists():
            errors["applicant_told"] = "Record what the applicant was told."
    if forum_held_at is not None and forum_held_at > timezone.now():
        errors["forum_held_at"] = "The forum cannot be in the future."
    elif error := order_error(
        forum_held_at,
        the="The forum",
        earlier=application.received_at,
        earlier_the="the application was received",
    ):
        errors["forum_held_at"] = error
    require(not errors, errors)
    now = timezone.now()
    decision = Decision(
        application=application,
        package=package,
        decided_by=by,
        decided_at=now,
        forum_held_at=forum_held_at,
        forum_participants=forum_participants.strip(),
        marac_referral=marac_referral,
        disclose=disclose,
        lawful=lawful.strip(),
        necessary=necessary.strip(),
        proportionate=proportionate.strip(),
        wording=wording.strip(),
        recipient_name=recipient_name.strip(),
        recipient_relation=recipient_relation.strip(),
        no_disclosure_reason=no_disclosure_reason.strip(),
        applicant_told=applicant_told.strip(),
    )
    decision.full_clean()
    decision.save()
    decision.forum_agencies.set(forum_agencies)
    close_forum(application)
    if disclose:
        application.stage = Stage.DISCLOSURE
        save_change(application, ["stage", "forum_open"])
    else:
        application.stage, application.outcome, application.closed_at = (
            Stage.CLOSED,
            Outcome.NOT_DISCLOSED,
            now,
        )
        application.closure_note = no_disclosure_reason.strip()
        save_change(application, ["stage", "outcome", "closed_at", "closure_note", "forum_open"])
    clock_stop(clock=application.clock, stopped_at=now)
    return decision


@transaction.atomic
def disclosure_record(
    *,
    application: Application,
    by,
    disclosed_at: datetime,
    place: str,
    recipient_name: str,
    wording_used: str,
    warning_given: bool,
    warning_acknowledged: bool,
    safety_plan: str,
    recipient_relation: str = "",
    expected_version: int | None = None,
) -> DisclosureRecord:
    """The disclosure, made in person. It writes the dissemination log entry: the only way out."""
    application = lock_for_change(application, expected_version)
    actor = actor_for(by)
    require_role(
        policy.may_decide(actor) or policy.may_administer(actor) or policy.may_research(actor),
        "Only the police disclosure team records a disclosure.",
    )
    require(application.stage == Stage.DISCLOSURE, "There is no decision to disclose on this application.")
    decision = application.decision
    errors = {}
    if disclosed_at > timezone.now():
        errors["disclosed_at"] = "The disclosure cannot be in the future."
    elif error := order_error(
        disclosed_at, the="The disclosure", earlier=decision.decided_at, earlier_the="the decision"
    ):
        errors["disclosed_at"] = error
    for field, value, message in (
        ("place", place, "Say where the disclosure was made."),
        ("recipient_name", recipient_name, "Name who was told."),
        ("wording_used", wording_used, "Record the words used."),
        ("safety_plan", safety_plan, "Record the safety plan agreed."),
    ):
        if not value.strip():
            errors[field] = message
    if not warning_given:
        errors["warning_given"] = "The recipient must be told they may not share the disclosure further."
    if not warning_acknowledged:
        errors["warning_acknowledged"] = "Record the recipient's acknowledgement of the warning."
    require(not errors, errors)
    subject = application.people.filter(role=PersonRole.SUBJECT).select_related("person").first()
    # Police intelligence with handling code C may leave only under its conditions: carry them over.
    conditions = sorted(
        set(
            PackageEntry.objects.filter(section__package=decision.package, handling_code=HandlingCode.C)
            .exclude(handling_conditions="")
            .values_list("handling_conditions", flat=True)
        )
    )
    dissemination = dissemination_record(
        by=by,
        approved_by=decision.decided_by,
        recipient_name=recipient_name,
        recipient_organisation="Member of the public"
        + (f" ({recipient_relation.strip()})" if recipient_relation.strip() else ""),
        method=DisseminationMethod.IN_PERSON,
        what=f"{application.get_scheme_display()} disclosure ({application.reference}): "
        f"{wording_used.strip()}",
        lawful_basis=LawfulBasis.POLICE_DPA_PART3,
        need=f"To protect from harm: {decision.necessary}",
        record=application,
        person=subject.person if subject else None,
        disseminated_at=disclosed_at,
        handling_conditions="\n".join(conditions),
    )
    record = DisclosureRecord(
        application=application,
        disclosed_at=disclosed_at,
        place=place.strip(),
        disclosed_by=by,
        recipient_name=recipient_name.strip(),
        recipient_relation=recipient_relation.strip(),
        wording_used=wording_used.strip(),
        warning_given=warning_given,
        warning_acknowledged=warning_acknowledged,
        safety_plan=safety_plan.strip(),
        dissemination=dissemination,
    )
    record.full_clean()
    record.save()
    application.stage, application.outcome, application.closed_at = (
        Stage.CLOSED,
        Outcome.DISCLOSED,
        timezone.now(),
    )
    save_change(application, ["stage", "outcome", "closed_at"])
    return record
