"""The Django side of tests/measures/test_replica.py, run as its own process against a private primary
(DATABASE_URL) and its streaming replica (REPORTING_DATABASE_URL):

    python -m tests.measures.replica_probe setup     the lead agency, a MASH manager, a practitioner
    python -m tests.measures.replica_probe write     one referral, through the service (on the primary)
    python -m tests.measures.replica_probe look ID   the demand dashboard's aggregates and the case

Each prints one JSON object. The dashboard is built by ``services.build_dashboard`` as the page builds
it, with one probe measure added that counts the period's referrals through the plain ORM (no
``using()``): the router alone decides where it reads.
"""

import json
import os
import sys


def _setup() -> dict:
    from mash.agencies.models import AgencyKind
    from mash.agencies.roles import Role
    from tests.factories import AgencyFactory, member

    lead = AgencyFactory(name="Replica MASH", kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_lead=True)
    member(lead, Role.MASH_MANAGER, username="replica.manager")
    member(lead, Role.TRIAGE_PRACTITIONER, username="replica.triage")
    return {"ok": True}


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _write() -> dict:
    from tests.referrals.factories import make_referral

    referral = make_referral(by=_user("replica.triage"))
    return {"referral": referral.pk}


def _count(query):
    from mash.measures.tables import COUNT, TEXT, Column, Table
    from referrals.models import Referral

    received = Referral.objects.filter(received_at__gte=query.period.start, received_at__lt=query.period.end)
    return [
        Table(
            "replica-probe",
            "Referrals received",
            [Column("what", "What", TEXT), Column("count", "Count", COUNT)],
            rows=[["received", received.count()], ["read on", received.db]],
        )
    ]


def _look(referral_id: int) -> dict:
    from mash.measures import registry, services
    from mash.measures.periods import period_of
    from referrals.selectors import referral_get_for

    registry.register(registry.Measure("replica-probe", "demand", "Replica probe", 999, _count))
    manager = _user("replica.manager")
    built = services.build_dashboard(manager, "demand", period_of("year"), "")
    rows = dict(services.find_table(built, "replica-probe").rows)
    try:
        case = referral_get_for(manager, referral_id).pk
    except Exception as error:  # (the test shows what the case read met)
        case = repr(error)
    return {
        "dashboard_count": rows["received"],
        "dashboard_read_on": rows["read on"],
        "measures": [item.measure.key for item in built],
        "case": case,
    }


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.config.settings")
    import django

    django.setup()
    step = argv[0]
    result = {"setup": _setup, "write": _write}.get(step, lambda: _look(int(argv[1])))()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
