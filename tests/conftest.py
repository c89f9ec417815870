"""The fixed cast of docs/style.md, and the harnesses every later issue uses.

- ``cast``: the agencies and one person per role, including an outsider who must see nothing.
- ``celery_worker``: a real Celery worker, in this process, on the real Redis.
- ``broker_down``: the broker unreachable from this process, for outage tests.
- ``assert_denied``: a record refused to a user, through page or API, with the refusal logged.
- ``client``, ``api_client``, ``admin_client``: their ``force_login`` also passes the second factor
  with the user's own TOTP device (``tests/second_factor.py``), as a user who signed in fully.
"""

import contextlib
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from mash.agencies.models import AgencyKind
from mash.agencies.roles import Role
from mash.sharing import policy
from mash.sharing.models import AccessAction, AccessLog
from tests import second_factor
from tests.broker import frozen_redis
from tests.factories import PASSWORD, AgencyFactory, PersonFactory, member


@dataclass
class Cast:
    lead: object
    police: object
    health: object
    outsider_agency: object
    triage: object
    police_researcher: object
    health_researcher: object
    decision_maker: object
    police_decision_maker: object
    data_admin: object
    manager: object
    governance: object
    outsider: object
    # A partner agency's manager (their agency's measures) and a partnership board member (aggregates).
    police_manager: object = None
    board: object = None
    password: str = PASSWORD


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The cast has a dozen users; the production hasher would spend seconds on each test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    # The API throttles count in Django's cache: each test starts with nothing counted, in memory
    # (a test of the Redis cache sets its own).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _broker_not_paused():
    # A test that takes the broker away leaves this process pausing its hand-overs to it.
    from mash.clocks import hours
    from mash.common import throttles
    from mash.notifications import delivery

    delivery.resume_enqueueing()
    throttles.resume()
    hours.cache_pause.end()


@pytest.fixture(autouse=True)
def _fresh_policy_caches():
    # Permission ids are cached per process; a flushed test database renumbers them.
    policy.clear_caches()
    yield
    policy.clear_caches()


@pytest.fixture
def cast(db) -> Cast:
    lead = AgencyFactory(name="County Council MASH", kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_lead=True)
    police = AgencyFactory(name="Constabulary", kind=AgencyKind.POLICE)
    health = AgencyFactory(name="Integrated Care Board", kind=AgencyKind.HEALTH)
    outsider_agency = AgencyFactory(name="Outsider Trust", kind=AgencyKind.OTHER)
    return Cast(
        lead=lead,
        police=police,
        health=health,
        outsider_agency=outsider_agency,
        triage=member(lead, Role.TRIAGE_PRACTITIONER, username="triage"),
        police_researcher=member(police, Role.AGENCY_RESEARCHER, username="police.researcher"),
        health_researcher=member(health, Role.AGENCY_RESEARCHER, username="health.researcher"),
        decision_maker=member(lead, Role.DECISION_MAKER, username="la.decision"),
        police_decision_maker=member(police, Role.DECISION_MAKER, username="police.decision"),
        data_admin=member(police, Role.DATA_ADMINISTRATOR, username="police.admin"),
        manager=member(lead, Role.MASH_MANAGER, username="manager"),
        governance=member(lead, Role.INFORMATION_GOVERNANCE, username="governance"),
        outsider=member(outsider_agency, Role.AGENCY_RESEARCHER, username="outsider"),
        police_manager=member(police, Role.MASH_MANAGER, username="police.manager"),
        board=member(lead, Role.BOARD_MEMBER, username="board"),
    )


@pytest.fixture
def person(db):
    return PersonFactory(given_name="Jayden", family_name="Smith", nhs_number="9434765919")


@pytest.fixture
def client():
    return second_factor.Client()


@pytest.fixture
def api_client():
    return second_factor.APIClient()


@pytest.fixture
def admin_client(db, admin_user):
    client = second_factor.Client()
    client.force_login(admin_user)
    return client


def _refusals(user, obj) -> int:
    return AccessLog.objects.filter(
        user=user,
        action=AccessAction.DENIED,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
    ).count()


@pytest.fixture
def assert_denied(client):
    """``assert_denied(user, url, obj)``: the user gets a 404 (403 for break-glass) and the refusal is
    in the access log. Works for pages and API endpoints alike."""

    def check(user, url, obj, *, method="get", expected=(404,), data=None):
        client.force_login(user)
        before = _refusals(user, obj)
        response = (
            getattr(client, method)(url, data=data) if data is not None else getattr(client, method)(url)
        )
        assert response.status_code in expected, (url, response.status_code)
        assert _refusals(user, obj) == before + 1, f"the refusal of {url} to {user} was not logged"
        body = response.content.decode()
        assert str(obj) not in body, f"{url} showed {obj} to {user}"
        return response

    return check


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker in this process, consuming from the real Redis broker."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from mash.config.celery import app

    def close_db(**kwargs):
        # Worker threads must not keep connections open, or the test database cannot be dropped.
        connection.close()

    task_postrun.connect(close_db, weak=False)
    app.control.purge()
    try:
        with start_worker(
            app, pool="threads", concurrency=4, perform_ping_check=False, shutdown_timeout=30
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(close_db)


@contextlib.contextmanager
def _broker_at(app, url):
    real = app.conf.broker_url, app.conf.broker_write_url
    # Celery resolves the write URL at configuration, so set both.
    app.conf.broker_url = app.conf.broker_write_url = url
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_write_url = real
        app._pool = None
        app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """Within ``with broker_down():`` this process cannot reach the broker (a worker already
    running keeps its own connection, as a worker on another machine would)."""
    from mash.config.celery import app

    return lambda: _broker_at(app, "redis://127.0.0.1:1/0")  # nothing listens on port 1


@pytest.fixture
def broker_frozen():
    """Within ``with broker_frozen():`` this process's broker accepts connections and never answers,
    as a stopped (SIGSTOP) Redis does."""
    from mash.config.celery import app

    @contextlib.contextmanager
    def frozen():
        with frozen_redis() as url, _broker_at(app, url):
            yield

    return frozen
