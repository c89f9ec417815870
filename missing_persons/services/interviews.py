"""Return home interviews: offered, done or declined, by whom, what was learned; reminders before the
72 hours run out."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from mash.agencies.models import Agency, AgencyKind
from mash.agencies.policy import is_lead_case_worker
from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for, members_with_role
from mash.clocks.services import clock_stop
from mash.common.dates import format_datetime
from mash.common.errors import require, require_role
from mash.common.ordering import order_error
from mash.notifications.services import notify_once
from missing_persons import policy
from missing_persons.models import InterviewStatus, ReturnInterview

REMIND_BEFORE = timedelta(hours=24)
NO_INTERVIEW = "No return home interview is due: it starts when a child returns."


@transaction.atomic
def interview_record(
    *,
    interview: ReturnInterview | None,
    by,
    status: str,
    agency: Agency | None = None,
    interviewer=None,
    at: datetime | None = None,
    where_they_were: str = "",
    with_whom: str = "",
    push_factors: str = "",
    pull_factors: str = "",
    notes: str = "",
) -> ReturnInterview:
    """Offered (by an agency), done (what was learned) or declined. Done or declined stops the clock.
    ``interview`` is the episode's as the recorder sees it (``episode_interview_for``): None until a
    child returns."""
    require(interview is not None, NO_INTERVIEW)
    interview = (
        ReturnInterview.objects.select_for_update().select_related("clock", "episode").get(pk=interview.pk)
    )
    actor = actor_for(by)
    # Judged against the agency already given: only the data administrators and the lead agency's case
    # workers choose (or change) who does the interview.
    require_role(policy.may_record_interview(actor, interview), "You may not record this interview.")
    if agency is not None and agency.pk != interview.agency_id:
        require(
            policy.may_administer(actor) or is_lead_case_worker(actor),
            {"agency": "Only the data administrators or the MASH may choose the agency doing the interview."},
        )
        interview.agency = agency
    require(
        interview.status in (InterviewStatus.DUE, InterviewStatus.OFFERED),
        "The interview is already recorded.",
    )
    require(
        status in (InterviewStatus.OFFERED, InterviewStatus.DONE, InterviewStatus.DECLINED),
        {"status": "Choose offered, done or declined."},
    )
    at = at or timezone.now()
    errors = {}
    if at > timezone.now():
        errors["at"] = "It cannot be in the future."
    elif error := order_error(
        at, the="The interview", earlier=interview.episode.found_at, earlier_the="the return"
    ):
        errors["at"] = error
    if interview.agency is None:
        errors["agency"] = "Say which agency offers or does the interview."
    if status == InterviewStatus.DONE:
        if not where_they_were.strip():
            errors["where_they_were"] = "Record where they were."
        if not (push_factors.strip() or pull_factors.strip()):
            errors["push_factors"] = "Record what pushed them away or drew them away."
    require(not errors, errors)
    interview.status, interview.interviewer = status, interviewer or by
    if status == InterviewStatus.OFFERED:
        interview.offered_at = at
    else:
        interview.done_at = at
        interview.offered_at = interview.offered_at or at
    interview.where_they_were, interview.with_whom = where_they_were.strip(), with_whom.strip()
    interview.push_factors, interview.pull_factors = push_factors.strip(), pull_factors.strip()
    interview.notes = notes.strip()
    interview.full_clean()
    interview.save()
    if status in (InterviewStatus.DONE, InterviewStatus.DECLINED):
        clock_stop(clock=interview.clock, stopped_at=at)
    return interview


def _recipients(interview: ReturnInterview) -> list:
    if interview.interviewer_id:
        return [interview.interviewer]
    police = Agency.objects.filter(kind=AgencyKind.POLICE)
    people = {}
    for agency in police:
        people.update({u.pk: u for u in members_with_role(agency.pk, Role.DATA_ADMINISTRATOR)})
    if interview.agency_id:
        people.update({u.pk: u for u in members_with_role(interview.agency_id, Role.AGENCY_RESEARCHER)})
    return list(people.values())


def send_interview_reminders(*, now: datetime | None = None) -> int:
    """Beat task: once, when an interview not yet done is due within 24 hours (or overdue): the
    interview is claimed with a conditional update first (``notify_once``)."""
    now = now or timezone.now()
    due = ReturnInterview.objects.filter(
        status__in=(InterviewStatus.DUE, InterviewStatus.OFFERED),
        reminded_at__isnull=True,
        clock__due_at__lte=now + REMIND_BEFORE,
    ).select_related("clock", "episode__person", "interviewer")

    def reminder(interview) -> dict:
        return {
            "recipients": _recipients(interview),
            "event": "missing_person.interview_reminder",
            "idempotency_key": f"return_interview:{interview.pk}:reminder",
            "title": f"Return home interview due {format_datetime(interview.clock.due_at)}",
            "body": "A child's return home interview is due within 72 hours of their return.",
            "url": f"/missing/episodes/{interview.episode_id}/",
            "subject": interview.episode,
        }

    return notify_once(due, mark="reminded_at", now=now, notice=reminder)
