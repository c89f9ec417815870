import os

from celery import Celery
from celery.app.amqp import AMQP
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections
from kombu import Connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.config.settings")

# The longest wait, in seconds, between two attempts of the worker (or beat) to reach a lost broker.
# Kombu's back-off grows to 30 s, so after a long outage a worker could come back half a minute after
# Redis does; capped, it is back within a few seconds of Redis returning.
BROKER_RECONNECT_MAX_INTERVAL = 5


class BrokerConnection(Connection):
    """A broker connection whose reconnection back-off stops growing at BROKER_RECONNECT_MAX_INTERVAL.

    Only the public ensure_connection() changes: the worker's consumer and beat call it to wait out an
    outage; a web request's publish never does (its own retry policy is in settings)."""

    def ensure_connection(self, *args, interval_max=BROKER_RECONNECT_MAX_INTERVAL, **kwargs):
        return super().ensure_connection(*args, interval_max=interval_max, **kwargs)


class BrokerAMQP(AMQP):
    Connection = BrokerConnection


app = Celery("mash", amqp=BrokerAMQP)
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
    close_old_connections()


# The beat schedule, in one place. Each run expires before the next one is due: while the worker is
# down (or Redis holds the queue), beat's runs wait in the queue; a returning worker then drops the stale
# ones instead of working through a pile of identical sweeps, and the next run does the work once.
app.conf.beat_schedule = {
    "notifications-sweep": {
        "task": "mash.notifications.tasks.sweep_pending",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    "clocks-record-breaches": {
        "task": "mash.clocks.tasks.record_breaches",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    "information-request-reminders": {
        "task": "referrals.tasks.send_reminders_and_escalations",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    "return-interview-reminders": {
        "task": "missing_persons.tasks.send_interview_reminders",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    "access-log-partitions": {
        "task": "mash.sharing.tasks.maintain_access_log",
        "schedule": crontab(minute=17, hour=2),
        "options": {"expires": 23 * 60 * 60},
    },
    "measures-warm-dashboards": {
        "task": "mash.measures.tasks.warm_dashboards",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    "strategy-action-reminders": {
        "task": "strategy.tasks.send_action_reminders",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
}
