"""The data administrator's queue: every open application, the most urgent first, by stage."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disclosures import services
from disclosures.models import Scheme, Stage
from tests.disclosures_pages.builders import page

pytestmark = pytest.mark.django_db

QUEUE = reverse("disclosures:queue")


def rows(response) -> list[int]:
    return [application.pk for application, _ in response.context["rows"]]


@pytest.fixture
def queue(team, new_application, at_research):
    """Four open applications and a withdrawn one: Clare's Law received 30 days ago (its 28 days are
    past), Sarah's Law received 20 days ago (25 of its 45 days left), the one at research (received
    today) and a Clare's Law received an hour ago."""
    now = timezone.now()
    overdue = new_application(received_at=now - timedelta(days=30))
    sarahs_law = new_application(scheme=Scheme.SARAHS_LAW, received_at=now - timedelta(days=20))
    recent = new_application(received_at=now - timedelta(hours=1))
    withdrawn = new_application()
    services.application_withdraw(application=withdrawn, by=team.admin, reason="The applicant withdrew.")
    return {
        "overdue": overdue,
        "sarahs_law": sarahs_law,
        "recent": recent,
        "research": at_research,
        "withdrawn": withdrawn,
    }


def test_the_data_administrator_sees_every_open_application_most_urgent_first(client, team, queue):
    client.force_login(team.admin)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert rows(response) == [
        queue["overdue"].pk,
        queue["sarahs_law"].pk,
        queue["recent"].pk,
        queue["research"].pk,
    ]
    body = page(response)
    assert queue["withdrawn"].reference not in body
    texts = {application.pk: clocks for application, clocks in response.context["rows"]}
    assert texts[queue["overdue"].pk]["decision"].startswith("overdue by 2 days")
    assert texts[queue["sarahs_law"].pk]["decision"] == "due in 24 days"
    assert texts[queue["recent"].pk]["decision"] == "due in 27 days"
    # The overdue clock is marked as a breach; the 24-hour checks are shown while they are due.
    assert '<strong class="mash-breach">Overdue by 2 days' in body
    assert "Checks overdue by 29 days" in body
    assert "Checks due in 22h" in body
    assert body.count("Initial risk checks</td>") == 0  # the stage column carries the due text too
    assert body.count("Initial risk checks<br>") == 3
    assert "Research</td>" in body
    assert "4 applications, the most urgent first" in body


def test_it_counts_the_open_applications_by_stage(client, team, queue):
    client.force_login(team.admin)
    response = client.get(QUEUE)
    assert response.context["counts"] == {Stage.INITIAL_CHECKS: 3, Stage.RESEARCH: 1}
    body = page(response)
    assert "Initial risk checks: <strong>3</strong>" in body
    assert "Research: <strong>1</strong>" in body
    assert "Decision: <strong>0</strong>" in body
    assert Stage.CLOSED.label + ":" not in body


def test_the_stage_filter_shows_one_stage(client, team, queue):
    client.force_login(team.admin)
    research = client.get(QUEUE, {"stage": Stage.RESEARCH})
    assert rows(research) == [queue["research"].pk]
    assert queue["overdue"].reference not in page(research)
    # The counts stay those of every open stage.
    assert research.context["counts"][Stage.INITIAL_CHECKS] == 3
    closed = client.get(QUEUE, {"stage": Stage.CLOSED})
    assert rows(closed) == [queue["withdrawn"].pk]
    assert rows(client.get(QUEUE, {"stage": Stage.DECISION})) == []
    assert "No applications at this stage." in page(client.get(QUEUE, {"stage": Stage.DECISION}))
    # An unknown stage is ignored: every open application.
    assert len(rows(client.get(QUEUE, {"stage": "nonsense"}))) == 4


@pytest.mark.parametrize("who", ["researcher", "decision_maker"])
def test_the_rest_of_the_team_sees_the_queue_but_records_nothing(client, team, queue, who):
    client.force_login(getattr(team, who))
    response = client.get(QUEUE)
    assert len(rows(response)) == 4
    assert reverse("disclosures:intake") not in page(response)


@pytest.mark.parametrize("who", ["health_researcher", "triage", "outsider", "decision_maker", "manager"])
def test_anyone_outside_the_police_disclosure_team_is_refused_the_queue(client, cast, queue, who):
    client.force_login(getattr(cast, who))
    response = client.get(QUEUE)
    assert response.status_code == 403
    assert queue["overdue"].reference not in page(response)


def test_the_queue_needs_a_login(client, queue):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(QUEUE).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_queue(client, team, new_application):
    new_application()
    client.force_login(team.admin)
    client.get(QUEUE)  # the policy's caches (permission ids, the working pattern) are warm
    one = _queries(client)
    for _ in range(4):
        application = new_application()
    services.initial_check_record(application=application, by=team.admin, immediate_risk=False, notes="None.")
    services.verification_record(
        application=application, by=team.admin, identity_method="Passport", meeting_at=timezone.now()
    )
    services.researcher_assign(application=application, by=team.admin, researcher=team.researcher)
    five = _queries(client)
    assert five == one, f"{one} queries for one application, {five} for five"


def test_the_queue_pages_by_50_with_its_count_and_keeps_the_filter(
    client, team, new_application, at_research
):
    """Issue 16: the queue no longer stops silently at 200 rows: it counts every application and pages."""
    made = [new_application() for _ in range(51)]
    client.force_login(team.admin)
    first = client.get(QUEUE, {"stage": Stage.INITIAL_CHECKS})
    assert len(rows(first)) == 50
    body = page(first)
    assert "51 applications at this stage, the most urgent first" in body
    assert "?stage=initial_checks&amp;page=2" in body
    second = client.get(QUEUE, {"stage": Stage.INITIAL_CHECKS, "page": 2})
    assert len(rows(second)) == 1
    assert set(rows(first)) | set(rows(second)) == {application.pk for application in made}
    assert at_research.pk not in rows(second)
    assert "52 applications, the most urgent first" in page(client.get(QUEUE))
