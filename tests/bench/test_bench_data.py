"""The benchmark's data generator builds what the services would have built (at a small size here).

The benchmark's numbers only mean something if its data is shaped like the system's own: clocks
behind every referral and request, the queue's due time equal to the decision clock's, and exactly the
grants the sharing policy makes when an agency is asked (its request, the referral, the subjects).
"""

import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.models import BigIntegerField, Count, F, OuterRef, Subquery
from django.db.models.functions import Cast

from bench.data.access_log import months
from disclosures.models import Application, Scheme
from mash.agencies.models import Agency, Membership
from mash.agencies.roles import Role
from mash.clocks.models import Clock
from mash.people.models import Person, PersonGroupObjectPermission
from mash.sharing import policy
from mash.sharing.models import AccessLog
from missing_persons.models import Episode, ReturnInterview
from referrals.models import (
    InformationRequest,
    InformationRequestGroupObjectPermission,
    Referral,
    ReferralGroupObjectPermission,
    ReferralSubject,
    RequestStatus,
    ResponseEntry,
    State,
)
from referrals.requests.services.asking import REQUEST_CLOCK
from strategy.models import (
    Action,
    Addendum,
    AnswerRating,
    DiscussionStatus,
    StrategyDiscussion,
    SubjectDecision,
    ThresholdDecision,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(db):
    # Open for 400 days of the four years: about a quarter of the referrals in the open states.
    options = {"people": 400, "referrals": 300, "users": 312, "seed": 7, "open_days": 400, "access_log": 3000}
    call_command("bench_data", **options, stdout=io.StringIO())


def test_it_builds_every_state_with_clocks_subjects_and_the_queue_due_time(built):
    assert Person.objects.count() == 400
    assert Referral.objects.count() == 300
    assert {State.CLOSED, State.INFORMATION_GATHERING} <= set(
        Referral.objects.values_list("state", flat=True)
    )
    assert not Referral.objects.exclude(decision_due_at=F("decision_clock__due_at")).exists()
    # The inbox's due time too, equal to the request clock's.
    assert InformationRequest.objects.exists()
    assert not InformationRequest.objects.exclude(due_at=F("clock__due_at")).exists()
    assert not Referral.objects.filter(subjects__isnull=True).exists()
    assert ReferralSubject.objects.filter(referral__in=Referral.objects.all()).count() >= 300


def test_a_referral_waiting_for_its_strategy_discussion_has_its_threshold_decision_and_clock(built):
    waiting = Referral.objects.filter(state=State.STRATEGY_DISCUSSION)
    assert waiting.exists()
    for referral in waiting:
        decision = ThresholdDecision.objects.get(referral=referral)
        assert decision.required and decision.strategy_clock.kind == "strategy discussion"
        assert referral.decision_clock.stopped_at == decision.decided_at
    # (the others are the closed referrals' strategy work: test_the_work_the_dashboards_measure)
    assert not ThresholdDecision.objects.exclude(
        referral__state__in=[State.STRATEGY_DISCUSSION, State.CLOSED]
    ).exists()


def test_an_asked_agency_is_granted_its_request_the_referral_and_the_subjects(built):
    requests = InformationRequest.objects.select_related("agency", "referral")
    assert requests.exists()
    for request in requests[:50]:
        group = request.agency.group_id
        assert InformationRequestGroupObjectPermission.objects.filter(
            group_id=group, content_object=request
        ).exists()
        assert ReferralGroupObjectPermission.objects.filter(
            group_id=group, content_object=request.referral
        ).exists()
        for link in request.referral.subjects.all():
            assert PersonGroupObjectPermission.objects.filter(
                group_id=group, content_object=link.person_id
            ).exists()
    answered = requests.filter(status=RequestStatus.ANSWERED)
    assert not answered.filter(clock__stopped_at__isnull=True).exists()
    assert ResponseEntry.objects.filter(request__in=answered).exists()


def test_its_users_see_through_the_sharing_policy_as_real_users_do(built):
    lead = Agency.objects.get(is_lead=True)
    assert Agency.objects.count() == 20
    researchers = Membership.objects.filter(roles__name=Role.AGENCY_RESEARCHER).values("agency").distinct()
    assert researchers.count() >= 6
    police = Agency.objects.get(kind="police")
    researcher = Membership.objects.filter(agency=police, roles__name=Role.AGENCY_RESEARCHER).first().user
    visible = policy.visible(researcher, Referral.objects.all())
    asked = Referral.objects.filter(information_requests__agency=police).distinct()
    assert set(visible.values_list("pk", flat=True)) == set(asked.values_list("pk", flat=True))
    practitioner = Membership.objects.filter(agency=lead, roles__name=Role.TRIAGE_PRACTITIONER).first().user
    assert policy.visible(practitioner, Referral.objects.all()).count() == 300


def test_too_few_users_for_the_agencies_roles_is_refused_and_nothing_is_written(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"--users 100 is too few: .* at least 312"):
        call_command("bench_data", people=20, referrals=5, users=100, stdout=io.StringIO())
    assert not Agency.objects.exists() and not Membership.objects.exists()


def test_it_refuses_a_database_that_already_holds_referrals_unless_asked_to_skip(built):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="already holds"):
        call_command("bench_data", people=10, referrals=10, stdout=io.StringIO())
    call_command("bench_data", if_empty=True, stdout=io.StringIO())
    assert Referral.objects.count() == 300


