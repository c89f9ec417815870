"""The queue, intake and the application's detail; bad input is a 400 naming the field."""

from datetime import timedelta

import pytest
from django.utils import timezone

from disclosures import services
from disclosures.models import Application, Scheme
from mash.sharing.services import grant_view
from tests.disclosures_api.conftest import call, ok, url

pytestmark = pytest.mark.django_db

LIST = "api-disclosure-applications"


def ids(response) -> list[int]:
    return [row["id"] for row in ok(response)["results"]]


def create(api_client, user, **fields):
    return call(api_client, user, "post", url(LIST), fields)


@pytest.fixture
def intake(people):
    return {
        "scheme": "dvds_ask",
        "route": "phone",
        "circumstances": "New partner; a friend says he was violent to his last partner.",
        "applicant_relation": "Herself: his partner",
        "people": [
            {"role": "applicant", "person": people["applicant"].pk},
            {"role": "at_risk", "person": people["applicant"].pk},
            {"role": "subject", "person": people["subject"].pk},
        ],
    }


def test_the_list_needs_authentication(api_client, new_application):
    new_application()
    assert api_client.get(url(LIST)).status_code == 401


def test_the_queue_puts_the_most_urgent_first_and_leaves_closed_ones_out(api_client, team, new_application):
    clares = new_application()
    sarahs = new_application(scheme=Scheme.SARAHS_LAW)
    older = new_application(received_at=timezone.now() - timedelta(days=30))
    withdrawn = new_application()
    services.application_withdraw(application=withdrawn, by=team.admin, reason="Withdrawn.")

    response = call(api_client, team.admin, "get", url(LIST))
    assert ids(response) == [older.pk, clares.pk, sarahs.pk]
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[older.pk]["clocks"]["decision"]["breached"] is True
    assert rows[clares.pk]["clocks"]["decision"]["breached"] is False
    assert rows[sarahs.pk]["clocks"]["meeting"]["due_at"]
    assert rows[clares.pk]["clocks"]["meeting"] is None
    assert rows[clares.pk]["researcher"] is None
    assert [(p["role"], p["full_name"]) for p in rows[clares.pk]["people"]] == [
        ("subject", "Mark Taylor"),
        ("applicant", "Sarah Jones"),
        ("at_risk", "Sarah Jones"),
    ]

    assert set(ids(call(api_client, team.admin, "get", url(LIST) + "?include_closed=1"))) == {
        older.pk,
        clares.pk,
        sarahs.pk,
        withdrawn.pk,
    }
    assert ids(call(api_client, team.admin, "get", url(LIST) + "?stage=closed")) == [withdrawn.pk]
    assert ids(call(api_client, team.admin, "get", url(LIST) + "?stage=research")) == []


@pytest.mark.parametrize(
    "query, field", [("stage=lost", "stage"), ("include_closed=perhaps", "include_closed")]
)
def test_a_bad_filter_is_a_400_naming_it(api_client, team, query, field):
    response = call(api_client, team.admin, "get", url(LIST) + "?" + query)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("who", ["health_researcher", "decision_maker", "outsider", "triage", "manager"])
def test_another_agency_lists_nothing(api_client, cast, new_application, who):
    new_application()
    assert ids(call(api_client, getattr(cast, who), "get", url(LIST))) == []


def test_a_forum_participant_lists_what_the_forum_considers_without_the_researcher(
    api_client, cast, at_research, new_application
):
    new_application()
    grant_view(obj=at_research, agency=cast.health)
    response = call(api_client, cast.health_researcher, "get", url(LIST))
    assert ids(response) == [at_research.pk]
    assert "researcher" not in response.json()["results"][0]


def list_queries(api_client, user, django_assert_max_num_queries) -> tuple[int, int]:
    with django_assert_max_num_queries(10) as queries:
        response = call(api_client, user, "get", url(LIST), {"page_size": 100})
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("role", ["data_admin", "health_researcher"])
def test_the_list_costs_the_same_few_queries_whatever_its_length(
    api_client, cast, team, new_application, django_assert_max_num_queries, role
):
    def add(count):
        for index in range(count):
            application = new_application(scheme=Scheme.SARAHS_LAW if index % 2 else Scheme.RIGHT_TO_ASK)
            if index % 3 == 0:
                services.initial_check_record(
                    application=application, by=team.admin, immediate_risk=False, notes="No risk."
                )
            grant_view(obj=application, agency=cast.health)

    user = getattr(cast, role)
    add(5)
    # The first list of a process also looks up the permission's id, cached from then on.
    list_queries(api_client, user, django_assert_max_num_queries)
    five_queries, five_rows = list_queries(api_client, user, django_assert_max_num_queries)
    add(25)
    thirty_queries, thirty_rows = list_queries(api_client, user, django_assert_max_num_queries)
    assert (five_rows, thirty_rows) == (5, 30)
    assert five_queries == thirty_queries, (five_queries, thirty_queries)


