"""The project's gunicorn settings (gunicorn.conf.py), served for real: connections that send nothing
(a browser's preconnect, a scan) do not stop the service.

gunicorn's threaded worker keeps a new connection in a thread until its first bytes come, 5 seconds at
most by its own default; with one thread a worker, as many idle connections as workers stopped every
request for those 5 seconds. The settings hand such a connection to the worker's event loop after
``FIRST_BYTES_WAIT``. Here gunicorn serves a one-line application (tests/gunicorn_app.py) with exactly
those settings, and a request made while an idle connection holds each thread must be answered long
before gunicorn's 5 seconds.
"""

import http.client
import os
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "gunicorn.conf.py"
GUNICORN_DEFAULT_WAIT = 5.0  # seconds: gunicorn's own wait for a new connection's first bytes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, timeout: float) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/")
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture
def served():
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"WEB_CONCURRENCY", "GUNICORN_THREADS"}}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(CONFIG),
            "-b",
            f"127.0.0.1:{port}",
            "tests.gunicorn_app:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(port, timeout=1) == 200:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        # Every worker answers before the test starts (a request per worker, in turn).
        for _ in range(4):
            assert _get(port, timeout=GUNICORN_DEFAULT_WAIT) == 200
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_settings_wait_a_moment_for_a_new_connections_first_bytes(monkeypatch):
    from gunicorn.workers import gthread

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    monkeypatch.setattr(gthread, "DEFAULT_WORKER_DATA_TIMEOUT", gthread.DEFAULT_WORKER_DATA_TIMEOUT)
    config = runpy.run_path(str(CONFIG))
    assert config["FIRST_BYTES_WAIT"] < 1
    assert config["FIRST_BYTES_WAIT"] == gthread.DEFAULT_WORKER_DATA_TIMEOUT


def test_idle_connections_holding_every_thread_do_not_stop_a_request(served):
    config = runpy.run_path(str(CONFIG))
    idle = [
        socket.create_connection(("127.0.0.1", served))
        for _ in range(config["workers"] * config["threads"] + 1)
    ]
    try:
        # Answered, where gunicorn's own settings would leave it waiting 5 seconds for a free thread.
        assert _get(served, timeout=GUNICORN_DEFAULT_WAIT / 2) == 200
    finally:
        for connection in idle:
            connection.close()
