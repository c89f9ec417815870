"""Subject access tests: the chronology's sources are the apps' own; here each test registers its own
(as tests/people/test_history.py does for the history), so the compilation is tested on known events."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from mash.people import chronology
from mash.subject_access import services
from mash.subject_access.models import IdentityMethod, Relationship

LONDON = ZoneInfo("Europe/London")

# Planted text: each must reach the bundle only as its decision says.
RELEASED = "PLANTED-RELEASED-ALPHA"
REDACTED = "PLANTED-REDACTED-BRAVO"
WITHHELD = "PLANTED-WITHHELD-CHARLIE"


@pytest.fixture
def sources(monkeypatch):
    monkeypatch.setattr(chronology, "_sources", [])
    return chronology


@pytest.fixture
def events(sources, cast, person):
    """Three events about the person: one plain (the person's own record), two flagged (police
    intelligence with handling code C, and other people's data), each about a record of its own."""
    from mash.agencies.models import Agency

    def source(viewer, who):
        assert viewer is None  # the compilation asks for everything, unfiltered
        if who.pk != person.pk:
            return []
        return [
            chronology.Event(
                at=datetime(2026, 1, 5, 10, tzinfo=LONDON),
                kind="Referral received",
                title="Referral about the person",
                summary=RELEASED,
                record=person,
                agency=Agency.objects.get(pk=cast.lead.pk),
            ),
            chronology.Event(
                at=datetime(2026, 1, 6, 10, tzinfo=LONDON),
                kind="Answer from Constabulary",
                title="Police intelligence",
                summary=WITHHELD,
                record=cast.police,  # any model instance stands for the record here
                agency=Agency.objects.get(pk=cast.police.pk),
                release_flags=("police intelligence", "handling code C"),
            ),
            chronology.Event(
                at=datetime(2026, 1, 7, 10, tzinfo=LONDON),
                kind="Answer from health",
                title="Health's answer",
                summary=REDACTED,
                agency=Agency.objects.get(pk=cast.health.pk),
                release_flags=("other people's data",),
            ),
        ]

    sources.register_chronology_source(source)
    return source


def log_request(by, person, *, received_on: date | None = None):
    return services.request_create(
        by=by,
        person=person,
        requester_name="Kayleigh Smith",
        relationship=Relationship.PARENT,
        requester_contact="12 High Street, Ipswich",
        received_on=received_on or timezone.localdate() - timedelta(days=3),
    )


@pytest.fixture
def sar(cast, person):
    return log_request(cast.governance, person)


@pytest.fixture
def verified(sar, cast):
    return services.identity_verify(sar=sar, by=cast.governance, method=IdentityMethod.PHOTO_ID_SEEN)