def test_the_data_administrator_records_an_application_with_a_new_person(api_client, team, people, intake):
    intake["people"][2] = {"role": "subject", "given_name": "Mark", "family_name": "Taylor", "nhs_number": ""}
    body = ok(create(api_client, team.admin, **intake), 201)
    application = Application.objects.get(pk=body["id"])
    assert application.recorded_by == team.admin
    assert application.people.get(role="subject").person.pk not in {p.pk for p in people.values()}
    assert body["recorded_by"]["id"] == team.admin.pk
    assert body["applicant_relation"] == "Herself: his partner"


def test_a_sarahs_law_application_starts_its_interview_clock(api_client, team, people, intake):
    intake.update(
        scheme="csods", people=[*intake["people"][:1], {"role": "subject", "person": people["subject"].pk}]
    )
    intake["people"].append({"role": "child", "person": people["child"].pk})
    body = ok(create(api_client, team.admin, **intake), 201)
    clocks = body["clocks"]
    assert clocks["meeting"]["due_at"] < clocks["decision"]["due_at"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"scheme": "gossip"}, "scheme"),
        ({"route": "pigeon"}, "route"),
        ({"circumstances": ""}, "circumstances"),
        ({"applicant_relation": ""}, "applicant_relation"),
        ({"received_at": "2999-01-01T00:00:00Z"}, "received_at"),
        ({"people": []}, "people"),
        ({"people": [{"role": "subject", "person": 2**40}]}, "people-0-person"),
        ({"people": [{"role": "subject", "person": 1, "given_name": "Also"}]}, "people"),
        ({"people": [{"role": "subject"}]}, "people"),
        ({"people": [{"role": "neighbour", "given_name": "A", "family_name": "B"}]}, "people"),
    ],
)
def test_bad_intake_is_a_400_naming_the_field(api_client, team, intake, change, field):
    intake.update(change)
    response = create(api_client, team.admin, **intake)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Application.objects.exists()


def test_a_new_persons_bad_detail_is_named_by_their_position(api_client, team, intake):
    intake["people"][2] = {
        "role": "subject",
        "given_name": "Mark",
        "family_name": "Taylor",
        "nhs_number": "123",
    }
    response = create(api_client, team.admin, **intake)
    assert response.status_code == 400, response.content
    assert "people-2-nhs_number" in response.json(), response.json()
    assert not Application.objects.exists()


def test_an_open_application_about_the_same_subject_holds_a_new_one_back_until_confirmed(
    api_client, team, intake, new_application
):
    open_one = new_application(scheme=Scheme.SARAHS_LAW)
    held = create(api_client, team.admin, **intake)
    assert held.status_code == 409, held.content
    assert [row["reference"] for row in held.json()["open_applications"]] == [open_one.reference]
    assert "not_a_duplicate" in held.json()["detail"]
    assert Application.objects.count() == 1

    services.application_withdraw(application=open_one, by=team.admin, reason="Withdrawn.")
    assert create(api_client, team.admin, **intake).status_code == 201, "a closed one is no duplicate"
    assert ok(create(api_client, team.admin, **intake, not_a_duplicate=True), 201)
    assert Application.objects.count() == 3


@pytest.mark.parametrize("who", ["police_researcher", "police_decision_maker", "triage", "outsider"])
def test_only_a_data_administrator_records_an_application(api_client, cast, intake, who):
    response = create(api_client, getattr(cast, who), **intake)
    assert response.status_code == 403
    assert "data administrators" in response.json()["detail"]
    assert not Application.objects.exists()


def test_the_team_reads_the_whole_application(api_client, team, compiled):
    application = compiled.application
    body = ok(call(api_client, team.researcher, "get", url("api-disclosure-application", application.pk)))
    assert body["circumstances"] == application.circumstances
    assert body["initial_check_notes"] == "No risk now."
    assert body["verified_by"]["id"] == team.admin.pk
    assert [(p["id"], p["number"], p["status"], p["version"]) for p in body["packages"]] == [
        (compiled.pk, 1, "draft", compiled.version)
    ]
    assert body["version"] == application.version


