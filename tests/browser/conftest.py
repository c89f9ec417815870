"""The browser-test harness: Debian's Chromium, headless, against pytest-django's live server.

- ``page``: a page of a fresh browser context; every document it loads is checked by axe-core
  (see ``tests/browser/accessibility.py``), and the test fails on a violation of any impact.
- ``open_page()``: another page in its own browser context (its own cookies, so its own user).
- Every test here runs with ``transactional_db``: the live server's thread has its own database
  connection and sees only committed rows. Each module sets ``pytestmark = pytest.mark.browser``.
"""

import importlib
import os

# Playwright's sync API runs an asyncio event loop in this thread for the whole session, and Django
# refuses synchronous database calls while a loop is running (SynchronousOnlyOperation). Nothing
# here is async Django code, so the check would only refuse the tests' own ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest
from django.apps import apps

from tests.browser.accessibility import PageWatch

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

_watch_key = pytest.StashKey[PageWatch]()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never a downloaded one (`playwright install` cannot download here).
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
        "viewport": {"width": 1280, "height": 900},
    }


# The rows the data migrations write. A transactional test ends by flushing every table, so each
# browser test after the session's first transactional test would otherwise start without them.
DATA_MIGRATIONS = [
    ("mash.agencies.migrations.0002_role_groups", "create_roles"),
    ("mash.clocks.migrations.0002_default_working_pattern", "create_pattern"),
]


@pytest.fixture(autouse=True)
def _live_database(transactional_db, live_server):
    """The live server for every browser test, on a database holding what the migrations wrote.

    Not ``serialized_rollback``: once Playwright's event loop runs in this thread, Django's
    ``connections`` (an asgiref Local) hands the thread a new connection object that lacks the
    serialized contents pytest-django kept on the first one, so nothing would be restored; and its
    teardown skips post_migrate, leaving later transactional tests without content types.
    """
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def page_watch(request, live_server) -> PageWatch:
    watch = PageWatch(base_url=live_server.url)
    request.node.stash[_watch_key] = watch
    return watch


@pytest.fixture
def context(context, page_watch):
    return page_watch.prepare(context)


@pytest.fixture
def page(context, page_watch):
    return page_watch.watch(context.new_page())


@pytest.fixture
def open_page(new_context, page_watch):
    """``open_page()``: a page in a new browser context, watched like ``page``."""

    def open_():
        return page_watch.watch(page_watch.prepare(new_context()).new_page())

    return open_


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # After a passing test body, so that a page problem fails the test itself (not its teardown).
    result = yield
    watch = item.stash.get(_watch_key, None)
    if watch is not None:
        watch.finish()
    return result
