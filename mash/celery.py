import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.settings")

app = Celery("mash")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_db_connections(task=None, **kwargs):
    """Around a task as around a request: close a database connection that is broken or older than
    CONN_MAX_AGE, keep a good one (settings.CELERY_DB_REUSE_MAX stops Celery closing it every time).
    An eager task runs inside its caller's request or transaction, which owns the connection."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


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
