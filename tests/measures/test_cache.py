"""The dashboards' cache (mash/measures/cache.py, mash/measures/warming.py): an entry per measure, period,
breakdown and SCOPE (never per user); 'as at' on the page and in the API; entries living
MEASURES_CACHE_SECONDS; beat's warming building every usual entry, passing over a claimed one and going
on past a measure that raises; and a cached dashboard equal to a fresh build from the raw records."""

import time

import pytest
from django.core.cache import cache as django_cache
from django.urls import reverse
from django.utils import timezone

from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for
from mash.common.dates import format_datetime
from mash.measures import cache, periods, registry, services, warming
from mash.measures.registry import Measure
from mash.measures.scope import Viewer
from mash.measures.tables import COUNT, TEXT, Column, Table
from mash.measures.tasks import warm_dashboards
from tests.factories import member
from tests.referrals.factories import make_referral

BUILDS = []


def _build(query):
    BUILDS.append(query.viewer)
    table = Table(
        "cache-test",
        "Cache test",
        [Column("agency", "Agency", TEXT), Column("count", "Count", COUNT)],
        rows=[["All agencies", 3]],
        links={(0, "count"): query.drill_url("cache-test", agency="1")},
    )
    blocks = [table]
    if query.viewer.may_see_staff:
        blocks.append(
            Table(
                "cache-test-staff", "Per member of staff", [Column("who", "Who", TEXT)], rows=[["A. Manager"]]
            )
        )
    return blocks


def _broken(query):
    raise RuntimeError("This measure is broken.")


@pytest.fixture
def measure():
    BUILDS.clear()
    registry.register(Measure("cache-test", "demand", "Cache test", 998, _build))
    yield
    registry._measures.pop("cache-test")


def viewer(user) -> Viewer:
    return Viewer(actor_for(user))


def test_two_lead_managers_share_an_entry_and_the_board_and_an_agency_have_their_own(cast, measure):
    period = periods.period_of(periods.MONTH)
    second_lead_manager = member(cast.lead, Role.MASH_MANAGER, username="manager.two")
    keys = {
        who: cache.key_for("cache-test", period, "", viewer(user))
        for who, user in [
            ("manager", cast.manager),
            ("second", second_lead_manager),
            ("police", cast.police_manager),
            ("board", cast.board),
        ]
    }
    assert keys["manager"] == keys["second"]
    assert len({keys["manager"], keys["police"], keys["board"]}) == 3
    assert str(cast.manager.pk) not in keys["manager"].split(":")[-1]
    assert f"v{cache.MEASURES_CACHE_VERSION}" in keys["manager"]
    assert cache.key_for("cache-test", period, "month", viewer(cast.manager)) != keys["manager"]
    assert (
        cache.key_for("cache-test", periods.period_of(periods.YEAR), "", viewer(cast.manager))
        != keys["manager"]
    )

    def blocks(user):
        (item,) = [
            b for b in services.build_dashboard(user, "demand", period, "") if b.measure.key == "cache-test"
        ]
        return item.blocks

    manager_blocks = blocks(cast.manager)
    assert blocks(second_lead_manager) == manager_blocks
    assert len(BUILDS) == 1  # the second manager read the first one's entry
    board_blocks = blocks(cast.board)
    police_blocks = blocks(cast.police_manager)
    assert len(BUILDS) == 3
    assert manager_blocks[0].links and [t.key for t in manager_blocks] == ["cache-test", "cache-test-staff"]
    # The board never gets the managers' entry: no drill link, no row per member of staff.
    assert [t.key for t in board_blocks] == ["cache-test"] and not any(board_blocks[0].links.values())
    assert police_blocks[0].links and BUILDS[-1].agency_id == cast.police.pk


