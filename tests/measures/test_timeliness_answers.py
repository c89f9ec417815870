"""Partner answers on the timeliness dashboard (referrals/measures/timeliness.py): requests sent and
answered through the services, their clocks then set to known times (across the August bank holiday);
every figure by agency and by RAG, an agency manager's cut, the board's view without links, and the
records behind a figure as each manager's selectors allow."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mash.clocks.models import Clock
from mash.measures import registry
from mash.measures.periods import Period
from mash.measures.services import viewer_for
from mash.measures.timeliness import build as every_deadline
from referrals.measures.timeliness import ANSWERS, drill
from referrals.measures.timeliness_decisions import KEY as DECISIONS
from referrals.measures.timeliness_decisions import drill as decision_drill
from referrals.models import InformationRequest, Referral
from referrals.requests import services as request_services
from tests.factories import PersonFactory
from tests.information_requests.support import answer, ask, referral_in_gathering

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)
PERIOD = Period(date(2026, 8, 1), date(2026, 11, 30))


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def timed(request, started, due, stopped=None):
    """The request's clock moved to known times (the services start clocks now)."""
    Clock.objects.filter(pk=request.clock_id).update(
        started_at=started,
        due_at=due,
        stopped_at=stopped,
        breached_at=stopped if stopped and stopped > due else None,
    )
    InformationRequest.objects.filter(pk=request.pk).update(sent_at=started, answered_at=stopped)
    return request


@pytest.fixture
def answers(cast):
    red = referral_in_gathering(cast, PersonFactory(), rating="red")
    amber = referral_in_gathering(cast, PersonFactory(), rating="amber")
    green = referral_in_gathering(cast, PersonFactory(), rating="green")
    red_police, red_health = ask(red, cast.triage, cast.police, cast.health)
    (amber_police,) = ask(amber, cast.triage, cast.police)
    green_health, green_police = ask(green, cast.triage, cast.health, cast.police)
    answer(red_police, cast.police_researcher)
    answer(red_health, cast.health_researcher)
    request_services.information_request_withdraw(request=green_police, by=cast.triage, reason="Asked twice.")
    return {
        # Friday 28 August, due Tuesday 1 September after the bank holiday: 95 hours, on time.
        "red_police": timed(red_police, at(2026, 8, 28, 10), at(2026, 9, 1, 10), at(2026, 9, 1, 9)),
        # The same, answered at 14:00: 100 hours, late.
        "red_health": timed(red_health, at(2026, 8, 28, 10), at(2026, 9, 1, 10), at(2026, 9, 1, 14)),
        "amber_police": timed(amber_police, at(2026, 11, 19, 10), at(2026, 11, 20, 10)),  # overdue now
        "green_health": timed(green_health, at(2026, 11, 19, 15), at(2026, 11, 20, 15)),  # due today
        # Withdrawn: left out of every figure, though its clock fell due in the period, late.
        "green_police": timed(green_police, at(2026, 11, 2, 10), at(2026, 11, 3, 10), at(2026, 11, 4, 10)),
    }


def query(cast, who="manager", by=""):
    user = getattr(cast, who)
    return registry.Query(viewer=viewer_for(user), period=PERIOD, by=by, now=NOW, user=user)


def tables(q):
    built = registry.measure(ANSWERS).build(q)
    return {block.key: block for block in built if hasattr(block, "rows")}


MASH_WIDE = ["MASH-wide (every agency)", 4, 1, 2, 1, pytest.approx(100 / 3), 97.5, 99.5, 1, 1]


def test_answers_by_agency(cast, answers):
    table = tables(query(cast))["timeliness-answers-agency"]
    assert table.rows == [
        ["Constabulary", 2, 1, 1, 0, 50.0, 95.0, 95.0, 0, 1],
        ["Integrated Care Board", 2, 0, 1, 1, 0.0, 100.0, 100.0, 1, 0],
    ]
    assert table.total == MASH_WIDE


def test_answers_by_rag(cast, answers):
    table = tables(query(cast))["timeliness-answers-rag"]
    assert table.rows == [
        ["Red", 2, 1, 1, 0, 50.0, 97.5, 99.5, 0, 0],
        ["Amber", 1, 0, 1, 0, 0.0, None, None, 0, 1],
        ["Green", 1, 0, 0, 1, None, None, None, 1, 0],
    ]
    assert table.total == MASH_WIDE


