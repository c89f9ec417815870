"""The dashboards read a real streaming replica when REPORTING_DATABASE_URL is set; cases stay on the primary.

The test starts its own small PostgreSQL primary and a streaming replica of it (``initdb``, then
``pg_basebackup -R``: a hot standby fed by WAL streaming), in a temporary directory on free ports, as the
``postgres`` user (initdb refuses root). It migrates the primary (the replica follows by streaming), then
runs Django against the pair in its own processes (tests/measures/replica_probe.py): with replay on the
replica paused, a referral written on the primary is seen by the case read (the primary) and not by the
dashboard's aggregate (the replica); once replay resumes and the replica has replayed past the write
(polled, by its replay LSN), the dashboard counts it. Everything it started is stopped and its directory
removed, whatever happens.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = "mash"
WAIT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*args: str) -> None:
    result = subprocess.run(
        ["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True, start_new_session=True
    )
    if result.returncode:
        raise RuntimeError(f"{' '.join(args[:1])} failed: {result.stderr or result.stdout}")


def poll(predicate, *, what: str, timeout: float = WAIT):
    """``predicate()`` until it is true (no fixed wait: a short pause between tries)."""
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not after {timeout:.0f} s")
        time.sleep(0.05)
    return value


class Cluster:
    """One PostgreSQL server of the pair: its data directory under the test's base, its own port."""

    def __init__(self, base: Path, name: str):
        self.base, self.data, self.port = base, base / name, free_port()
        self.log = base / f"{name}.log"
        self.started = False

    def start(self) -> None:
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
        as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"
        )
        self.started = True

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(RuntimeError):
                as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.started = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url, autocommit=True)

    def value(self, sql: str):
        with self.connect() as conn:
            return conn.execute(sql).fetchone()[0]


@pytest.fixture(scope="module")
def pair():
    base = Path(tempfile.mkdtemp(prefix="mash-replica-"))
    shutil.chown(base, "postgres", "postgres")
    primary, replica = Cluster(base, "primary"), Cluster(base, "replica")
    try:
        as_postgres(str(PG_BIN / "initdb"), "-D", str(primary.data), "-U", "postgres", "-A", "trust", "-N")
        primary.start()
        as_postgres(str(PG_BIN / "createdb"), "-h", str(base), "-p", str(primary.port), DATABASE)
        # A hot standby streaming from the primary (-R writes its primary_conninfo and standby.signal).
        as_postgres(
            str(PG_BIN / "pg_basebackup"),
            *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
            *("-D", str(replica.data), "-R", "-X", "stream", "-c", "fast"),
        )
        replica.start()
        poll(lambda: replica.value("SELECT pg_is_in_recovery()"), what="the replica in recovery")
        poll(
            lambda: replica.value("SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'"),
            what="the replica streaming",
        )
        django(primary, replica, "migrate")
        yield primary, replica
    finally:
        replica.stop()
        primary.stop()
        shutil.rmtree(base, ignore_errors=True)


def django(primary: Cluster, replica: Cluster, *args: str) -> dict | None:
    """Run the project against the pair, in its own process: ``migrate``, or a step of the probe."""
    env = {k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL", "CACHE_URL"}}
    env |= {
        "DATABASE_URL": primary.url,
        "REPORTING_DATABASE_URL": replica.url,
        "SECRET_KEY": "replica-test-secret-key",
        "DEBUG": "0",
        "SECURE_COOKIES": "0",
        "DJANGO_SETTINGS_MODULE": "mash.config.settings",
    }
    if args[0] == "migrate":
        command = [sys.executable, "manage.py", "migrate", "--no-input", "-v0"]
    else:
        command = [sys.executable, "-m", "tests.measures.replica_probe", *args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if result.returncode:
        raise AssertionError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return None if args[0] == "migrate" else json.loads(result.stdout.strip().splitlines()[-1])


def caught_up(primary: Cluster, replica: Cluster) -> bool:
    """Whether the replica has replayed everything the primary has written so far."""
    target = primary.value("SELECT pg_current_wal_lsn()::text")
    return poll(
        lambda: replica.value(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"),
        what=f"the replica replaying up to {target}",
    )


def test_the_dashboard_reads_the_replica_and_the_case_the_primary(pair):
    primary, replica = pair
    django(primary, replica, "setup")
    assert caught_up(primary, replica)

    with replica.connect() as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
        try:
            poll(
                lambda: conn.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] == "paused",
                what="replay paused",
            )
            referral = django(primary, replica, "write")["referral"]
            paused = django(primary, replica, "look", str(referral))
        finally:
            conn.execute("SELECT pg_wal_replay_resume()")

    # The case page's read is on the primary: the new referral is there.
    assert paused["case"] == referral
    # The dashboard's aggregate is on the replica, which has not replayed the write yet.
    assert paused["dashboard_read_on"] == "reporting"
    assert paused["dashboard_count"] == 0
    assert "replica-probe" in paused["measures"]

    assert caught_up(primary, replica)
    resumed = django(primary, replica, "look", str(referral))
    assert resumed["dashboard_count"] == 1
    assert resumed["case"] == referral


def test_the_replica_refuses_writes(pair):
    # What the router relies on: were a write ever sent there, it would fail, not diverge.
    _, replica = pair
    with replica.connect() as conn, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        conn.execute("CREATE TABLE never (id int)")