def test_an_entry_lives_measures_cache_seconds_and_says_when_it_was_built(cast, measure, settings):
    settings.MEASURES_CACHE_SECONDS = 45
    period = periods.period_of(periods.MONTH)
    before = timezone.now()
    services.build_dashboard(cast.manager, "demand", period, "")
    key = cache.key_for("cache-test", period, "", viewer(cast.manager))
    entry = cache.read(key)
    assert entry is not None and before <= entry.as_at <= timezone.now()
    # The cache's own expiry time for the entry: 45 seconds after it was stored.
    expires = django_cache._expire_info[django_cache.make_key(key)]
    assert 44 <= expires - time.time() <= 45
    settings.MEASURES_CACHE_SECONDS = 5
    assert cache.seconds() == 30  # never less than 30 seconds
    # Once the cache's time for it has passed, the next page builds it again, with a new 'as at'.
    django_cache._expire_info[django_cache.make_key(key)] = time.time() - 1
    services.build_dashboard(cast.manager, "demand", period, "")
    assert len(BUILDS) == 2 and cache.read(key).as_at > entry.as_at


def test_figures_given_a_time_are_built_not_cached(cast, measure):
    period = periods.period_of(periods.MONTH)
    services.build_dashboard(cast.manager, "demand", period, "", now=timezone.now())
    assert cache.read(cache.key_for("cache-test", period, "", viewer(cast.manager))) is None


def test_the_page_and_the_api_say_when_the_figures_were_built(client, api_client, cast, measure):
    period = periods.period_of(periods.MONTH)
    warming.warm(dashboards=["demand"])
    entry = cache.read(cache.key_for("cache-test", period, "", viewer(cast.manager)))
    client.force_login(cast.manager)
    html = client.get(reverse("measures:dashboard", args=["demand"]) + "?period=month").content.decode()
    as_at = min(item.as_at for item in services.build_dashboard(cast.manager, "demand", period, ""))
    assert as_at <= entry.as_at
    assert f"Figures as at {format_datetime(as_at)}" in html
    api_client.force_authenticate(cast.manager)
    data = api_client.get(reverse("api-measures-dashboard", args=["demand"]) + "?period=month").json()
    assert data["as_at"] is not None
    assert abs((timezone.datetime.fromisoformat(data["as_at"]) - as_at).total_seconds()) < 0.001


def expected_keys(cast, dashboards=None):
    """Every entry the warming should make: the named periods, the whole period, three scopes (the
    lead agency's managers, the board, the police's manager; health has no manager)."""
    scopes = [viewer(cast.manager), viewer(cast.board), viewer(cast.police_manager)]
    return {
        cache.key_for(measure.key, periods.period_of(choice), "", scope)
        for choice in warming.PERIODS
        for scope in scopes
        for dashboard in dashboards or registry.DASHBOARDS
        for measure in registry.measures_on(dashboard, scope)
    }


def test_the_warming_builds_every_usual_entry_and_goes_on_past_a_broken_measure(cast, measure, settings):
    # Room for every entry (the in-memory cache keeps 300 by default; Redis keeps them all).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    registry.register(Measure("cache-broken", "demand", "Broken", 997, _broken))
    try:
        counts = warm_dashboards()
        keys = expected_keys(cast)
    finally:
        registry._measures.pop("cache-broken")
    broken = {key for key in keys if ":cache-broken:" in key}
    assert len(broken) == 12  # four periods, three scopes
    assert counts == {"built": len(keys) - 12, "skipped": 0, "failed": 12}
    assert all(cache.read(key) is not None for key in keys - broken)
    assert all(cache.read(key) is None for key in broken)
    # A board scope's entries have no drill link and no staff rows.
    board = cache.key_for("cache-test", periods.period_of(periods.YEAR), "", viewer(cast.board))
    assert [t.key for t in cache.read(board).blocks] == ["cache-test"]


