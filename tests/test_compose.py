"""The deployment files: docker-compose.yml, the Dockerfile and .env.example, read as text.

No Docker engine runs here, so these tests pin what a careful reading would check: the Django services
share one definition, wait for healthy PostgreSQL and Redis, and keep secrets out of the repository.
They need no database.
"""

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DJANGO_SERVICES = ("web", "worker", "beat")
INFRASTRUCTURE = ("postgres", "redis")
# Variables the containers read that are not Django settings.
NON_SETTINGS_VARIABLES = {"WEB_CONCURRENCY", "GUNICORN_THREADS"}


@pytest.fixture(scope="module")
def compose() -> dict:
    # PyYAML resolves the `<<: *django` merge keys: each service below is its merged mapping.
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def command_words(service: dict) -> list[str]:
    command = service.get("command")
    assert command, "a Django service must say what it runs"
    return list(command) if isinstance(command, list) else shlex.split(command)


def environment(service: dict) -> dict:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def without_command(service: dict) -> dict:
    own = {"command", "ports", "healthcheck", "stop_grace_period"}
    return {key: value for key, value in service.items() if key not in own}


def test_stopping_the_worker_lets_a_running_task_finish(services, settings):
    # Compose kills a container 10 s after asking it to stop, unless told otherwise: a delivery cut
    # off mid-send would be sent again by its late-acknowledged task.
    grace = services["worker"]["stop_grace_period"]
    assert grace.endswith("s")
    assert int(grace[:-1]) > settings.CELERY_TASK_TIME_LIMIT


def test_the_stack_has_web_worker_beat_postgres_and_redis(services):
    assert set(DJANGO_SERVICES + INFRASTRUCTURE) <= set(services)


def test_web_worker_and_beat_share_one_definition(compose, services):
    shared = compose["x-django"]
    for name in DJANGO_SERVICES:
        service = services[name]
        # Everything but what each one runs (and web's port and healthcheck) is the anchored mapping.
        assert without_command(service) == shared, name
        assert "build" in service or "image" in service
    first, *others = (without_command(services[name]) for name in DJANGO_SERVICES)
    for other in others:
        assert other == first


def test_each_django_service_runs_its_own_process(services):
    web = command_words(services["web"])
    assert "gunicorn" in web
    assert "mash.config.wsgi:application" in web
    assert any("0.0.0.0:8000" in word for word in web)

    worker = command_words(services["worker"])
    assert worker[:3] == ["celery", "-A", "mash.config"] and "worker" in worker and "beat" not in worker

    beat = command_words(services["beat"])
    assert beat[:3] == ["celery", "-A", "mash.config"] and "beat" in beat and "worker" not in beat


def test_worker_and_beat_are_restarted_whenever_they_exit(services):
    # Whatever stops them (a lost broker, a crash, a kill), Docker starts them again; `docker compose
    # stop` still stops them.
    for name in ("worker", "beat"):
        assert services[name]["restart"] in {"always", "unless-stopped"}, name


def test_django_services_wait_for_healthy_postgres_and_redis(services):
    for name in DJANGO_SERVICES:
        depends_on = services[name]["depends_on"]
        assert isinstance(depends_on, dict), f"{name}: long form needed to carry a condition"
        for infrastructure in INFRASTRUCTURE:
            assert depends_on[infrastructure]["condition"] == "service_healthy", (name, infrastructure)


def test_migrations_run_once_before_the_django_services_start(services):
    migrate = services["migrate"]
    assert command_words(migrate)[-3:-1] == ["manage.py", "migrate"]
    assert migrate.get("restart") == "no", "a one-off job must not be restarted after it exits"
    for infrastructure in INFRASTRUCTURE:
        assert migrate["depends_on"][infrastructure]["condition"] == "service_healthy"
    assert "migrate" not in migrate["depends_on"]
    for name in DJANGO_SERVICES:
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name
    # Same image and settings as the services it prepares.
    assert without_command(migrate) | {"restart": None, "depends_on": None} == without_command(
        services["web"]
    ) | {"restart": None, "depends_on": None}


def test_postgres_and_redis_have_healthchecks(services):
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:15")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in postgres["volumes"])

    redis = services["redis"]
    assert redis["image"].startswith("redis:7")
    assert "redis-cli ping" in " ".join(redis["healthcheck"]["test"])


def test_postgres_data_lives_in_a_named_volume(compose, services):
    volume = next(v for v in services["postgres"]["volumes"] if v.endswith(":/var/lib/postgresql/data"))
    assert volume.split(":")[0] in compose["volumes"]


def test_django_services_reach_the_compose_postgres_and_redis(services):
    for name in DJANGO_SERVICES:
        env = environment(services[name])
        assert re.fullmatch(r"postgres://[^@]+@postgres:5432/\w+", env["DATABASE_URL"]), name
        assert re.fullmatch(r"redis://redis:6379/\d+", env["CELERY_BROKER_URL"]), name
        assert str(env["DEBUG"]) == "0", name


def test_the_database_credentials_match_the_postgres_service(services):
    url = environment(services["web"])["DATABASE_URL"]
    user, password, database = re.fullmatch(r"postgres://(\w+):(\w+)@postgres:5432/(\w+)", url).groups()
    postgres = environment(services["postgres"])
    assert (postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"], postgres["POSTGRES_DB"]) == (
        user,
        password,
        database,
    )


