"""Settings read the environment through typed helpers that fail loudly, naming the variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from mash.config.env import env_bool, env_database, env_int, env_list, env_redis_url


def test_a_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG")


def test_a_bad_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("EMAIL_PORT", "0")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT=0 is below"):
        env_int("EMAIL_PORT", 25, minimum=1)


def test_a_database_url_must_be_postgres_or_sqlite(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/mash")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", "sqlite:///x.sqlite3")
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mash")
    assert env_database("DATABASE_URL", "sqlite:///x")["NAME"] == "mash"


def test_the_default_database_is_sqlite(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert env_database("DATABASE_URL", "sqlite:///db.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"


def test_a_broker_url_must_be_redis(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "amqp://guest@localhost//")
    with pytest.raises(ImproperlyConfigured, match="CELERY_BROKER_URL"):
        env_redis_url("CELERY_BROKER_URL")
    monkeypatch.delenv("CELERY_BROKER_URL")
    assert env_redis_url("CELERY_BROKER_URL") is None


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "mash.example, 10.0.0.1 ,")
    assert env_list("ALLOWED_HOSTS", []) == ["mash.example", "10.0.0.1"]


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='mash.config.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_without_a_broker_tasks_run_eagerly():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    env["DEBUG"] = "1"
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='mash.config.settings'; django.setup(); "
        "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip().endswith("True"), result.stderr


def test_an_empty_value_means_the_default(monkeypatch):
    monkeypatch.setenv("SECURE_COOKIES", "")
    monkeypatch.setenv("ALLOWED_HOSTS", " ")
    assert env_bool("SECURE_COOKIES", default=True) is True
    assert env_list("ALLOWED_HOSTS", ["localhost"]) == ["localhost"]


def _check_deploy(**overrides):
    """``manage.py check --deploy`` under production settings, in a fresh process."""
    import os
    import secrets
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith(("HSTS_", "DJANGO_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        BEHIND_HTTPS_PROXY="1",
        SECURE_COOKIES="1",
        ALLOWED_HOSTS="mash.example.org",
        **overrides,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_finds_nothing_with_production_settings():
    result = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_the_hsts_options_are_read_from_the_environment():
    result = _check_deploy(HSTS_INCLUDE_SUBDOMAINS="0", HSTS_PRELOAD="no")
    assert result.returncode != 0
    assert "security.W005" in result.stderr and "security.W021" in result.stderr
    assert "HSTS_SECONDS" in _check_deploy(HSTS_SECONDS="-1").stderr