def test_two_warmings_at_once_build_each_entry_once(cast, measure):
    began = timezone.now()
    month = periods.period_of(periods.MONTH)
    claimed = cache.key_for("cache-test", month, "", viewer(cast.manager))
    assert cache.claim(claimed)  # another run is building it
    first = warming.warm(dashboards=["demand"])
    assert cache.read(claimed) is None and first["skipped"] == 1 and len(BUILDS) == 11
    cache.release(claimed)
    # A second run that began with the first passes over what the first built, and builds the one the
    # first passed over.
    scopes = [viewer(cast.manager), viewer(cast.board), viewer(cast.police_manager)]
    done = [
        warming._warm_one(registry.measure("cache-test"), scope, periods.period_of(choice), "default", began)
        for choice in warming.PERIODS
        for scope in scopes
    ]
    assert done.count("built") == 1 and done.count("skipped") == 11
    assert len(BUILDS) == 12 and cache.read(claimed) is not None


def test_a_second_run_while_one_is_going_ends_at_once(cast, measure):
    assert cache.claim(warming.RUN, warming.RUN_CLAIM_SECONDS)  # a run is going
    assert warming.warm() == {"built": 0, "skipped": 0, "failed": 0}
    assert BUILDS == []
    cache.release(warming.RUN)
    assert warming.warm(dashboards=["demand"])["built"] > 0 and len(BUILDS) == 12
    assert cache.claim(warming.RUN, warming.RUN_CLAIM_SECONDS)  # the finished run let go of it


def test_a_cached_dashboard_equals_a_fresh_build_from_the_records(client, cast, settings):
    """Reconciliation: build, change the records through the services, warm again, compare."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    make_referral(by=cast.triage, channel="phone")
    make_referral(by=cast.triage, channel="email")
    month = periods.period_of(periods.MONTH)

    def cached(user, key):
        return [(item.measure.key, item.blocks) for item in services.build_dashboard(user, key, month, "")]

    def fresh(user, key):
        now = timezone.now()
        return [
            (item.measure.key, item.blocks)
            for item in services.build_dashboard(user, key, month, "", now=now)
        ]

    warming.warm()
    users = (cast.manager, cast.police_manager, cast.board)
    for user in users:
        for key in registry.DASHBOARDS:
            assert cached(user, key) == fresh(user, key), (user.username, key)
    sources = services.find_table(
        services.build_dashboard(cast.manager, "demand", month, ""), "demand-contacts-sources"
    )
    before = sources.total

    make_referral(by=cast.triage, channel="phone")
    stale = services.find_table(
        services.build_dashboard(cast.manager, "demand", month, ""), "demand-contacts-sources"
    )
    assert stale.total == before  # the cache keeps the figures until it is rebuilt
    # The records behind the figure are never cached: the list already has the new contact.
    _, records = services.drill(cast.manager, "demand-contacts", month, {})
    assert len(records.records) == before[1] + 1
    warming.warm()
    for user in users:
        for key in registry.DASHBOARDS:
            assert cached(user, key) == fresh(user, key), (user.username, key)
    now = services.find_table(
        services.build_dashboard(cast.manager, "demand", month, ""), "demand-contacts-sources"
    )
    assert now.total[1] == before[1] + 1

    # The page served from the cache shows the fresh build's numbers.
    client.force_login(cast.manager)
    response = client.get(reverse("measures:dashboard", args=["demand"]) + "?period=month")
    shown = [(item.measure.key, item.blocks) for item in response.context["built"]]
    assert shown == fresh(cast.manager, "demand")
    assert "Figures as at" in response.content.decode()


def test_a_cache_that_cannot_be_reached_costs_a_cold_build_not_the_page(cast, measure, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    period = periods.period_of(periods.MONTH)
    try:
        built = services.build_dashboard(cast.manager, "demand", period, "")
        assert next(item.blocks for item in built if item.measure.key == "cache-test")[0].rows == [
            ["All agencies", 3]
        ]
        assert cache._paused()  # the next pages do not wait for it
        services.build_dashboard(cast.manager, "demand", period, "")
        assert len(BUILDS) == 2
    finally:
        cache._paused_until = 0.0
