"""Tasks for tests/test_worker.py's real worker (`celery -A tests.celery_probe worker`): the project's
Celery app and settings, plus two tasks that say in the broker's Redis that they ran."""

import time

import redis
from django.conf import settings

from mash.config.celery import app


def _mark(key: str) -> None:
    redis.Redis.from_url(settings.CELERY_BROKER_URL).set(key, "1")


@app.task(name="probe.hold", acks_late=True)
def hold(key: str, seconds: float) -> None:
    """Runs a while after saying so, holding its message unacknowledged (as a delivery does)."""
    _mark(key)
    time.sleep(seconds)


@app.task(name="probe.mark")
def mark(key: str) -> None:
    _mark(key)
