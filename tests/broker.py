"""Waiting on the real worker by condition, never by a fixed sleep (tests that use ``celery_worker``),
and a Redis that never answers."""

import contextlib
import socket
import time


@contextlib.contextmanager
def frozen_redis():
    """The URL of a Redis that accepts connections and never answers, as a stopped (SIGSTOP) one does."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


def wait_until(condition, timeout=20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _idle() -> bool:
    from celery.worker import state

    from mash.config.celery import app

    with app.connection_for_write() as connection:
        client = connection.default_channel.client
        # Queued, or delivered to the worker and not yet acknowledged (acks_late: until it has run).
        waiting = client.llen(app.conf.task_default_queue) + client.hlen("unacked")
    return waiting == 0 and not state.active_requests and not state.reserved_requests


def drained(timeout=20.0) -> bool:
    """True once the broker holds no task for the in-process worker and it runs none, twice in a row:
    whatever was enqueued has run, so anything sent twice has shown up."""
    return wait_until(lambda: _idle() and _idle(), timeout)
