"""The work tray (mash/common/trays.py, templates/home.html): for each role, what waits for the user
and their agency, most urgent first, with counts; never another agency's work; a bounded number of
queries whatever the numbers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosures import services as disclosure_services
from disclosures.models import PersonRole, Route, Scheme
from mash.agencies.roles import Role
from mash.sharing.services import break_glass_open
from missing_persons import services as missing_services
from missing_persons.models import Risk
from referrals.requests import services as request_services
from strategy import services as strategy_services
from strategy.models import Action, Mode
from tests.disclosures import conftest as disclosures_conftest
from tests.factories import PersonFactory, member
from tests.information_requests.support import ask, referral_in_gathering
from tests.missing_persons import conftest as missing_conftest
from tests.referrals_pages.builders import make_referral, new_subject, working_days_ago
from tests.strategy import conftest as strategy_conftest

gathering = strategy_conftest.gathering
collated = strategy_conftest.collated
required = strategy_conftest.required
convene = strategy_conftest.convene
discussion = strategy_conftest.discussion
education = strategy_conftest.education
child = missing_conftest.child
episode_input = missing_conftest.episode_input
team = disclosures_conftest.team
people = disclosures_conftest.people
new_application = disclosures_conftest.new_application
at_research = disclosures_conftest.at_research

pytestmark = pytest.mark.django_db

# Planted in a record of an agency the user is not part of: it must never reach their tray.
SECRET = "Zebedee Quarrington"


def tray(client, user) -> tuple[dict, str]:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {s.key: s for s in response.context["sections"]}, response.content.decode()


def counts(section) -> dict[str, int]:
    return {c.label: c.value for c in section.counts}


def test_the_triage_practitioner_sees_the_referral_past_its_deadline_first(client, cast):
    make_referral(cast, subjects=[new_subject(given_name="Fresh")])
    late = make_referral(cast, subjects=[new_subject(given_name="Overdue")], received_at=working_days_ago(5))
    sections, html = tray(client, cast.triage)
    assert list(sections) == ["referrals", "discussions", "actions"]
    referrals = sections["referrals"]
    assert counts(referrals) == {"open": 2, "past the decision deadline": 1}
    assert referrals.lines[0].title == late.reference
    assert [line.late for line in referrals.lines] == [True, False]
    assert f'href="{reverse("referrals:detail", args=[late.pk])}"' in html
    assert "Overdue Lee" in html and "See all 2 open referrals" in html
    # The police see none of the lead agency's referrals they were not asked about.
    _, police_html = tray(client, cast.police_decision_maker)
    assert "Overdue Lee" not in police_html and late.reference not in police_html


def test_a_researcher_sees_their_agency_s_unclaimed_requests_and_their_own(client, cast):
    first = referral_in_gathering(cast, PersonFactory(given_name="Ruby", family_name="Hart"))
    second = referral_in_gathering(cast, PersonFactory(given_name="Theo", family_name="Hart"))
    hidden = referral_in_gathering(cast, PersonFactory(given_name="Zebedee", family_name="Quarrington"))
    (unclaimed,) = ask(first, cast.triage, cast.police)
    (mine,) = ask(second, cast.triage, cast.police)
    ask(hidden, cast.triage, cast.health, questions=f"What do you know of {SECRET}?")
    request_services.information_request_claim(request=mine, by=cast.police_researcher)
    colleague = member(cast.police, Role.AGENCY_RESEARCHER, username="police.colleague")
    (theirs,) = ask(referral_in_gathering(cast, PersonFactory()), cast.triage, cast.police)
    request_services.information_request_claim(request=theirs, by=colleague)

    sections, html = tray(client, cast.police_researcher)
    requests = sections["requests"]
    assert counts(requests) == {"unclaimed": 1, "yours in progress": 1}
    assert requests.total == 3  # the colleague's is counted in 'see all', not listed
    assert {line.url for line in requests.lines} == {
        reverse("referrals:request", args=[unclaimed.pk]),
        reverse("referrals:request", args=[mine.pk]),
    }
    assert SECRET not in html and hidden.reference not in html
    _, health_html = tray(client, cast.health_researcher)
    assert hidden.reference in health_html and first.reference not in health_html


def test_a_decision_maker_sees_the_threshold_decisions_and_today_s_discussions(
    client, cast, collated, education
):
    sections, html = tray(client, cast.decision_maker)
    assert counts(sections["threshold"])["awaiting a threshold decision"] == 1
    assert sections["threshold"].lines[0].url == reverse("strategy:threshold", args=[collated.pk])
    assert counts(sections["discussions"]) == {"today": 0, "scheduled from today on": 0}
    assert "Nothing waiting for you." in html

    strategy_services.threshold_decide(
        referral=collated, by=cast.decision_maker, required=True, rationale="Significant harm is likely."
    )
    held = strategy_services.discussion_convene(
        referral=collated,
        by=cast.decision_maker,
        scheduled_at=timezone.now().replace(second=0, microsecond=0),
        mode=Mode.VIDEO,
        chair=cast.decision_maker,
        invitees=[strategy_services.Invitee(agency=cast.police, user=cast.police_decision_maker)],
    )
    sections, _ = tray(client, cast.decision_maker)
    assert counts(sections["threshold"])["awaiting a threshold decision"] == 0
    assert [line.url for line in sections["discussions"].lines] == [
        reverse("strategy:discussion", args=[held.pk])
    ]
    # The invited police see it; education, never invited, does not.
    police, _ = tray(client, cast.police_decision_maker)
    assert counts(police["discussions"]) == {"today": 1, "scheduled from today on": 1}
    _, education_html = tray(client, education["decision_maker"])
    assert collated.reference not in education_html


def test_my_actions_are_the_user_s_and_their_agency_s_the_overdue_first(client, cast, discussion):
    today = timezone.localdate()
    for owner_agency, owner, due_on, text in [
        (cast.police, None, today + timedelta(days=3), "Police check the address"),
        (cast.police, cast.police_decision_maker, today, "Police visit today"),
        (cast.health, None, today, f"Health visitor calls {SECRET}"),
    ]:
        strategy_services.action_add(
            discussion=discussion,
            by=cast.decision_maker,
            description=text,
            owner_agency=owner_agency,
            owner=owner,
            due_on=due_on,
        )
    # A day passes: the action due today is now overdue.
    Action.objects.filter(description="Police visit today").update(due_on=today - timedelta(days=1))
    sections, html = tray(client, cast.police_decision_maker)
    actions = sections["actions"]
    assert counts(actions) == {"open": 2, "overdue": 1}
    assert [line.title for line in actions.lines] == ["Police visit today", "Police check the address"]
    assert SECRET not in html


def test_the_data_administrator_sees_who_is_missing_and_the_interviews_due(client, cast, episode_input):
    now = timezone.now()
    medium = missing_services.episode_create(by=cast.data_admin, data=episode_input(police_reference="MP-1"))
    high = missing_services.episode_create(
        by=cast.data_admin, data=episode_input(police_reference="MP-2", risk=Risk.HIGH)
    )
    back = missing_services.episode_create(by=cast.data_admin, data=episode_input(police_reference="MP-3"))
    missing_services.episode_return(
        episode=back,
        by=cast.data_admin,
        found_at=now - timedelta(minutes=30),
        found_place="Home",
        found_by="Mother",
        wellbeing_confirmed=True,
    )
    sections, _ = tray(client, cast.data_admin)
    missing = sections["missing"]
    assert counts(missing) == {"high risk": 1, "medium risk": 1}
    assert [line.title for line in missing.lines] == [high.police_reference, medium.police_reference]
    interviews = sections["interviews"]
    assert counts(interviews) == {"due": 1, "overdue": 0}
    assert interviews.lines[0].url == reverse("missing_persons:episode", args=[back.pk])
    # Episodes are the police's: a partner agency's researcher has no such section.
    health, _ = tray(client, cast.health_researcher)
    assert "missing" not in health and "interviews" not in health


def test_information_governance_sees_the_break_glass_openings_to_review(client, cast, person):
    application = disclosure_services.application_create(
        by=cast.data_admin,
        scheme=Scheme.RIGHT_TO_KNOW,
        route=Route.POLICE,
        circumstances="Police hold a report about this child's home.",
        people=[
            disclosure_services.PersonInput(role=PersonRole.SUBJECT, person=person),
            disclosure_services.PersonInput(role=PersonRole.AT_RISK, person=person),
        ],
    )
    police_manager = member(cast.police, Role.MASH_MANAGER, username="police.manager")
    access = break_glass_open(user=police_manager, obj=application, reason="Urgent: child at risk tonight.")
    sections, _ = tray(client, cast.governance)
    assert "break_glass" in sections  # with information governance's other sections (subject access...)
    assert counts(sections["break_glass"]) == {"to review": 1}
    assert sections["break_glass"].lines[0].url == reverse("sharing:break_glass_review", args=[access.pk])
    # The disclosure team sees the application in its own section.
    police, _ = tray(client, cast.data_admin)
    assert counts(police["disclosures"])["open"] == 1


def test_a_police_researcher_sees_their_own_research_first(client, cast, team, new_application, at_research):
    earlier = new_application(scheme=Scheme.RIGHT_TO_KNOW)  # not theirs, and due sooner
    earlier.clock.due_at = at_research.clock.due_at - timedelta(days=1)
    earlier.clock.save(update_fields=["due_at"])
    sections, _ = tray(client, team.researcher)
    assert counts(sections["disclosures"]) == {"open": 2, "past their deadline": 0, "yours to research": 1}
    assert [line.title for line in sections["disclosures"].lines] == [
        at_research.reference,
        earlier.reference,
    ]
    # The other researcher has none of their own; the data administrator is not asked.
    assert counts(tray(client, team.second_researcher)[0]["disclosures"])["yours to research"] == 0
    assert "yours to research" not in counts(tray(client, team.admin)[0]["disclosures"])


def test_an_outsider_has_nothing_waiting(client, cast, collated):
    sections, html = tray(client, cast.outsider)
    assert all(section.total == 0 for section in sections.values())
    assert collated.reference not in html and "Nothing waiting for you." in html


@pytest.mark.parametrize(
    "role", ["triage", "police_researcher", "decision_maker", "data_admin", "governance", "manager"]
)
def test_the_tray_costs_a_bounded_number_of_queries(client, cast, role, django_assert_max_num_queries):
    for given_name in ("Ann", "Bea", "Cat", "Dee", "Eve", "Fay", "Gus"):
        referral = referral_in_gathering(
            cast, PersonFactory(given_name=given_name), received_at=working_days_ago(3)
        )
        ask(referral, cast.triage, cast.police)
    user = getattr(cast, role)
    client.force_login(user)
    client.get(reverse("home"))  # the session and the calendar, read once
    # Seven referrals, five shown: a few queries a section, none a row.
    with django_assert_max_num_queries(20):
        assert client.get(reverse("home")).status_code == 200
