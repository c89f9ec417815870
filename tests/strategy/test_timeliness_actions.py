"""Strategy actions on the timeliness dashboard (strategy/measures/timeliness.py): actions added through
the services, then given known due dates and completion times (one due on the August bank holiday and
done half an hour after local midnight: late by the local day, on time by the UTC one). Every figure,
the agency manager's cut, the board without links, the actions behind a figure per viewer."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mash.measures import registry
from mash.measures.periods import Period
from mash.measures.services import viewer_for
from strategy import services
from strategy.measures.timeliness import KEY, drill
from strategy.models import Action, ActionStatus

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)
PERIOD = Period(date(2026, 8, 1), date(2026, 11, 30))


def action(cast, discussion, agency, due_on, done_at=None, text="Check previous call-outs."):
    made = services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description=text,
        owner_agency=agency,
        due_on=timezone.localdate(),
    )
    Action.objects.filter(pk=made.pk).update(
        due_on=due_on,
        status=ActionStatus.DONE if done_at else ActionStatus.OPEN,
        completed_at=done_at,
        completed_by=cast.decision_maker if done_at else None,
    )
    made.refresh_from_db()
    return made


@pytest.fixture
def actions(cast, discussion):
    late_done, early_done = (
        datetime(2026, 9, 1, 0, 30, tzinfo=LONDON),
        datetime(2026, 9, 1, 10, tzinfo=LONDON),
    )
    return {
        # Due on the bank holiday, done at 00:30 BST on 1 September (31 August 23:30 UTC): late.
        "late": action(cast, discussion, cast.police, date(2026, 8, 31), late_done),
        "on_time": action(cast, discussion, cast.police, date(2026, 9, 2), early_done),
        "open_overdue": action(cast, discussion, cast.health, date(2026, 11, 10)),
        "due_today": action(cast, discussion, cast.health, date(2026, 11, 20)),
        "not_due": action(cast, discussion, cast.health, date(2026, 11, 25)),
        "overdue_before_period": action(cast, discussion, cast.police, date(2026, 7, 1)),
    }  # fmt: skip


def query(cast, who="manager"):
    user = getattr(cast, who)
    return registry.Query(viewer=viewer_for(user), period=PERIOD, by="", now=NOW, user=user)


def table(q):
    return next(b for b in registry.measure(KEY).build(q) if hasattr(b, "rows"))


TOTAL = ["MASH-wide (every agency)", 5, 1, 1, 1, 2, pytest.approx(100 / 3), 1, 2]


def test_actions_by_agency(cast, actions):
    found = table(query(cast))
    assert [c.label for c in found.columns] == [
        "Agency", "Due in period", "Done on time", "Done late", "Open, past due", "Open, not yet due",
        "% done on time", "Due today", "Overdue now",
    ]  # fmt: skip
    assert found.rows == [
        ["Constabulary", 2, 1, 1, 0, 0, 50.0, 0, 1],
        ["Integrated Care Board", 3, 0, 0, 1, 2, 0.0, 1, 1],
    ]
    assert found.total == TOTAL


def test_an_agency_manager_sees_their_row_and_the_total_and_the_board_no_links(cast, actions):
    police = table(query(cast, "police_manager"))
    assert police.rows == [["Constabulary", 2, 1, 1, 0, 0, 50.0, 0, 1]] and police.total == TOTAL
    board = table(query(cast, "board"))
    assert len(board.rows) == 2 and board.links == {}
    manager = table(query(cast))
    assert manager.links[(0, "late")] == query(cast).drill_url(KEY, figure="late", agency=cast.police.pk)
    assert set(manager.links) == {
        (0, "late"),
        (0, "overdue"),
        (1, "open_overdue"),
        (1, "due_today"),
        (1, "overdue"),
    }


def test_a_cancelled_discussions_actions_are_left_out(cast, actions, discussion):
    services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="Held elsewhere.")
    found = table(query(cast))
    assert found.rows == [] and found.total[1:6] == [0, 0, 0, 0, 0]


def test_the_actions_behind_a_figure(cast, actions, discussion):
    def listed(who, **params):
        return [row[2] + " " + row[3] for row in drill(query(cast, who), params).table.rows]

    assert listed("manager", figure="late") == ["Constabulary 31 August 2026"]
    assert listed("manager", figure="overdue") == [
        "Constabulary 1 July 2026",
        "Integrated Care Board 10 November 2026",
    ]
    assert listed("manager", figure="overdue", agency=str(cast.health.pk)) == [
        "Integrated Care Board 10 November 2026"
    ]
    assert listed("manager", figure="due_today") == ["Integrated Care Board 20 November 2026"]
    # The police's manager: the police's own actions, whatever agency the link names.
    assert listed("police_manager", figure="overdue") == ["Constabulary 1 July 2026"]
    assert listed("police_manager", figure="overdue", agency=str(cast.health.pk)) == []
    result = drill(query(cast), {"figure": "late"})
    assert result.table.links[(0, "referral")] == reverse("strategy:discussion", args=[discussion.pk])
    assert result.records == [discussion]
    for params, field in (({"figure": "met"}, "figure"), ({"figure": "late", "owner": "1"}, "owner")):
        with pytest.raises(ValidationError) as raised:
            drill(query(cast), params)
        assert field in raised.value.message_dict
