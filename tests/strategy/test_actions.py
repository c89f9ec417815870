"""A discussion's actions: added while the record is open, completed by their owner, reminded once."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.agencies.services import agency_update
from mash.clocks.calendar import Calendar
from mash.notifications.models import Channel, Notification
from referrals.models import EventKind, TimelineEvent
from strategy import services, tasks
from strategy.models import Action, ActionStatus, Attendance, Decision
from tests.information_requests.support import BOTH_CHANNELS, channels_of
from tests.strategy.support import every_child

pytestmark = pytest.mark.django_db

ASSIGNED = "strategy_action.assigned"
REMINDER = "strategy_action.reminder"
OVERDUE = "strategy_action.overdue"


def local(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


def add(cast, discussion, **fields):
    values = {
        "discussion": discussion,
        "by": cast.decision_maker,
        "description": "Police to check for previous call-outs to the address.",
        "owner_agency": cast.police,
        "owner": cast.police_decision_maker,
        "due_on": timezone.localdate() + timedelta(days=14),
    }
    values.update(fields)
    return services.action_add(**values)


def sign_off(cast, discussion, person):
    services.attendance_record(
        discussion=discussion,
        by=cast.decision_maker,
        attendance={i.pk: Attendance.ATTENDED for i in discussion.invitations.all()},
    )
    services.record_update(discussion=discussion, by=cast.decision_maker, notes="", rationale="Risk.")
    services.decisions_record(
        discussion=discussion,
        by=cast.decision_maker,
        decisions=every_child(discussion, Decision.S47_JOINT),
    )
    services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)


def rows(user, event):
    return sorted(Notification.objects.filter(recipient=user, event=event).values_list("channel", flat=True))


# Adding


@pytest.mark.parametrize("description", ["", "  \n"])
def test_an_action_needs_a_description(cast, discussion, description):
    with pytest.raises(ValidationError) as refused:
        add(cast, discussion, description=description)

    assert "description" in refused.value.message_dict
    assert not Action.objects.exists()


def test_the_owner_must_work_for_the_owner_agency(cast, discussion):
    with pytest.raises(ValidationError) as refused:
        add(cast, discussion, owner_agency=cast.health, owner=cast.police_decision_maker)

    assert "owner" in refused.value.message_dict
    assert not Action.objects.exists()


def test_the_owner_agency_must_be_active(cast, discussion):
    agency_update(
        agency=cast.health,
        name=cast.health.name,
        kind=cast.health.kind,
        is_lead=False,
        email="",
        is_active=False,
    )

    with pytest.raises(ValidationError) as refused:
        add(cast, discussion, owner_agency=cast.health, owner=None)

    assert "owner_agency" in refused.value.message_dict


def test_the_due_date_cannot_be_past(cast, discussion):
    with pytest.raises(ValidationError) as refused:
        add(cast, discussion, due_on=timezone.localdate() - timedelta(days=1))

    assert "due_on" in refused.value.message_dict
    assert not Action.objects.exists()


def test_an_action_may_be_due_today(cast, discussion):
    action = add(cast, discussion, due_on=timezone.localdate())

    assert action.due_on == timezone.localdate()


@pytest.mark.parametrize("who", ["police_decision_maker", "triage", "health_researcher"])
def test_only_the_chair_or_a_lead_decision_maker_adds_actions(cast, discussion, who):
    with pytest.raises(ValidationError, match="chair or a lead decision maker"):
        add(cast, discussion, by=getattr(cast, who))

    assert not Action.objects.exists()


def test_no_action_is_added_to_a_signed_off_record(cast, discussion, person):
    sign_off(cast, discussion, person)

    with pytest.raises(ValidationError, match="signed off"):
        add(cast, discussion)

    assert not Action.objects.exists()


def test_no_action_is_added_to_a_cancelled_discussion(cast, discussion):
    services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="Wrong family.")

    with pytest.raises(ValidationError, match="cancelled"):
        add(cast, discussion)


def test_an_action_is_saved_and_its_owner_told(cast, discussion):
    action = add(cast, discussion, description="  Check call-outs.  ")

    action.refresh_from_db()
    assert (action.description, action.status, action.created_by) == (
        "Check call-outs.",
        ActionStatus.OPEN,
        cast.decision_maker,
    )
    assert rows(cast.police_decision_maker, ASSIGNED) == BOTH_CHANNELS
    assert rows(cast.police_researcher, ASSIGNED) == []
    discussion.refresh_from_db()
    assert discussion.version == 2


def test_an_action_for_an_agency_tells_its_decision_makers(cast, discussion):
    add(cast, discussion, owner_agency=cast.police, owner=None)

    assert rows(cast.police_decision_maker, ASSIGNED) == BOTH_CHANNELS
    assert rows(cast.police_researcher, ASSIGNED) == []
    assert rows(cast.data_admin, ASSIGNED) == []


def test_an_action_for_an_agency_without_decision_makers_tells_its_researchers(cast, discussion):
    add(cast, discussion, owner_agency=cast.health, owner=None)

    assert rows(cast.health_researcher, ASSIGNED) == BOTH_CHANNELS


# Completing


def test_the_owner_completes_an_action(cast, discussion):
    action = add(cast, discussion)

    services.action_complete(action=action, by=cast.police_decision_maker, note=" Two call-outs found. ")

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert (action.completed_by, action.completion_note) == (
        cast.police_decision_maker,
        "Two call-outs found.",
    )
    assert action.completed_at is not None
    event = TimelineEvent.objects.filter(referral=discussion.referral, kind=EventKind.STRATEGY).last()
    assert "Action done (Constabulary)" in event.note and "Two call-outs found." in event.note


def test_someone_else_of_the_owner_agency_cannot_complete_a_named_action(cast, discussion):
    action = add(cast, discussion)

    for user in (cast.police_researcher, cast.health_researcher, cast.outsider):
        with pytest.raises(ValidationError, match="owner"):
            services.action_complete(action=action, by=user)

    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_anyone_of_the_agency_completes_an_action_named_for_no_one(cast, discussion):
    action = add(cast, discussion, owner=None)

    with pytest.raises(ValidationError, match="owner"):
        services.action_complete(action=action, by=cast.health_researcher)
    services.action_complete(action=action, by=cast.police_researcher)

    action.refresh_from_db()
    assert (action.status, action.completed_by) == (ActionStatus.DONE, cast.police_researcher)


def test_whoever_manages_the_record_may_complete_an_action(cast, discussion):
    action = add(cast, discussion)

    services.action_complete(action=action, by=cast.manager)

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_an_action_is_completed_once(cast, discussion):
    action = add(cast, discussion)
    services.action_complete(action=action, by=cast.police_decision_maker)

    with pytest.raises(ValidationError, match="already done"):
        services.action_complete(action=action, by=cast.police_decision_maker)


def test_an_action_of_a_signed_off_record_can_still_be_completed(cast, discussion, person):
    action = add(cast, discussion)
    sign_off(cast, discussion, person)

    services.action_complete(action=action, by=cast.police_decision_maker)

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_an_action_of_a_cancelled_discussion_cannot_be_completed(cast, discussion):
    action = add(cast, discussion)
    services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="Wrong family.")

    with pytest.raises(ValidationError, match="cancelled"):
        services.action_complete(action=action, by=cast.police_decision_maker)


# Reminders


def test_the_owner_is_reminded_once_when_the_action_falls_due(cast, discussion):
    action = add(cast, discussion)

    assert services.send_action_reminders(now=local(action.due_on - timedelta(days=7))) == (0, 0)
    assert services.send_action_reminders(now=local(action.due_on)) == (1, 0)
    assert services.send_action_reminders(now=local(action.due_on, 15)) == (0, 0)

    assert rows(cast.police_decision_maker, REMINDER) == BOTH_CHANNELS
    assert rows(cast.decision_maker, REMINDER) == []
    action.refresh_from_db()
    assert action.reminded_at == local(action.due_on)


def test_the_reminder_comes_the_working_day_before(cast, discussion):
    today = timezone.localdate()
    due = Calendar().next_working_day(today)
    action = add(cast, discussion, due_on=due)

    assert services.send_action_reminders(now=timezone.now()) == (1, 0)
    assert services.send_action_reminders(now=timezone.now()) == (0, 0)

    assert rows(cast.police_decision_maker, REMINDER) == BOTH_CHANNELS
    action.refresh_from_db()
    assert action.reminded_at is not None


def test_an_action_for_an_agency_reminds_its_contacts(cast, discussion):
    action = add(cast, discussion, owner_agency=cast.health, owner=None)

    services.send_action_reminders(now=local(action.due_on))
    services.send_action_reminders(now=local(action.due_on))

    assert rows(cast.health_researcher, REMINDER) == BOTH_CHANNELS


def test_an_overdue_action_is_notified_once_to_owner_and_chair(cast, discussion):
    action = add(cast, discussion)
    late = local(action.due_on + timedelta(days=1))

    assert services.send_action_reminders(now=late) == (0, 1)
    assert services.send_action_reminders(now=late + timedelta(days=3)) == (0, 0)

    for user in (cast.police_decision_maker, cast.decision_maker):
        assert rows(user, OVERDUE) == BOTH_CHANNELS, user
    assert rows(cast.police_researcher, OVERDUE) == []
    # Overdue first: no reminder of something already late.
    assert rows(cast.police_decision_maker, REMINDER) == []
    action.refresh_from_db()
    assert action.overdue_notified_at == late


def test_a_reminded_action_is_still_notified_once_overdue(cast, discussion):
    action = add(cast, discussion)

    services.send_action_reminders(now=local(action.due_on))
    services.send_action_reminders(now=local(action.due_on + timedelta(days=1)))
    services.send_action_reminders(now=local(action.due_on + timedelta(days=2)))

    assert rows(cast.police_decision_maker, REMINDER) == BOTH_CHANNELS
    assert rows(cast.police_decision_maker, OVERDUE) == BOTH_CHANNELS
    assert rows(cast.decision_maker, OVERDUE) == BOTH_CHANNELS


def test_the_chair_who_owns_an_action_hears_once(cast, discussion):
    action = add(cast, discussion, owner_agency=cast.lead, owner=cast.decision_maker)

    services.send_action_reminders(now=local(action.due_on + timedelta(days=1)))

    assert rows(cast.decision_maker, OVERDUE) == BOTH_CHANNELS


def test_a_done_action_is_not_reminded(cast, discussion):
    action = add(cast, discussion)
    services.action_complete(action=action, by=cast.police_decision_maker)

    assert services.send_action_reminders(now=local(action.due_on)) == (0, 0)
    assert services.send_action_reminders(now=local(action.due_on + timedelta(days=1))) == (0, 0)

    assert not Notification.objects.filter(event__in=[REMINDER, OVERDUE]).exists()


def test_an_action_of_a_cancelled_discussion_is_not_reminded(cast, discussion):
    action = add(cast, discussion)
    services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="Wrong family.")

    assert services.send_action_reminders(now=local(action.due_on)) == (0, 0)
    assert services.send_action_reminders(now=local(action.due_on + timedelta(days=1))) == (0, 0)

    assert not Notification.objects.filter(event__in=[REMINDER, OVERDUE]).exists()


def test_an_action_of_a_signed_off_record_is_still_reminded(cast, discussion, person):
    action = add(cast, discussion)
    sign_off(cast, discussion, person)

    assert services.send_action_reminders(now=local(action.due_on)) == (1, 0)


def test_the_beat_task_runs_the_sweep(cast, discussion):
    add(cast, discussion, due_on=timezone.localdate())

    assert tasks.send_action_reminders() == [1, 0]
    assert tasks.send_action_reminders() == [0, 0]
    assert rows(cast.police_decision_maker, REMINDER) == BOTH_CHANNELS
    assert Notification.objects.filter(event=REMINDER, channel=Channel.EMAIL).count() == 1
    assert channels_of(cast.police_decision_maker, REMINDER) == BOTH_CHANNELS
