"""The workload dashboard's strategy, disclosure and missing persons measures: open actions per agency
and per owner, the discussions not signed off, open disclosure applications by stage and per
researcher, open missing episodes and the return home interviews to be done, against known data
(workload_more.py); each viewer's cut and drill-down lists."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.agencies.roles import Role
from mash.measures import services
from mash.measures.periods import Period
from tests.factories import member
from tests.measures.test_workload import name, rows, tables
from tests.measures.workload_more import build_disclosures, build_missing, build_strategy


@pytest.fixture
def period():
    today = timezone.localdate()
    return Period(today - timedelta(days=60), today)


@pytest.fixture
def made(cast):
    return build_strategy(cast)


@pytest.fixture
def applications(cast):
    return build_disclosures(cast)


def test_open_actions_per_agency(cast, made, period):
    table = tables(cast.manager, made, period)["workload-actions-agencies"]
    #                           open no-owner overdue <1d 1-3 3-7 7-28 28+
    assert rows(table) == {
        "Constabulary": [2, 1, 1, 0, 0, 1, 1, 0],
        "Integrated Care Board": [1, 1, 0, 1, 0, 0, 0, 0],
    }
    assert table.total == ["All agencies (the whole MASH)", 3, 2, 1, 1, 0, 1, 1, 0]
    police = tables(cast.police_manager, made, period)["workload-actions-agencies"]
    assert police.rows == [["Constabulary", 2, 1, 1, 0, 0, 1, 1, 0]] and police.total == table.total


def test_open_actions_per_owner(cast, made, period):
    table = tables(cast.manager, made, period)["workload-action-owners-staff"]
    #                                                      open overdue <1d 1-3 3-7 7-28 28+
    assert table.rows == [
        [name(cast.police_decision_maker), "Constabulary", 1, 1, 0, 0, 1, 0, 0],
        ["Named for no one", "Constabulary", 1, 0, 0, 0, 0, 1, 0],
        ["Named for no one", "Integrated Care Board", 1, 0, 1, 0, 0, 0, 0],
    ]
    assert table.total == ["All owners (the whole MASH)", "", 3, 1, 1, 0, 1, 1, 0]
    police = tables(cast.police_manager, made, period)["workload-action-owners-staff"]
    assert police.rows == table.rows[:2] and police.total == table.total
    assert "workload-action-owners-staff" not in tables(cast.board, made, period)


def test_discussions_not_signed_off(cast, made, period):
    table = tables(cast.board, made, period)["workload-discussions-status"]
    assert table.rows == [
        ["To be held", 0, 0, 0, 0, 0, 1],
        ["Held, awaiting sign-off", 0, 1, 0, 0, 0, 1],
    ]
    assert table.total == ["All scheduled and not signed off", 0, 1, 0, 0, 0, 2]
    assert not table.links  # the board: no drill-down


def references(user, measure, params, period):
    _, result = services.drill(user, measure, period, params)
    return sorted(row[0] for row in result.table.rows)


def test_action_and_discussion_drill_lists_per_viewer(cast, made, period):
    d1, d2 = made.discussions["D1"].referral.reference, made.discussions["D2"].referral.reference
    assert references(cast.manager, "workload-actions", {"agency": str(cast.police.pk)}, period) == [d1, d1]
    assert references(cast.manager, "workload-actions", {"overdue": "1"}, period) == [d1]
    assert references(cast.manager, "workload-actions", {"owner": "none", "band": "under_1"}, period) == [d2]
    # An agency's manager lists their agency's actions named for no one (the actions' selector).
    _, result = services.drill(cast.police_manager, "workload-actions", period, {})
    assert [row[:3] for row in result.table.rows] == [[d1, "Constabulary", "Named for no one"]]
    assert references(cast.manager, "workload-discussions", {"held": "1"}, period) == [d1]
    assert references(cast.manager, "workload-discussions", {"held": "0"}, period) == [d2]
    assert references(cast.manager, "workload-discussions", {"band": "1_3"}, period) == [d1]
    with pytest.raises(ValidationError) as raised:
        services.drill(cast.manager, "workload-discussions", period, {"held": "yes"})
    assert "held" in raised.value.message_dict


def test_open_applications_by_stage_and_researcher(cast, applications, period, made):
    shown = tables(cast.manager, made, period)
    stages = shown["workload-applications-stages"]
    assert rows(stages) == {
        "Initial risk checks": [0, 1, 0, 0, 0, 1],
        "Identity verification and meeting": [0, 0, 0, 0, 0, 0],
        "Research": [0, 0, 0, 1, 1, 2],
        "Decision": [0, 0, 0, 0, 0, 0],
        "Disclosure to be made": [0, 0, 0, 0, 0, 0],
    }
    assert stages.total == ["All open applications", 0, 1, 0, 1, 1, 3]
    researchers = shown["workload-disclosure-researchers-staff"]
    assert researchers.rows == [
        [name(cast.police_researcher), 0, 0, 0, 1, 0, 1],
        ["No researcher", 0, 1, 0, 0, 1, 2],
    ]
    assert researchers.total == ["All open applications (the whole MASH)", 0, 1, 0, 1, 1, 3]
    police = tables(cast.police_manager, made, period)["workload-disclosure-researchers-staff"]
    assert police.rows == researchers.rows


def test_application_drill_lists_per_viewer(cast, applications, period):
    ref = {key: application.reference for key, application in applications.items()}
    # The lead agency's manager is not of the police disclosure team: the selector lists nothing.
    assert references(cast.manager, "workload-applications", {}, period) == []
    team_manager = member(cast.police, Role.MASH_MANAGER, Role.DATA_ADMINISTRATOR, username="police.team")
    assert references(team_manager, "workload-applications", {"stage": "research"}, period) == sorted(
        [ref["P2"], ref["P3"]]
    )
    assert references(team_manager, "workload-applications", {"researcher": "none"}, period) == sorted(
        [ref["P1"], ref["P3"]]
    )
    with pytest.raises(ValidationError) as raised:
        services.drill(team_manager, "workload-applications", period, {"stage": "closed"})
    assert "stage" in raised.value.message_dict


@pytest.fixture
def episodes(cast):
    return build_missing(cast)


def test_open_episodes_and_interviews_to_be_done(cast, episodes, made, period):
    shown = tables(cast.manager, made, period)
    table = shown["workload-episodes-open"]
    #                                      <1d 1-3 3-7 7-28 28+ all
    assert rows(table) == {
        "Missing: high risk": [1, 0, 0, 0, 0, 1],
        "Missing: medium risk": [0, 0, 1, 0, 0, 1],
        "Missing: low risk": [0, 0, 0, 0, 0, 0],
        "Missing: very low risk": [0, 0, 0, 0, 0, 0],
        "Found or returned, not closed": [0, 0, 0, 1, 1, 2],
    }
    assert table.total == ["All open episodes", 1, 0, 1, 1, 1, 4]
    interviews = shown["workload-interviews-agencies"]
    #                                  to offer, offered, overdue, <1d 1-3 3-7 7-28 28+
    assert interviews.rows == [
        ["Integrated Care Board", 0, 1, 1, 0, 0, 1, 0, 0],
        ["No agency chosen yet", 1, 0, 0, 0, 1, 0, 0, 0],
    ]
    assert interviews.total == ["All agencies (the whole MASH)", 1, 1, 1, 0, 1, 1, 0, 0]
    police = tables(cast.police_manager, made, period)["workload-interviews-agencies"]
    assert police.rows == [] and police.total == interviews.total


def test_episode_and_interview_drill_lists(cast, episodes, period):
    def pks(user, measure, params):
        _, result = services.drill(user, measure, period, params)
        return sorted(record.pk for record in result.records)

    ids = {key: episode.pk for key, episode in episodes.items()}
    assert pks(cast.manager, "workload-episodes", {}) == sorted([ids["E1"], ids["E2"], ids["E3"], ids["E4"]])
    assert pks(cast.manager, "workload-episodes", {"status": "returned", "band": "over_28"}) == [ids["E4"]]
    assert pks(cast.manager, "workload-episodes", {"status": "missing", "risk": "high"}) == [ids["E1"]]
    assert pks(cast.manager, "workload-interviews", {"overdue": "1"}) == [ids["E4"]]
    assert pks(cast.manager, "workload-interviews", {"agency": "none"}) == [ids["E3"]]
    assert pks(cast.manager, "workload-interviews", {"agency": str(cast.health.pk)}) == [ids["E4"]]
    with pytest.raises(ValidationError) as raised:
        services.drill(cast.manager, "workload-episodes", period, {"risk": "extreme"})
    assert "risk" in raised.value.message_dict
