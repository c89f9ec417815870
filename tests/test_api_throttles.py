"""The API throttles each signed-in user, and each address that keeps sending bad tokens: past the
limit the answer is 429, in JSON, with Retry-After. Real throttles, on a lowered rate."""

import uuid

import pytest

from tests.broker import frozen_redis
from tests.factories import api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
        }

    return set_rates


def assert_throttled(response):
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "throttled" in response.json()["detail"]
    assert int(response["Retry-After"]) >= 1


def test_a_user_past_the_rate_is_throttled_and_another_is_not(client, cast, rates):
    rates(user="3/minute")
    triage = {"HTTP_AUTHORIZATION": f"Token {api_token(cast.triage)}"}
    for _ in range(3):
        assert client.get("/api/v1/me/", **triage).status_code == 200

    assert_throttled(client.get("/api/v1/me/", **triage))
    manager = {"HTTP_AUTHORIZATION": f"Token {api_token(cast.manager)}"}
    assert client.get("/api/v1/me/", **manager).status_code == 200


def test_an_address_sending_bad_tokens_is_throttled_even_with_a_good_one(client, cast, rates):
    rates(failed_auth="2/hour")
    attacker = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(2):
        assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token guessed", **attacker).status_code == 401

    assert_throttled(client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token guessed", **attacker))
    good = f"Token {api_token(cast.triage)}"
    assert_throttled(client.get("/api/v1/me/", HTTP_AUTHORIZATION=good, **attacker))
    # Another address is not held back, and a forged X-Forwarded-For does not make one.
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=good, REMOTE_ADDR="198.51.100.1").status_code == 200
    forged = client.get("/api/v1/me/", HTTP_AUTHORIZATION=good, HTTP_X_FORWARDED_FOR="10.9.9.9", **attacker)
    assert_throttled(forged)


def test_good_tokens_and_sessions_do_not_count_as_failures(client, cast, rates):
    rates(failed_auth="1/hour")
    good = f"Token {api_token(cast.triage)}"
    for _ in range(3):
        assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=good).status_code == 200
    assert client.get("/api/v1/me/").status_code == 401  # no credentials: not a failed token
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token wrong").status_code == 401
    assert_throttled(client.get("/api/v1/me/", HTTP_AUTHORIZATION=good))


def test_the_counts_live_in_redis_when_it_is_configured(client, cast, rates, settings):
    """Every web process sees the same counts: the throttle's state is in the shared Redis cache."""
    from django.core.cache import cache

    broker = settings.CELERY_BROKER_URL
    if not broker:
        pytest.skip("no Redis configured (CELERY_BROKER_URL)")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": broker,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    rates(user="1/minute")
    token = {"HTTP_AUTHORIZATION": f"Token {api_token(cast.triage)}"}
    assert client.get("/api/v1/me/", **token).status_code == 200
    assert cache.get(f"throttle_user_{cast.triage.pk}")
    assert_throttled(client.get("/api/v1/me/", **token))
    cache.delete(f"throttle_user_{cast.triage.pk}")


def test_with_the_throttles_cache_unreachable_the_api_still_answers(client, cast, settings, caplog):
    # Nothing listens on port 1: the throttle's cache is down, as in a Redis outage.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    good = {"HTTP_AUTHORIZATION": f"Token {api_token(cast.triage)}"}

    assert client.get("/api/v1/me/", **good).status_code == 200
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token guessed").status_code == 401
    assert "API throttles skipped" in caplog.text


def test_a_frozen_throttle_cache_costs_one_request_a_timeout_then_is_left_alone(
    client, cast, settings, caplog
):
    good = {"HTTP_AUTHORIZATION": f"Token {api_token(cast.triage)}"}
    with frozen_redis() as url:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            }
        }
        for _ in range(3):
            assert client.get("/api/v1/me/", **good).status_code == 200
    assert caplog.text.count("API throttles skipped") == 1, "the cache is tried once, then paused"
