"""The selectors of the trails (mash/sharing/trails): order, DPA 2018 s62 categories, filters, pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.sharing.trails import Action, record_trail, user_trail
from tests.sharing.trail_support import BREAK_GLASS_REASON, PLANTED, plant

pytestmark = pytest.mark.django_db


def _own(entries, referral):
    return [e for e in entries if e.object_id == str(referral.pk) and e.content_type.model == "referral"]


def test_a_records_trail_shows_its_changes_reads_refusals_and_break_glass_newest_first(cast):
    planted = plant(cast)
    trail = _own(record_trail(planted.referral), planted.referral)
    assert [(e.label, e.category) for e in trail] == [
        ("Opened by break-glass", "consultation"),
        ("Refused", "consultation"),
        ("Viewed", "consultation"),
        ("Changed", "alteration"),
        ("Changed", "alteration"),
        ("Created", "collection"),
    ]
    assert trail[0].reason == BREAK_GLASS_REASON and trail[0].user == cast.manager and trail[0].flagged
    assert trail[1].user == cast.outsider and trail[1].agency == "Outsider Trust"
    rated = trail[3]
    assert ("", PLANTED) in [(c.before, c.after) for c in rated.changes]
    assert rated.user == cast.triage and rated.address == "10.1.2.3"


def test_a_records_trail_includes_the_records_under_it(cast):
    planted = plant(cast)
    kinds = {e.content_type.model for e in record_trail(planted.referral)}
    assert {"referral", "referralsubject"} <= kinds


def test_a_users_trail_shows_what_they_changed_and_read(cast):
    planted = plant(cast)
    trail = [e for e in user_trail(cast.triage) if e.object_id == str(planted.referral.pk)]
    assert [e.label for e in trail if e.content_type.model == "referral"] == [
        "Viewed",
        "Changed",
        "Changed",
        "Created",
    ]
    refused = list(user_trail(cast.outsider))
    assert [(e.label, e.object_repr) for e in refused] == [("Refused", str(planted.referral))]


def test_the_action_filter_keeps_one_kind(cast):
    plant(cast)
    assert {e.kind for e in record_trail(plant(cast).referral, action=Action.REFUSALS)} == {"denied"}
    assert {e.kind for e in user_trail(cast.manager, action=Action.BREAK_GLASS)} == {"break_glass"}
    assert {e.source for e in user_trail(cast.triage, action=Action.CHANGES)} == {2}
    with pytest.raises(ValidationError):
        user_trail(cast.triage, action="everything")


def test_the_agency_filter_keeps_what_the_user_did_for_that_agency(cast):
    plant(cast)
    assert len(user_trail(cast.outsider, agency=cast.outsider_agency)) == 1
    assert len(user_trail(cast.outsider, agency=cast.lead)) == 0


def test_a_users_trail_is_bounded_by_a_period_of_at_most_a_year(cast):
    plant(cast)
    assert len(user_trail(cast.outsider, until=date.today() - timedelta(days=2))) == 0
    assert len(user_trail(cast.outsider, since=date.today(), until=date.today())) == 1
    with pytest.raises(ValidationError) as refused:
        user_trail(cast.outsider, since=date(2020, 1, 1), until=date(2022, 1, 1))
    assert "at most a year" in str(refused.value)
    with pytest.raises(ValidationError):
        user_trail(cast.outsider, since=date.today(), until=date.today() - timedelta(days=1))


def test_pages_go_older_and_newer_without_gaps_or_repeats(cast):
    planted = plant(cast)
    everything = [e.key for e in record_trail(planted.referral)]
    assert len(everything) > 4
    seen, cursor = [], None
    while True:
        page = record_trail(planted.referral, cursor=cursor, limit=2)
        seen.extend(e.key for e in page)
        if page.older is None:
            break
        cursor = page.older
    assert seen == everything
    back = record_trail(planted.referral, cursor=page.newer, limit=2)
    assert [e.key for e in back] == everything[-2 - len(page) : -len(page)]
    assert back.older is not None


def test_a_trail_costs_a_few_queries(cast, django_assert_max_num_queries):
    planted = plant(cast)
    # A query for each kind of record under a referral (referrals and strategy register ~13), 3 for the logs.
    with django_assert_max_num_queries(18):
        list(record_trail(planted.referral))
    with django_assert_max_num_queries(4):
        list(user_trail(cast.triage, since=timezone.localdate() - timedelta(days=3)))