def test_web_publishes_its_port_and_checks_its_health(services):
    web = services["web"]
    assert "8000:8000" in [str(port) for port in web["ports"]]
    check = " ".join(web["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in check
    assert "curl" not in check, "slim images have no curl"
    # The healthcheck calls 127.0.0.1, so that host must always be allowed.
    assert "127.0.0.1" in environment(web)["ALLOWED_HOSTS"]


def test_no_secret_is_hard_coded(services):
    for name in DJANGO_SERVICES:
        secret_key = environment(services[name])["SECRET_KEY"]
        # Interpolated from the environment (or .env), and compose refuses to start without it.
        assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]*\}", secret_key), name
    # Nor any other secret given a literal value anywhere in the file.
    text = (ROOT / "docker-compose.yml").read_text()
    for variable in ("SECRET_KEY", "EMAIL_HOST_PASSWORD"):
        for value in re.findall(rf"^\s*-?\s*{variable}\s*[:=]\s*(.+)$", text, re.MULTILINE):
            assert value.strip().strip("\"'").startswith("${"), (variable, value)


def test_beat_writes_its_schedule_outside_the_read_only_code(services):
    # The image runs as a user that cannot write to /app, where beat would put celerybeat-schedule.
    beat = command_words(services["beat"])
    assert any(word.startswith(("--schedule=/tmp/", "-s=/tmp/")) for word in beat)


def test_the_image_builds_assets_and_python_dependencies_and_runs_as_non_root(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.MULTILINE)
    assert "npm ci" in dockerfile and "npm run build" in dockerfile
    # The base lock, every package pinned with its hashes (tests/test_lock.py checks the lock itself).
    installs = re.findall(r"^RUN .*\bpip install\b.*$", dockerfile, re.MULTILINE)
    assert installs == [
        "RUN pip install --require-hashes --only-binary :all: --no-deps -r requirements/base.lock"
        " && pip check"
    ]
    # A failing command inside a pipe fails the build: bash with pipefail, not Docker's default /bin/sh.
    assert re.search(r'^SHELL \["/bin/bash", "-o", "pipefail"', dockerfile, re.MULTILINE)
    assert "collectstatic --noinput" in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    cmd = re.findall(r"^CMD (.+)$", dockerfile, re.MULTILINE)[-1]
    assert "gunicorn" in cmd and "mash.config.wsgi:application" in cmd and "0.0.0.0:8000" in cmd


def test_the_image_installs_no_test_tools_and_never_downloads_a_browser(dockerfile):
    assert "playwright install" not in dockerfile
    assert "dev.lock" not in dockerfile


def test_the_image_keeps_no_secret(dockerfile):
    # The build-only key for collectstatic is set on the RUN line, never as ENV or ARG.
    assert not re.search(r"^(ENV|ARG)\b.*SECRET_KEY", dockerfile, re.MULTILINE)


def test_the_build_context_leaves_out_local_state():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", "node_modules", "static/build", "staticfiles", ".git", "db.sqlite3", ".env"} <= ignored
    assert "__pycache__" in ignored or "**/__pycache__" in ignored


# --- .env.example lists every variable the code reads ---

READ_PATTERNS = (
    re.compile(r"\benv_\w+\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']"),
    re.compile(r"\bos\.environ\.get\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']"),
    re.compile(r"\bos\.environ\[\s*[\"']([A-Z][A-Z0-9_]*)[\"']\s*\]"),
    re.compile(r"\bos\.getenv\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']"),
)


def variables_read_by_the_code() -> set[str]:
    names = set()
    # settings.py first and foremost, and any other module of the core that reads one by name.
    for path in [ROOT / "mash" / "config" / "settings.py", *sorted((ROOT / "mash").rglob("*.py"))]:
        source = path.read_text()
        for pattern in READ_PATTERNS:
            names.update(pattern.findall(source))
    return names


def variables_in_env_example() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    # Set (NAME=...) or shown with its default (# NAME=...).
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


def test_the_variable_scan_finds_the_settings_it_should():
    found = variables_read_by_the_code()
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_HOST_PASSWORD"} <= found
    assert len(found) >= 20


def test_env_example_lists_every_variable_the_settings_read():
    missing = variables_read_by_the_code() - variables_in_env_example()
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_env_example_lists_no_variable_nothing_reads():
    stale = variables_in_env_example() - variables_read_by_the_code() - NON_SETTINGS_VARIABLES
    assert not stale, f"nothing reads these any more: {sorted(stale)}"


def test_env_example_explains_each_variable():
    lines = (ROOT / ".env.example").read_text().splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^#?\s*[A-Z][A-Z0-9_]*=", line):
            comment = lines[index - 1]
            assert comment.startswith("#") and not re.match(r"^#?\s*[A-Z][A-Z0-9_]*=", comment), line
            # The comment, or its continuation line just above, names the default.
            block = " ".join(lines[max(0, index - 3) : index])
            assert "default" in block.lower(), line


def test_env_example_holds_no_secret():
    text = (ROOT / ".env.example").read_text()
    assert re.search(r"^SECRET_KEY=$", text, re.MULTILINE)
    assert not re.search(r"^EMAIL_HOST_PASSWORD=.+", text, re.MULTILINE)


def test_gunicorn_runs_gthread_workers_so_an_idle_connection_holds_no_worker(monkeypatch):
    import runpy

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (config["worker_class"], config["workers"], config["threads"]) == ("gthread", 2, 1)
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (config["workers"], config["threads"]) == (3, 8)