def test_a_stale_version_is_a_conflict_without_saved_values(api_client, team, new_application):
    application = new_application()
    services.initial_check_record(application=application, by=team.admin, immediate_risk=False, notes="Done.")
    response = call(
        api_client,
        team.admin,
        "post",
        url("api-disclosure-application-verification", application.pk),
        {"identity_method": "Passport", "meeting_at": timezone.now().isoformat(), "version": 1},
    )
    assert response.status_code == 409
    assert response.json() == {"detail": response.json()["detail"]}
    assert "Someone else changed this application" in response.json()["detail"]
    application.refresh_from_db()
    assert (application.stage, application.identity_verified) == ("verification", False)


@pytest.mark.parametrize(
    "name, data, field",
    [
        ("api-disclosure-application-initial-checks", {"immediate_risk": False, "notes": " "}, "notes"),
        ("api-disclosure-application-initial-checks", {"notes": "Done."}, "immediate_risk"),
        (
            "api-disclosure-application-initial-checks",
            {"immediate_risk": False, "notes": "x", "version": 0},
            "version",
        ),
        ("api-disclosure-application-withdraw", {"reason": ""}, "reason"),
        ("api-disclosure-application-researcher", {"researcher": 2**40}, "researcher"),
        ("api-disclosure-application-forum", {"agencies": [2**40]}, "agencies"),
        ("api-disclosure-application-verification", {"identity_method": "Passport"}, "meeting_at"),
    ],
)
def test_a_bad_action_is_a_400_naming_the_field(api_client, team, new_application, name, data, field):
    application = new_application()
    response = call(api_client, team.admin, "post", url(name, application.pk), {"version": 1, **data})
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    application.refresh_from_db()
    assert application.version == 1


def test_a_researcher_must_be_a_police_researcher(api_client, cast, team, at_research):
    response = call(
        api_client,
        team.admin,
        "post",
        url("api-disclosure-application-researcher", at_research.pk),
        {"researcher": cast.health_researcher.pk, "version": at_research.version},
    )
    assert response.status_code == 400
    assert "researcher" in response.json()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"disclose": True, "lawful": "", "necessary": "x", "proportionate": "x"}, "lawful"),
        ({"disclose": True, "lawful": "x", "necessary": "x", "proportionate": "x"}, "wording"),
        (
            {"disclose": True, "lawful": "x", "necessary": "x", "proportionate": "x", "wording": "w"},
            "recipient_name",
        ),
        ({"disclose": False, "lawful": "x", "necessary": "x", "proportionate": "x"}, "no_disclosure_reason"),
        ({"disclose": False, "lawful": "x", "necessary": "x", "proportionate": "x"}, "applicant_told"),
        ({"disclose": True, "forum_agencies": [2**40]}, "forum_agencies"),
        ({"disclose": True, "forum_held_at": "2999-01-01T00:00:00Z"}, "forum_held_at"),
    ],
)
def test_a_bad_decision_is_a_400_naming_the_field(api_client, team, submitted, data, field):
    application = submitted.application
    application.refresh_from_db()
    response = call(
        api_client,
        team.decision_maker,
        "post",
        url("api-disclosure-application-decision", application.pk),
        {"version": application.version, **data},
    )
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()


def test_only_a_decision_maker_decides(api_client, team, submitted):
    application = submitted.application
    application.refresh_from_db()
    response = call(
        api_client,
        team.researcher,
        "post",
        url("api-disclosure-application-decision", application.pk),
        {"version": application.version, "disclose": False},
    )
    assert response.status_code == 403
    assert "decision makers" in response.json()["detail"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"warning_given": False}, "warning_given"),
        ({"warning_acknowledged": False}, "warning_acknowledged"),
        ({"place": ""}, "place"),
        ({"safety_plan": " "}, "safety_plan"),
        ({"disclosed_at": "2999-01-01T00:00:00Z"}, "disclosed_at"),
        ({"disclosed_at": "2001-01-01T00:00:00Z"}, "disclosed_at"),
    ],
)
def test_a_bad_disclosure_is_a_400_naming_the_field(api_client, team, decided, change, field):
    data = {
        "disclosed_at": timezone.now().isoformat(),
        "place": "Ipswich police station",
        "recipient_name": "Sarah Jones",
        "wording_used": "Mark Taylor has a conviction.",
        "warning_given": True,
        "warning_acknowledged": True,
        "safety_plan": "Panic alarm.",
        "version": decided.version,
        **change,
    }
    response = call(
        api_client,
        team.decision_maker,
        "post",
        url("api-disclosure-application-disclosure", decided.pk),
        data,
    )
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not hasattr(Application.objects.get(pk=decided.pk), "disclosure")