def test_the_access_log_fills_every_month_of_the_period_through_its_partitions(built):
    assert AccessLog.objects.count() == 3000
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text, min(at), max(at) FROM sharing_accesslog GROUP BY 1 ORDER BY 2"
        )
        filled = cursor.fetchall()
    assert [name for name, _, _ in filled] == [f"sharing_accesslog_y{m:%Y}m{m:%m}" for m, *_ in months()]
    assert all(
        start <= low and high < end for (_, low, high), (start, end, *_) in zip(filled, months(), strict=True)
    )
    # A few readers read far more than most; most reads are of a referral received shortly before.
    per_user = sorted(AccessLog.objects.values("user").annotate(n=Count("pk")).values_list("n", flat=True))
    assert per_user[-1] > 5 * per_user[len(per_user) // 2]
    referral = ContentType.objects.get_for_model(Referral)
    reads = AccessLog.objects.filter(content_type=referral).annotate(
        received=Subquery(
            Referral.objects.filter(pk=Cast(OuterRef("object_id"), BigIntegerField())).values("received_at")
        )
    )
    recent = reads.filter(received__gte=F("at") - timedelta(days=60), received__lte=F("at")).count()
    assert recent > 0.7 * reads.count()


def test_the_work_the_dashboards_measure(built):
    # The closed referrals' strategy work: each required decision's discussion held (its clock stopped
    # then), decided, with actions; the referral's outcome the discussion's.
    required = ThresholdDecision.objects.filter(required=True, referral__state=State.CLOSED)
    assert required.exists() and ThresholdDecision.objects.filter(required=False).exists()
    for decision in required.select_related("strategy_clock", "referral"):
        discussion = StrategyDiscussion.objects.get(threshold_decision=decision)
        assert discussion.status == DiscussionStatus.SIGNED_OFF
        assert decision.strategy_clock.stopped_at == discussion.scheduled_at
        assert decision.referral.outcome in ("strategy_discussion", "s42_enquiry")
        assert discussion.decisions.count() == 1 and discussion.actions.exists()
    relied_on = ThresholdDecision.answers_relied_on.through.objects
    assert relied_on.exists()
    # Some of the answers relied on are rated (a reason whenever one was not sufficient).
    assert 0 < AnswerRating.objects.count() <= relied_on.count()
    assert not AnswerRating.objects.filter(sufficient=False, reason="").exists()
    # Disclosure applications with their clocks, by scheme; Sarah's Law with its interview's.
    applications = Application.objects.select_related("clock", "initial_check_clock")
    assert applications.count() == 12
    for application in applications:
        days = 45 if application.scheme == Scheme.SARAHS_LAW else 28
        assert application.clock.due_at - application.clock.started_at == timedelta(days=days)
        assert (application.meeting_clock_id is not None) == (application.scheme == Scheme.SARAHS_LAW)
        assert (application.stage == "closed") == bool(application.outcome)
    # A return home interview for every child found, on its 72-hour clock.
    found = Episode.objects.filter(found_at__isnull=False, is_child=True)
    assert ReturnInterview.objects.count() == found.count() > 0
    for interview in ReturnInterview.objects.select_related("clock", "episode"):
        assert interview.clock.started_at == interview.episode.found_at
        assert interview.clock.due_at - interview.clock.started_at == timedelta(hours=72)
    # The requests' clocks under the service's kind.
    assert not Clock.objects.filter(kind="information request").exists()
    assert (
        InformationRequest.objects.filter(clock__kind=REQUEST_CLOCK).count()
        == InformationRequest.objects.count()
    )


def test_if_empty_adds_the_dashboards_work_to_a_database_built_without_it(built):
    AnswerRating.objects.all().delete()
    Action.objects.all().delete()
    Addendum.objects.all().delete()
    SubjectDecision.objects.all().delete()
    StrategyDiscussion.objects.all().delete()
    Clock.objects.filter(kind=REQUEST_CLOCK).update(kind="information request")
    before = ThresholdDecision.objects.count(), Application.objects.count()
    call_command("bench_data", if_empty=True, stdout=io.StringIO())
    assert StrategyDiscussion.objects.exists() and ThresholdDecision.objects.count() > before[0]
    assert AnswerRating.objects.exists()
    assert Application.objects.count() == before[1]  # (there already: not added twice)
    assert not Clock.objects.filter(kind="information request").exists()
    assert Referral.objects.count() == 300
