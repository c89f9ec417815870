import os
import subprocess
import sys

SHOW = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='mash.config.settings'; django.setup(); "
    "from django.conf import settings as s; "
    "print(s.SESSION_IDLE_TIMEOUT, s.SESSION_IDLE_WARNING, s.SESSION_COOKIE_AGE, "
    "s.REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES'])"
)


def settings_with(**env):
    result = subprocess.run(
        [sys.executable, "-c", SHOW], env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    return result


def test_the_idle_timeout_defaults_to_30_minutes_and_reads_its_variable():
    assert settings_with(SESSION_IDLE_TIMEOUT="").stdout.startswith("1800 120 28800")
    assert settings_with(SESSION_IDLE_TIMEOUT="300").stdout.startswith("300 75 28800")


def test_a_bad_idle_timeout_stops_the_start_naming_the_variable():
    result = settings_with(SESSION_IDLE_TIMEOUT="soon")
    assert result.returncode != 0 and "SESSION_IDLE_TIMEOUT" in result.stderr


def test_session_api_authentication_asks_for_the_second_factor():
    out = settings_with().stdout
    assert "mash.accounts.authentication.VerifiedSessionAuthentication" in out
    assert "rest_framework.authentication.SessionAuthentication" not in out
