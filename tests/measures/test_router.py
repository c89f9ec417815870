"""The reporting router: every write on the primary; reads on the reporting replica only inside
``reporting_reads()`` and only when ``REPORTING_DATABASE_URL`` configured one. (The same against a real
streaming replica: tests/measures/test_replica.py.)"""

import json
import os
import subprocess
import sys

import pytest

from mash.measures.router import REPORTING, ReportingRouter, reporting_db, reporting_reads
from referrals.models import Referral

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
REPLICA = {"ENGINE": "django.db.backends.postgresql", "NAME": "mash", "HOST": "replica.example"}


@pytest.fixture
def with_replica(settings):
    # (Only the router reads this dict here: no connection is made to the replica.)
    settings.DATABASES = {**settings.DATABASES, REPORTING: REPLICA}


def test_without_a_replica_every_read_and_write_is_on_the_primary():
    router = ReportingRouter()
    assert reporting_db() == "default"
    with reporting_reads() as db:
        assert db == "default"
        assert router.db_for_read(Referral) is None  # (Django's default: "default")
        assert router.db_for_write(Referral) == "default"
    assert router.db_for_read(Referral) is None


def test_with_a_replica_only_the_reporting_block_reads_there(with_replica):
    router = ReportingRouter()
    assert router.db_for_read(Referral) is None
    with reporting_reads() as db:
        assert db == REPORTING
        assert router.db_for_read(Referral) == REPORTING
        # Writes never go to the replica, even inside the block.
        assert router.db_for_write(Referral) == "default"
    # Outside it again (a case page, a drill-down list): the primary.
    assert router.db_for_read(Referral) is None
    assert router.db_for_write(Referral) == "default"


def test_the_block_ends_even_when_it_fails(with_replica):
    router = ReportingRouter()
    with pytest.raises(RuntimeError), reporting_reads():
        raise RuntimeError("a measure failed")
    assert router.db_for_read(Referral) is None


def test_nothing_migrates_the_replica():
    router = ReportingRouter()
    assert router.allow_migrate("default", "referrals") is True
    assert router.allow_migrate(REPORTING, "referrals") is False


def _databases(**env) -> dict:
    environ = {k: v for k, v in os.environ.items() if k != "REPORTING_DATABASE_URL"}
    script = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'mash.config.settings'; "
        "from django.conf import settings; print(json.dumps(settings.DATABASES, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env={**environ, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_the_setting_adds_the_replica_that_tests_never_create():
    assert REPORTING not in _databases()
    databases = _databases(REPORTING_DATABASE_URL="postgres://reader@replica.example:5433/mash")
    replica = databases[REPORTING]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("replica.example", 5433, "mash")
    assert replica["TEST"] == {"MIRROR": "default"}
