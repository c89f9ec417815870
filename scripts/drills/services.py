"""The drills' own PostgreSQL, Redis, SMTP sink and Celery worker: started, faulted and stopped here.

Each runs in its own session (process group), on its own port, with its files under one temporary
directory, so `Services.close()` can stop everything it started whatever happened before.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
REDIS_SERVER = "/usr/bin/redis-server"
CELERY = ROOT / ".venv" / "bin" / "celery"
WORKER_SCRIPT = ROOT / "scripts" / "worker.sh"


def wait_for(predicate, *, timeout: float, interval: float = 0.2, what: str = "a service"):
    """Poll ``predicate`` until it returns something true; its value, or TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not ready after {timeout:.0f} s")
        time.sleep(interval)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def ensure_free(port: int) -> None:
    if port_open(port):
        raise SystemExit(f"Port {port} is in use: stop what listens there or choose another port.")


def spawn(command: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def end_group(process: subprocess.Popen | None, *, grace: float = 10) -> None:
    """Stop a process and its group: SIGCONT (a frozen one cannot stop), SIGTERM, then SIGKILL."""
    if process is None or process.poll() is not None:
        return
    for sig in (signal.SIGCONT, signal.SIGTERM):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def children_of() -> dict[int, list[int]]:
    """Every process's children, read from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def descendants(pid: int) -> list[int]:
    tree, found, todo = children_of(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Postgres:
    """A throw-away cluster run by the postgres user (initdb refuses root) on its own port."""

    def __init__(self, base: Path, port: int):
        self.dir = base / "postgres"
        self.data = self.dir / "data"
        self.port = port
        self.log = base / "postgres.log"
        self.url = f"postgres://postgres@127.0.0.1:{port}/mash_drills"

    def _as_postgres(self, *args: str, check=True):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            check=check,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def init(self) -> None:
        self.dir.mkdir()
        shutil.chown(self.dir, "postgres", "postgres")
        self.log.touch()
        shutil.chown(self.log, "postgres", "postgres")
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")
        self.start()
        self._as_postgres(str(PG_BIN / "createdb"), "-h", str(self.dir), "-p", str(self.port), "mash_drills")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        if self.data.exists():
            self.stop("immediate")


class Redis:
    """redis-server with no persistence: a restart comes back empty, as a lost broker would."""

    def __init__(self, base: Path, port: int):
        self.port = port
        self.log = base / "redis.log"
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self.process = spawn(command, self.log)
        wait_for(lambda: port_open(self.port), timeout=10, what="Redis")

    def stop(self) -> None:
        end_group(self.process)
        self.process = None

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    close = stop


class Sink:
    """The SMTP sink (sink.py) and its switches: normal, slow, refusing until a time."""

    def __init__(self, base: Path, port: int):
        self.port = port
        self.control = base / "sink-control.json"
        self.messages = base / "sink-messages.jsonl"
        self.log = base / "sink.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.behave()
        self.messages.touch()
        command = [sys.executable, "-m", "scripts.drills.sink", "--port", str(self.port)]
        command += ["--control", str(self.control), "--log", str(self.messages)]
        self.process = spawn(command, self.log)
        wait_for(lambda: port_open(self.port), timeout=10, what="the SMTP sink")

    def behave(self, *, delay: float = 0, refuse_until: float = 0) -> None:
        """Each message waits ``delay`` seconds; until ``refuse_until`` (Unix time) each gets 451."""
        self.control.write_text(json.dumps({"delay": delay, "refuse_until": refuse_until}))

    def clear(self) -> None:
        self.messages.write_text("")

    def accepted(self) -> list[dict]:
        lines = self.messages.read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def close(self) -> None:
        end_group(self.process)


class Worker:
    """The project's Celery worker and beat, started the way the project starts them.

    `commands()` is the one place that says how: `scripts/worker.sh` (worker and beat, each restarted
    if it dies) when the repository has it, else a plain `celery worker` and a separate `celery beat`
    that nothing restarts (the drill then restarts a killed worker itself and says so).
    """

    def __init__(self, base: Path, env: dict):
        self.base = base
        self.env = env
        self.log = base / "worker.log"
        self.processes: list[subprocess.Popen] = []

    @property
    def supervised(self) -> bool:
        return WORKER_SCRIPT.exists()

    def commands(self) -> list[list[str]]:
        if self.supervised:
            return [[str(WORKER_SCRIPT)]]
        worker = [str(CELERY), "-A", "mash.config", "worker", "--loglevel=info", "--concurrency=2"]
        beat = [str(CELERY), "-A", "mash.config", "beat", "--loglevel=info"]
        return [worker, [*beat, "--schedule", str(self.base / "beat-schedule")]]

    def start(self) -> None:
        # scripts/worker.sh keeps supervisord's socket, pid file and beat's schedule in WORKER_RUN_DIR.
        env = {**self.env, "WORKER_RUN_DIR": str(self.base / "worker-run")}
        self.processes = [spawn(command, self.log, env) for command in self.commands()]

    def stop(self) -> None:
        """A warm shutdown; what is left after the grace (supervisord puts each program in its own
        process group) is killed."""
        left = {pid: cmdline(pid) for process in self.processes for pid in descendants(process.pid)}
        for process in self.processes:
            end_group(process, grace=20)
        for pid, command in left.items():
            if cmdline(pid) == command:  # still the process we started, not a new one with its id
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self.processes = []

    close = stop

    def pool(self) -> tuple[int | None, list[int]]:
        """The running worker's main process and its pool processes (None, [] when it is not running)."""
        pids = [pid for process in self.processes for pid in [process.pid, *descendants(process.pid)]]
        workers = {pid for pid in pids if " worker" in cmdline(pid) and "celery" in cmdline(pid)}
        tree = children_of()
        for pid in workers:
            if not any(pid in tree.get(other, []) for other in workers):  # its parent is no worker
                return pid, [child for child in tree.get(pid, []) if child in workers]
        return None, []

    def kill(self) -> int:
        """kill -9 the worker: its main process and its pool processes. Returns how many pool
        processes (the ones that send) were killed. Unsupervised, the drill restarts it at once."""
        main, pool = self.pool()
        if main is None:
            raise RuntimeError("no worker process to kill")
        for pid in [main, *pool]:
            os.kill(pid, signal.SIGKILL)
        if not self.supervised:
            self.processes[0].wait(5)
            self.processes[0] = spawn(self.commands()[0], self.log, {**self.env})
        return len(pool)

    def alive(self) -> bool:
        return self.pool()[0] is not None


class Services:
    """Everything the drills start, under one temporary directory; `close()` stops all of it."""

    def __init__(self, *, pg_port: int, redis_port: int, smtp_port: int, keep: bool = False):
        for port in (pg_port, redis_port, smtp_port):
            ensure_free(port)
        self.base = Path(tempfile.mkdtemp(prefix="mash-drills-"))
        os.chmod(self.base, 0o755)  # the postgres user reaches its directory through it
        self.keep = keep
        self.postgres = Postgres(self.base, pg_port)
        self.redis = Redis(self.base, redis_port)
        self.sink = Sink(self.base, smtp_port)
        self.worker: Worker | None = None

    def start(self) -> None:
        self.postgres.init()
        self.redis.start()
        self.sink.start()

    def close(self) -> None:
        for service in (self.worker, self.sink, self.redis, self.postgres):
            if service is None:
                continue
            try:
                service.close()
            except Exception as exc:  # go on stopping the others
                print(f"drills: stopping {type(service).__name__} failed: {exc}", file=sys.stderr)
        if self.keep:
            print(f"drills: logs kept in {self.base}", file=sys.stderr)
        else:
            shutil.rmtree(self.base, ignore_errors=True)
