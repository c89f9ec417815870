from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mash.people import history

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(monkeypatch):
    monkeypatch.setattr(history, "_sources", [])
    return history


def test_the_history_merges_every_registered_source_newest_first(sources, cast, person):
    london = ZoneInfo("Europe/London")

    def referrals(user, who):
        return [history.HistoryItem("Referral", datetime(2025, 1, 5, tzinfo=london), "MASH-2025-000001")]

    def episodes(user, who):
        return [history.HistoryItem("Missing episode", datetime(2026, 2, 1, tzinfo=london), "Missing 2 days")]

    sources.register_history_source(referrals)
    sources.register_history_source(episodes)
    sources.register_history_source(episodes)  # registering twice changes nothing
    titles = [item.title for item in history.person_history_for(cast.triage, person)]
    assert titles == ["Missing 2 days", "MASH-2025-000001"]


def test_each_source_decides_what_the_user_may_see(sources, cast, person):
    london = ZoneInfo("Europe/London")

    def lead_only(user, who):
        from mash.agencies.selectors import actor_for

        if not actor_for(user).is_lead:
            return []
        return [history.HistoryItem("Referral", datetime(2025, 1, 5, tzinfo=london), "MASH-2025-000001")]

    sources.register_history_source(lead_only)
    assert len(history.person_history_for(cast.triage, person)) == 1
    assert history.person_history_for(cast.police_researcher, person) == []
