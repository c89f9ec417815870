"""Timing in-process: the whole request through Django's test client (middleware, view, template).

Variants of the same request are interleaved (A, B, C, A, B, C, ...) so that drift on a shared
2-core machine falls on every variant alike; each is warmed up first.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from guardian.shortcuts import get_objects_for_user

from bench import second_factor
from mash.sharing import policy


def client_for(user) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)  # the backend a password sign-in stores (AUTHENTICATION_BACKENDS)
    session = client.session
    second_factor.verify(session, user)
    session.save()
    return client


def get_ok(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}, not 200: the benchmark is wrong.")
    return response


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def interleaved(
    variants: dict[str, Callable[[], object]], *, n: int, warmup: int = 3
) -> dict[str, list[float]]:
    """Run each variant n times, in turn; return each one's times in milliseconds."""
    for fn in variants.values():
        for _ in range(warmup):
            fn()
    samples = {name: [] for name in variants}
    for _ in range(n):
        for name, fn in variants.items():
            samples[name].append(timed(fn))
    return samples


def query_count(fn: Callable[[], object]) -> tuple[int, list[dict]]:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries), list(captured.captured_queries)


@contextmanager
def unfiltered() -> Iterator[None]:
    """The same requests with the sharing policy's list filter switched off (the baseline only)."""
    with mock.patch.object(policy, "visible", lambda user, queryset: queryset):
        yield


@contextmanager
def guardian_filtered() -> Iterator[None]:
    """The same requests filtered by django-guardian's own get_objects_for_user (the peer)."""

    def visible(user, queryset):
        rule = policy.rule_for(queryset.model)
        perm = f"{rule.model._meta.app_label}.{rule.view_codename}"
        return get_objects_for_user(
            user, perm, klass=queryset, accept_global_perms=False, with_superuser=False
        )

    with mock.patch.object(policy, "visible", visible):
        yield


def unthrottled():
    """The API's per-user throttle off: the benchmark asks one endpoint hundreds of times a minute."""
    rates = {**settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}), "user": None}
    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates})


def under(context_factory, fn: Callable[[], object]) -> Callable[[], object]:
    def run():
        with context_factory():
            return fn()

    return run
