"""Return home interviews on the timeliness dashboard (missing_persons/measures/timeliness.py): children
returned through the services, their interviews' clocks then set to known times (one across the August
bank holiday weekend, one across the change of clocks). Every figure by agency, the agency manager's cut,
the board without links, and the interviews behind a figure as each manager's selectors allow."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from mash.agencies.roles import Role
from mash.clocks.calendar import due_after
from mash.clocks.models import Clock
from mash.measures import registry
from mash.measures.periods import Period
from mash.measures.services import viewer_for
from missing_persons import services
from missing_persons.measures.timeliness import KEY, NONE, drill
from missing_persons.models import InterviewStatus, ReturnInterview
from tests.factories import PersonFactory, member

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)
PERIOD = Period(date(2026, 8, 1), date(2026, 11, 30))


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def returned(cast, episode_input, name, agency, started, stopped=None):
    """A child reported and found through the services, then their interview's clock at known times
    (72 elapsed hours: due = started + 72 hours)."""
    child = PersonFactory(given_name=name, family_name="Walsh", date_of_birth=date(2012, 3, 14))
    now = timezone.now()
    episode = services.episode_create(
        by=cast.data_admin,
        data=episode_input(
            person=child, reported_at=now - timedelta(hours=3), last_seen_at=now - timedelta(hours=5)
        ),
    )
    services.episode_return(
        episode=episode,
        by=cast.data_admin,
        found_at=now - timedelta(hours=1),
        found_place="Home",
        found_by="PC Lee",
        wellbeing_confirmed=True,
    )
    interview = ReturnInterview.objects.get(episode=episode)
    due = due_after(started, calendar_hours=72)  # elapsed: a wall-clock 72 hours would be 73 in October
    Clock.objects.filter(pk=interview.clock_id).update(
        started_at=started,
        due_at=due,
        stopped_at=stopped,
        breached_at=stopped if stopped and stopped > due else None,
    )
    ReturnInterview.objects.filter(pk=interview.pk).update(
        agency=agency, status=InterviewStatus.DONE if stopped else InterviewStatus.DUE, done_at=stopped
    )
    return ReturnInterview.objects.select_related("clock", "episode").get(pk=interview.pk)


@pytest.fixture
def interviews(cast, episode_input):
    police, health = cast.police, cast.health
    return {
        # Friday 28 August 18:00, due Monday 31 August 18:00 (the bank holiday counts: elapsed hours).
        "in_time": returned(cast, episode_input, "Amy", police, at(2026, 8, 28, 18), at(2026, 8, 31, 17)),
        # Saturday 24 October 20:00 BST, due Tuesday 27 October 19:00 GMT; done 96 hours after.
        "late": returned(cast, episode_input, "Beth", health, at(2026, 10, 24, 20), at(2026, 10, 28, 19)),
        "due_today": returned(cast, episode_input, "Cara", cast.health, at(2026, 11, 17, 13)),
        "overdue": returned(cast, episode_input, "Dana", None, at(2026, 11, 16, 10)),
    }  # fmt: skip


def query(cast, user):
    return registry.Query(viewer=viewer_for(user), period=PERIOD, by="", now=NOW, user=user)


def table(cast, user):
    return next(b for b in registry.measure(KEY).build(query(cast, user)) if hasattr(b, "rows"))


TOTAL = ["MASH-wide (every agency)", 4, 1, 2, 1, pytest.approx(100 / 3), 83.5, 93.5, 1, 1]


def test_the_clocks_are_those_known(interviews):
    assert interviews["late"].clock.due_at == at(2026, 10, 27, 19)
    taken = interviews["late"].clock.stopped_at - interviews["late"].clock.started_at
    assert taken == timedelta(hours=96)


def test_interviews_by_agency(cast, interviews):
    found = table(cast, cast.manager)
    assert found.rows == [
        ["Constabulary", 1, 1, 0, 0, 100.0, 71.0, 71.0, 0, 0],
        ["Integrated Care Board", 2, 0, 1, 1, 0.0, 96.0, 96.0, 1, 0],
        ["No agency yet", 1, 0, 1, 0, 0.0, None, None, 0, 1],
    ]
    assert found.total == TOTAL
    assert found.links[(2, "overdue")] == query(cast, cast.manager).drill_url(
        KEY, figure="overdue", agency=NONE
    )


def test_an_agency_manager_sees_their_row_and_the_board_no_links(cast, interviews):
    health_manager = member(cast.health, Role.MASH_MANAGER, username="health.manager")
    found = table(cast, health_manager)
    assert found.rows == [["Integrated Care Board", 2, 0, 1, 1, 0.0, 96.0, 96.0, 1, 0]]
    assert found.total == TOTAL
    board = table(cast, cast.board)
    assert len(board.rows) == 3 and board.links == {}


def test_the_interviews_behind_a_figure_as_each_manager_may_see_them(cast, interviews):
    def listed(user, **params):
        return [row[0] for row in drill(query(cast, user), params).table.rows]

    assert listed(cast.manager, figure="breached") == ["Beth Walsh", "Dana Walsh"]
    assert listed(cast.manager, figure="breached", agency=NONE) == ["Dana Walsh"]
    assert listed(cast.manager, figure="due_today") == ["Cara Walsh"]
    assert listed(cast.manager, figure="met") == ["Amy Walsh"]
    # The police see every episode; health's manager sees no episode it was not asked about.
    assert listed(cast.police_manager, figure="breached") == ["Beth Walsh", "Dana Walsh"]
    health_manager = member(cast.health, Role.MASH_MANAGER, username="health.manager")
    assert listed(health_manager, figure="breached") == []
    result = drill(query(cast, cast.manager), {"figure": "breached"})
    assert result.table.rows[0][1:5] == [
        "Integrated Care Board",
        "24 Oct 2026 20:00",
        "27 Oct 2026 19:00",
        "Done",
    ]
    assert result.table.rows[0][5] == 24.0
    assert result.records == [interviews["late"].episode, interviews["overdue"].episode]
