"""The demo's clock: demo data with a history (the last months' contacts, answers on time and late)
made through the services, so that every clock, state, timeline event and timestamp is the one the
services would have written at the time.

The services read the time from ``django.utils.timezone.now`` (and the models' ``auto_now`` fields
from the same function); ``at(moment)`` sets it for whatever is called inside. For ``seed_demo`` only
(DEBUG on, one process, no request being served): never in a view, a task or a test of the services.
"""

from contextlib import contextmanager
from datetime import datetime
from unittest import mock

from django.utils import timezone


@contextmanager
def at(moment: datetime):
    if timezone.is_naive(moment):
        raise ValueError("The demo clock takes an aware date-time.")
    if moment > timezone.now():
        raise ValueError("The demo's history is in the past.")
    with mock.patch.object(timezone, "now", lambda: moment):
        yield moment