def test_an_agency_manager_sees_their_own_row_and_the_mash_wide_total(cast, answers):
    found = tables(query(cast, "police_manager"))
    assert found["timeliness-answers-agency"].rows == [["Constabulary", 2, 1, 1, 0, 50.0, 95.0, 95.0, 0, 1]]
    assert found["timeliness-answers-agency"].total == MASH_WIDE
    assert found["timeliness-answers-rag"].rows == [
        ["Red", 1, 1, 0, 0, 100.0, 95.0, 95.0, 0, 0],
        ["Amber", 1, 0, 1, 0, 0.0, None, None, 0, 1],
    ]


def test_by_month(cast, answers):
    table = tables(query(cast, by="month"))["timeliness-answers-months"]
    assert table.rows == [
        ["August 2026", 0, 0, 0, 0, None],
        ["September 2026", 2, 1, 1, 0, 50.0],
        ["October 2026", 0, 0, 0, 0, None],
        ["November 2026", 2, 0, 1, 1, 0.0],
    ]


def test_the_withdrawn_request_is_left_out_of_every_deadline_too(cast, answers):
    hours = next(b for b in every_deadline(query(cast)) if getattr(b, "key", "") == "timeliness-hours")
    row = next(r for r in hours.rows if r[0] == "Partner answers (by RAG timescale)")
    assert row == ["Partner answers (by RAG timescale)", 4, 1, 2, 1, pytest.approx(100 / 3), 97.5, 99.5, 1, 1]


def test_the_links_behind_the_figures_are_for_managers(cast, answers):
    table = tables(query(cast))["timeliness-answers-agency"]
    police = query(cast).drill_url(ANSWERS, figure="breached", agency=cast.police.pk)
    assert table.links[(0, "breached")] == police
    assert table.links[(0, "overdue")] == query(cast).drill_url(
        ANSWERS, figure="overdue", agency=cast.police.pk
    )
    assert table.links[(1, "due_today")]
    assert (0, "met") not in table.links
    for key, board_table in tables(query(cast, "board")).items():
        assert board_table.links == {}, key


def references(result):
    return [row[0] for row in result.table.rows]


def test_the_records_behind_a_figure_as_each_manager_may_see_them(cast, answers):
    red, amber = answers["red_health"].referral.reference, answers["amber_police"].referral.reference
    result = drill(query(cast), {"figure": "breached"})
    assert references(result) == [red, amber]
    assert result.table.rows[0][1:6] == [
        "Integrated Care Board", "Red", "28 Aug 2026 10:00", "1 Sep 2026 10:00", "1 Sep 2026 14:00",
    ]  # fmt: skip
    assert result.table.rows[0][6] == 4.0
    assert result.table.links[(0, "referral")] == reverse(
        "referrals:request", args=[answers["red_health"].pk]
    )
    assert references(drill(query(cast), {"figure": "breached", "agency": str(cast.health.pk)})) == [red]
    assert references(drill(query(cast), {"figure": "breached", "rag": "amber"})) == [amber]
    assert references(drill(query(cast), {"figure": "due_today"})) == [
        answers["green_health"].referral.reference
    ]
    # The police's manager: their agency's requests only, whatever the link asks.
    assert references(drill(query(cast, "police_manager"), {"figure": "breached"})) == [amber]
    assert (
        references(
            drill(query(cast, "police_manager"), {"figure": "breached", "agency": str(cast.health.pk)})
        )
        == []
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [({"figure": "bogus"}, "figure"), ({}, "figure"), ({"figure": "met", "colour": "red"}, "colour"),
     ({"figure": "met", "agency": "police"}, "agency"), ({"figure": "met", "rag": "purple"}, "rag")],
)  # fmt: skip
def test_a_drill_parameter_that_does_not_read_is_named(cast, params, field):
    with pytest.raises(ValidationError) as raised:
        drill(query(cast), params)
    assert field in raised.value.message_dict


