from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mash.people import history
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def sources(monkeypatch):
    monkeypatch.setattr(history, "_sources", [])
    return history


def test_the_history_merges_every_registered_source_newest_first(sources, cast, person):
    def referrals(user, people):
        return {
            p.pk: [history.HistoryItem("Referral", datetime(2025, 1, 5, tzinfo=LONDON), "MASH-2025-000001")]
            for p in people
        }

    def episodes(user, people):
        return {
            p.pk: [
                history.HistoryItem("Missing episode", datetime(2026, 2, 1, tzinfo=LONDON), "Missing 2 days")
            ]
            for p in people
        }

    sources.register_history_source(referrals)
    sources.register_history_source(episodes)
    sources.register_history_source(episodes)  # registering twice changes nothing
    titles = [item.title for item in history.person_history_for(cast.triage, person)]
    assert titles == ["Missing 2 days", "MASH-2025-000001"]


def test_each_source_decides_what_the_user_may_see(sources, cast, person):
    def lead_only(user, people):
        from mash.agencies.selectors import actor_for

        if not actor_for(user).is_lead:
            return {}
        return {
            p.pk: [history.HistoryItem("Referral", datetime(2025, 1, 5, tzinfo=LONDON), "MASH-2025-000001")]
            for p in people
        }

    sources.register_history_source(lead_only)
    assert len(history.person_history_for(cast.triage, person)) == 1
    assert history.person_history_for(cast.police_researcher, person) == []


def test_one_call_of_each_source_gives_every_person_their_own_history(sources, cast, person):
    other, unknown = PersonFactory(), PersonFactory()
    calls = []

    def referrals(user, people):
        calls.append([p.pk for p in people])
        return {
            person.pk: [
                history.HistoryItem("Referral", datetime(2025, 1, 5, tzinfo=LONDON), "MASH-2025-000001")
            ],
            other.pk: [
                history.HistoryItem("Referral", datetime(2025, 3, 5, tzinfo=LONDON), "MASH-2025-000002")
            ],
        }

    sources.register_history_source(referrals)
    found = history.people_history_for(cast.triage, [person, other, unknown])
    assert calls == [[person.pk, other.pk, unknown.pk]]
    assert {pk: [item.title for item in items] for pk, items in found.items()} == {
        person.pk: ["MASH-2025-000001"],
        other.pk: ["MASH-2025-000002"],
        unknown.pk: [],
    }
    assert history.people_history_for(cast.triage, []) == {}
    assert calls == [[person.pk, other.pk, unknown.pk]]  # no one: no source is asked
