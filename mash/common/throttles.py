"""API throttles (DRF's), with their state in Django's cache (CACHES: Redis when CACHE_URL or
CELERY_BROKER_URL is set, so every web process shares it; otherwise each process counts alone).

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` when a request is checked, not when
this module is imported, so a changed setting takes effect at once.
"""

import logging
import math
import time

from redis.exceptions import RedisError
from rest_framework import exceptions, throttling
from rest_framework.settings import api_settings

logger = logging.getLogger(__name__)

# After the cache fails, this process skips the throttles for this long: a frozen Redis (one that
# accepts connections and never answers) then costs one request a socket timeout, not every request.
PAUSE_AFTER_FAILURE = 30.0
_paused_until = 0.0


def _cache_down(exc: Exception) -> None:
    # A throttle is a guard against abuse, not a condition of service: when its cache (Redis) cannot be
    # reached the request goes through, as pages do in a Redis outage, and the outage is logged.
    global _paused_until
    _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
    logger.warning(
        "API throttles skipped for %.0f s: their cache cannot be reached (%s)", PAUSE_AFTER_FAILURE, exc
    )


def _cache_paused() -> bool:
    return time.monotonic() < _paused_until


def resume() -> None:
    """Use the cache again at once (tests)."""
    global _paused_until
    _paused_until = 0.0


class UserRateThrottle(throttling.UserRateThrottle):
    """Requests per signed-in user (``API_THROTTLE_RATE``)."""

    scope = "user"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if _cache_paused():
            return True
        try:
            return super().allow_request(request, view)
        except RedisError as exc:
            _cache_down(exc)
            return True


class FailedAuthenticationThrottle(throttling.SimpleRateThrottle):
    """Failed token authentications per client address (``API_FAILED_AUTH_RATE``). Only failures
    count; past the limit the address gets 429, with ``Retry-After``, for any token it sends, until
    the oldest failure leaves the window. Used by the token authentication, not as a view throttle."""

    scope = "failed_auth"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def _load(self, request) -> None:
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]

    def check(self, request) -> None:
        """Refuse (429) an address that has failed too often."""
        if self.rate is None or _cache_paused():
            return
        try:
            self._load(request)
        except RedisError as exc:
            _cache_down(exc)
            return
        if len(self.history) >= self.num_requests:
            raise exceptions.Throttled(wait=max(1, math.ceil(self.wait() or 1)))

    def record_failure(self, request) -> None:
        if self.rate is None or _cache_paused():
            return
        try:
            self._load(request)
            self.history.insert(0, self.now)
            self.cache.set(self.key, self.history[: self.num_requests], self.duration)
        except RedisError as exc:
            _cache_down(exc)