def test_the_drill_page_for_a_manager_and_not_the_board(client, cast, answers):
    url = reverse("measures:drill", args=[ANSWERS])
    params = {"period": "dates", "since": "2026-08-01", "until": "2026-11-30", "figure": "breached"}
    client.force_login(cast.manager)
    html = client.get(url, params).content.decode()
    assert answers["red_health"].referral.reference in html and "Integrated Care Board" in html
    client.force_login(cast.board)
    assert client.get(url, params).status_code == 403


def test_referral_decisions_by_rag(cast, answers):
    red, amber, green = (answers[k].referral for k in ("red_police", "amber_police", "green_health"))
    for referral, started, due, stopped in (
        (red, at(2026, 8, 28, 10), at(2026, 9, 1, 10), at(2026, 9, 1, 9)),  # 95 hours, on time
        (amber, at(2026, 11, 19, 10), at(2026, 11, 20, 10), None),  # overdue now
        (green, at(2026, 11, 2, 10), at(2026, 11, 3, 10), at(2026, 11, 3, 12)),  # 26 hours, late
    ):
        Clock.objects.filter(pk=referral.decision_clock_id).update(
            started_at=started, due_at=due, stopped_at=stopped
        )
        Referral.objects.filter(pk=referral.pk).update(received_at=started)
    built = registry.measure(DECISIONS).build(query(cast, "board"))
    table = next(b for b in built if hasattr(b, "rows"))
    assert table.rows == [
        ["Red", 1, 1, 0, 0, 100.0, 95.0, 95.0, 0, 0],
        ["Amber", 1, 0, 1, 0, 0.0, None, None, 0, 1],
        ["Green", 1, 0, 1, 0, 0.0, 26.0, 26.0, 0, 0],
    ]
    # 26 and 95 hours: median 60.5, 90th percentile 26 + 0.9 x 69 = 88.1.
    assert table.total[:6] == ["Every referral", 3, 1, 2, 0, pytest.approx(100 / 3)]
    assert table.total[6:] == [60.5, pytest.approx(88.1), 0, 1]
    assert table.links == {}  # the board's
    manager = registry.measure(DECISIONS).build(query(cast))[0]
    assert manager.links[(1, "overdue")] == query(cast).drill_url(DECISIONS, figure="overdue", rag="amber")
    late = decision_drill(query(cast), {"figure": "breached"})
    assert references(late) == [green.reference, amber.reference]  # the soonest due first
    assert late.table.rows[0][1:] == [
        "Green",
        "2 Nov 2026 10:00",
        "3 Nov 2026 10:00",
        "3 Nov 2026 12:00",
        2.0,
    ]
    assert late.table.links[(0, "referral")] == reverse("referrals:detail", args=[green.pk])
    assert references(decision_drill(query(cast), {"figure": "breached", "rag": "green"})) == [
        green.reference
    ]
    assert references(decision_drill(query(cast), {"figure": "breached", "rag": "none"})) == []
    # The police's manager sees the referrals their agency was asked about: all three here.
    assert references(decision_drill(query(cast, "police_manager"), {"figure": "met"})) == [red.reference]


def test_a_month_of_late_answers(cast, answers):
    months = tables(query(cast, by="month"))["timeliness-answers-months"]
    link = months.links[(1, "breached")]
    assert "month=2026-09" in link and (3, "breached") in months.links
    red = answers["red_health"].referral.reference
    assert references(drill(query(cast), {"figure": "breached", "month": "2026-09"})) == [red]
    with pytest.raises(ValidationError) as raised:
        drill(query(cast), {"figure": "breached", "month": "2025-01"})
    assert "month" in raised.value.message_dict


def test_the_page_links_a_managers_figures_and_not_the_boards(client, cast, answers):
    params = {"period": "dates", "since": "2026-08-01", "until": "2026-11-30"}
    drill_page = reverse("measures:drill", args=[ANSWERS])
    client.force_login(cast.manager)
    html = client.get(reverse("measures:dashboard", args=["timeliness"]), params).content.decode()
    assert "Partner answers by agency" in html and drill_page in html
    client.force_login(cast.board)
    html = client.get(reverse("measures:dashboard", args=["timeliness"]), params).content.decode()
    assert "Partner answers by agency" in html and reverse("measures:drill", args=["x"])[:-2] not in html
