"""gunicorn (`mash.config.wsgi`, 2 workers) as a subprocess given the benchmark's database, and fetching pages
from it one request at a time: the check that every (path, user) pair of the mix answers 200, which is
also each kind of page's time alone."""

import http.client
import os
import runpy
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings

from bench.context import Context
from bench.report import percentile

WORKERS = 2
PORTS = range(8100, 8200)
GUNICORN = Path(settings.BASE_DIR) / ".venv" / "bin" / "gunicorn"


def threads() -> int:
    """The threads of each worker, as gunicorn.conf.py sets them in the served environment."""
    return runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))["threads"]


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORTS.start}-{PORTS.stop - 1} for gunicorn.")


def served_env(ctx: Context) -> dict[str, str]:
    """The environment of the served code: this database, this secret key, the cache on Redis."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mash.config.settings",
        "DATABASE_URL": ctx.database_url,
        "DEBUG": "0",
        # The same key as this process: it signs the sessions made here and their auth hashes.
        "SECRET_KEY": settings.SECRET_KEY,
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        # The cache is Redis, shared by the workers, as in production (without it each worker keeps
        # its own in memory).
        "CACHE_URL": ctx.broker_url,
    }
    if not ctx.broker_url:
        env.pop("CACHE_URL")
    # Page views enqueue nothing: no broker (a task would run eagerly, in the request, and show).
    env.pop("CELERY_BROKER_URL", None)
    return env


_LOGIN_BACKEND = (
    "from django.conf import settings; from django.contrib.auth import load_backend; "
    "print(next(p for p in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(p), 'get_user')))"
)


def session_backend(ctx: Context, checkout: Path | None = None) -> str:
    """The backend path that the code of ``checkout`` (this one by default) stores in a session at
    sign-in: the first of its AUTHENTICATION_BACKENDS that loads users. A session naming a backend its
    server does not list is signed out, so the code before a change may need sessions of its own."""
    if checkout is None or Path(checkout).resolve() == Path(settings.BASE_DIR).resolve():
        from django.contrib.auth import load_backend

        return next(p for p in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(p), "get_user"))
    python = Path(settings.BASE_DIR) / ".venv" / "bin" / "python"
    found = subprocess.run(
        [str(python), "manage.py", "shell", "-c", _LOGIN_BACKEND],
        cwd=checkout,
        env=served_env(ctx),
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.strip().splitlines()[-1]


class Gunicorn:
    """gunicorn serving the code of ``checkout`` (this one by default: another is the code before a change,
    measured beside it), with this venv, this database and the same settings."""

    def __init__(self, ctx: Context, checkout: Path | None = None, port: int | None = None):
        self.ctx = ctx
        self.checkout = Path(checkout or settings.BASE_DIR)
        self.port = port or free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in __exit__)
        self.process = None

    def __enter__(self):
        env = served_env(self.ctx)
        self.process = subprocess.Popen(
            [str(GUNICORN), "mash.config.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{self.port}"],
            cwd=self.checkout,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self._log_tail()}")
            try:
                status, _ = get(self.port, "/healthz", None)
                if status == 200 and len(self.worker_pids()) == WORKERS:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer within 60 s:\n{self._log_tail()}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def _log_tail(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def worker_pids(self) -> list[int]:
        """The master's children, from /proc/<pid>/stat (field 4 is the parent's pid)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name (field 2) is in parentheses and may hold spaces: split after it.
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def worker_cpu(self) -> dict[int, float]:
        """Each worker's CPU time so far (user and system, /proc/<pid>/stat fields 14 and 15), in seconds."""
        ticks = os.sysconf("SC_CLK_TCK")
        seconds = {}
        for pid in self.worker_pids():
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks
        return seconds

    def worker_memory(self) -> dict[int, float]:
        """Each worker's peak resident memory (VmHWM), in MB."""
        memory = {}
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    memory[pid] = round(int(line.split()[1]) / 1024, 1)
        if not memory:
            raise RuntimeError("No gunicorn worker found to read its memory.")
        return memory


def get(port: int, path: str, session_key: str | None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1"}
    if session_key:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session_key}"
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def check_and_time(port: int, mix: list[tuple[str, str, str]]) -> dict[str, dict]:
    """Fetch every distinct (path, user) once; anything but 200 stops the figure. Also warms the
    workers and times each kind of page alone (one request at a time)."""
    for _kind, path, key in mix[:20]:  # first touches: imports, templates, connections
        get(port, path, key)
    timings: dict[str, list[float]] = {}
    for kind, path, key in dict.fromkeys(mix):
        started = time.perf_counter()
        status, _body = get(port, path, key)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise RuntimeError(f"{path} answered {status} for a {kind} user: the mix must be all 200s.")
        timings.setdefault(kind, []).append(elapsed)
    return {
        kind: {
            "n": len(samples),
            "median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(percentile(samples, 95), 1),
        }
        for kind, samples in sorted(timings.items())
    }
