import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.settings")

app = Celery("mash")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule, in one place.
app.conf.beat_schedule = {
    "notifications-sweep": {
        "task": "mash.notifications.tasks.sweep_pending",
        "schedule": 60.0,
    },
    "clocks-record-breaches": {
        "task": "mash.clocks.tasks.record_breaches",
        "schedule": crontab(minute="*/5"),
    },
    "information-request-reminders": {
        "task": "referrals.tasks.send_reminders_and_escalations",
        "schedule": crontab(minute="*/5"),
    },
    "return-interview-reminders": {
        "task": "missing_persons.tasks.send_interview_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "strategy-action-reminders": {
        "task": "strategy.tasks.send_action_reminders",
        "schedule": crontab(minute="*/15"),
    },
}
