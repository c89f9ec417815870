"""The Celery worker and beat: supervised, separate, and a worker that survives losing Redis.

The schedule and the supervisor configuration are read as the programs read them; the broker test
runs a real worker (its own process) on a Redis of its own, stops that Redis while a task holds an
unacknowledged message, starts it again and waits for the worker to take a new task.
"""

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from celery.schedules import crontab, schedule

from mash.config.celery import BROKER_RECONNECT_MAX_INTERVAL, app

ROOT = Path(__file__).resolve().parent.parent
# The promise: the worker back within 30 s of Redis returning.
BACK_WITHIN = 30


def interval_seconds(entry_schedule) -> float:
    """The shortest time between two runs of a beat schedule."""
    if isinstance(entry_schedule, int | float):
        return float(entry_schedule)
    if isinstance(entry_schedule, crontab):
        # Every day (all this project uses): the gaps between its times of day, round the clock.
        assert len(entry_schedule.day_of_week) == 7
        times = sorted(hour * 60 + minute for hour in entry_schedule.hour for minute in entry_schedule.minute)
        following = [*times[1:], times[0] + 24 * 60]
        gaps = [later - earlier for earlier, later in zip(times, following, strict=True)]
        return min(gaps) * 60.0
    assert isinstance(entry_schedule, schedule), entry_schedule
    return entry_schedule.run_every.total_seconds()


def test_every_periodic_task_expires_before_its_next_run():
    # While the worker is down the runs wait in Redis; expired, the returning worker drops them.
    entries = app.conf.beat_schedule
    assert "notifications-sweep" in entries
    for name, entry in entries.items():
        expires = entry.get("options", {}).get("expires")
        assert isinstance(expires, int | float) and expires > 0, f"{name} never expires"
        assert expires < interval_seconds(entry["schedule"]), name
    assert interval_seconds(entries["notifications-sweep"]["schedule"]) == 60


def test_every_task_in_the_beat_schedule_is_registered():
    # A misspelt task name is sent every few minutes and dropped by the worker as unknown.
    app.loader.import_default_modules()
    unknown = {name: e["task"] for name, e in app.conf.beat_schedule.items() if e["task"] not in app.tasks}
    assert unknown == {}


def test_a_beat_run_is_sent_with_its_expiry():
    entry = app.conf.beat_schedule["notifications-sweep"]
    before = datetime.now(UTC)
    message = app.amqp.as_task_v2("id", entry["task"], **entry["options"])
    expires = datetime.fromisoformat(message.headers["expires"])
    assert 0 < (expires - before).total_seconds() <= entry["options"]["expires"] + 1


def test_a_lost_broker_is_retried_every_few_seconds_forever():
    assert BROKER_RECONNECT_MAX_INTERVAL <= 5
    assert app.conf.broker_connection_max_retries is None
    assert app.conf.broker_connection_retry_on_startup


# --- supervision: scripts/supervisord.conf, scripts/worker.sh, make worker, make run ---


@pytest.fixture
def supervised(tmp_path, monkeypatch):
    """The programs of scripts/supervisord.conf, as supervisord reads them (with scripts/worker.sh's
    variables)."""
    from supervisor.options import ServerOptions

    monkeypatch.setenv("MASH_ROOT", str(ROOT))
    monkeypatch.setenv("WORKER_RUN_DIR", str(tmp_path))
    monkeypatch.setenv("WORKER_CONCURRENCY", "2")
    options = ServerOptions()
    options.realize(args=["--configuration", str(ROOT / "scripts" / "supervisord.conf")])
    assert options.nodaemon, "scripts/worker.sh runs in the foreground"
    programs = {
        process.name: process for group in options.process_group_configs for process in group.process_configs
    }
    return programs, tmp_path


def test_worker_and_beat_are_separate_programs_restarted_whenever_they_exit(supervised):
    from supervisor.datatypes import RestartUnconditionally

    programs, run_dir = supervised
    assert set(programs) == {"worker", "beat"}
    worker = shlex.split(programs["worker"].command)
    beat = shlex.split(programs["beat"].command)
    assert worker[1:4] == ["-A", "mash.config", "worker"] and not {"--beat", "-B"} & set(worker)
    assert beat[1:4] == ["-A", "mash.config", "beat"]
    # Beat's schedule in the run directory (var/ by default: writable, ignored by git).
    assert f"--schedule={run_dir}/celerybeat-schedule" in beat
    for name, program in programs.items():
        assert program.autorestart is RestartUnconditionally, name
        assert program.startretries >= 10, name
        assert program.directory == str(ROOT), name
    # A warm shutdown lets a running task finish within its hard time limit.
    assert programs["worker"].stopsignal == signal.SIGTERM
    assert programs["worker"].stopwaitsecs > app.conf.task_time_limit


def test_make_worker_and_make_run_run_the_supervised_pair():
    makefile = (ROOT / "Makefile").read_text()
    worker_target = makefile.split("\nworker:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/worker.sh" in worker_target and "--beat" not in worker_target
    run_sh = (ROOT / "scripts" / "run.sh").read_text()
    assert "scripts/worker.sh &" in run_sh and "--beat" not in run_sh
    assert "runserver" in run_sh.splitlines()[-1], "the dev server stays in the foreground"
    worker_sh = (ROOT / "scripts" / "worker.sh").read_text()
    assert "exec .venv/bin/supervisord" in worker_sh and "WORKER_RUN_DIR:-$PWD/var" in worker_sh
    assert "var/" in (ROOT / ".gitignore").read_text().split()


# --- a real worker, a real Redis stopped and started again ---


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    wait_for(lambda: _answers(client), 10, "redis-server to start")
    return server


def _answers(client) -> bool:
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


def wait_for(condition, seconds: float, what: str, worker=None, log=None) -> None:
    """Poll until condition() holds; fail if it does not within seconds, or if the worker exits."""
    start = time.monotonic()
    while not condition():
        if worker is not None and worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}) waiting for {what}{_tail(log)}")
        if time.monotonic() - start > seconds:
            pytest.fail(f"no {what} within {seconds} s{_tail(log)}")
        time.sleep(0.05)


def _tail(log) -> str:
    return f":\n{log.read_text()[-4000:]}" if log else ""


@pytest.mark.broker
def test_a_worker_holding_a_task_survives_redis_stopping_and_is_back_when_it_returns(tmp_path):
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis(port=port)
    log = tmp_path / "worker.log"
    server = start_redis(port)
    env = {**os.environ, "CELERY_BROKER_URL": url, "CACHE_URL": url, "PYTHONUNBUFFERED": "1"}
    # Two processes, as `make worker` runs: holding one task, the worker still waits on Redis for another
    # (celery 5.7.0 exited then, restoring the held task through the connection it had just dropped).
    command = ["celery", "-A", "tests.celery_probe", "worker", "--concurrency=2", "--loglevel=info"]
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", *command],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    # Published through a connection to this Redis (the app's broker URL is the suite's).
    broker = app.connection_for_write(url)
    try:
        # A task holds its message, unacknowledged, when Redis stops.
        app.send_task("probe.hold", args=["held", 3], connection=broker)
        wait_for(lambda: client.exists("held"), 30, "task started", worker, log)
        server.terminate()
        server.wait(10)
        # Redis stays down until the worker has dealt with the loss and tried to reconnect.
        wait_for(lambda: "Cannot connect to" in log.read_text(), 10, "reconnection attempt", worker, log)

        server = start_redis(port)
        app.send_task("probe.mark", args=["back"], connection=broker)
        wait_for(lambda: client.exists("back"), BACK_WITHIN, "task run after Redis returned", worker, log)
        assert worker.poll() is None
    finally:
        broker.release()
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
        server.terminate()
        server.wait(10)
