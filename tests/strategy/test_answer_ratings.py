"""The ratings of the answers a threshold decision relied on: optional, a reason when not sufficient,
audited, read by the lead agency's case workers and the rated agency's MASH managers only, and the
reason erased with its referral."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mash.agencies.roles import Role
from mash.sharing import policy
from strategy import selectors, services
from strategy.models import AnswerRating, ThresholdDecision
from tests.factories import UserFactory, member
from tests.strategy.test_threshold import decide

pytestmark = pytest.mark.django_db

REASON = "No dates for the missed appointments."


@pytest.fixture
def rated(cast, collated):
    police, health = collated.police_answer, collated.health_answer
    return decide(
        collated,
        cast.decision_maker,
        answers=[police, health],
        ratings=[
            services.RatingInput(request=police, sufficient=True),
            services.RatingInput(request=health, sufficient=False, reason=REASON),
        ],
    )


def test_a_decision_without_ratings_has_none(cast, collated):
    decision = decide(collated, cast.decision_maker, answers=[collated.police_answer])
    assert not decision.ratings.exists()


def test_each_rating_is_saved_once_with_an_audit_row(cast, rated):
    ratings = list(rated.ratings.order_by("request__agency__name"))
    assert [(r.request.agency.name, r.sufficient, r.reason) for r in ratings] == [
        ("Constabulary", True, ""),
        ("Integrated Care Board", False, REASON),
    ]
    for rating in ratings:
        created = LogEntry.objects.get_for_object(rating).get(action=LogEntry.Action.CREATE)
        assert created.actor == cast.decision_maker or created.actor is None
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerRating.objects.create(
            threshold_decision=rated,
            request=ratings[0].request,
            sufficient=True,
            rated_by=ratings[0].rated_by,
            rated_at=ratings[0].rated_at,
        )


def test_the_database_refuses_not_sufficient_without_a_reason(cast, rated):
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerRating.objects.filter(sufficient=False).update(reason="")


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        (lambda c: [services.RatingInput(c.health_answer, False, " ")], "Say why Integrated Care Board's"),
        (
            lambda c: [
                services.RatingInput(c.health_answer, True),
                services.RatingInput(c.health_answer, True),
            ],
            "Integrated Care Board's answer is rated more than once.",
        ),
        (lambda c: [services.RatingInput(c.police_answer, True)], "Constabulary's answer is rated but"),
        (
            lambda c: [services.RatingInput(c.health_answer, False, "x" * 2001)],
            "must be 2,000 characters or fewer.",
        ),
    ],
)
def test_a_wrong_rating_refuses_the_whole_decision(cast, collated, ratings, message):
    with pytest.raises(ValidationError) as refused:
        decide(collated, cast.decision_maker, answers=[collated.health_answer], ratings=ratings(collated))
    assert message in refused.value.message_dict["ratings"][0]
    assert not ThresholdDecision.objects.exists() and not AnswerRating.objects.exists()


# Who reads a rating's reason: the lead agency's case workers (all of them), the rated agency's MASH
# managers (their own agency's), no one else.
SEES = {
    "triage": {"Constabulary", "Integrated Care Board"},
    "decision_maker": {"Constabulary", "Integrated Care Board"},
    "manager": {"Constabulary", "Integrated Care Board"},
    "police_manager": {"Constabulary"},
    "police_researcher": set(),
    "police_decision_maker": set(),
    "health_researcher": set(),
    "data_admin": set(),
    "governance": set(),
    "outsider": set(),
    "board": set(),
}


@pytest.mark.parametrize("who", sorted(SEES))
def test_who_reads_the_ratings(cast, rated, who):
    user = getattr(cast, who)
    listed = {r.request.agency.name for r in selectors.answer_ratings_for(user)}
    assert listed == SEES[who]
    for rating in AnswerRating.objects.select_related("request__agency"):
        shown = rating.request.agency.name in SEES[who]
        assert policy.may_see_field(user, rating, "reason") is shown, rating


def test_the_admin_lists_ratings_without_their_reason_and_only_to_who_may_read_them(cast, rated, client):
    staff_manager = member(cast.lead, Role.MASH_MANAGER, username="staff.manager", is_staff=True)
    client.force_login(staff_manager)
    listed = client.get("/admin/strategy/answerrating/")
    assert listed.status_code == 200
    body = listed.content.decode()
    assert "Integrated Care Board" in body and "Constabulary" in body and REASON not in body
    rating = rated.ratings.get(sufficient=False)
    page = client.get(f"/admin/strategy/answerrating/{rating.pk}/change/").content.decode()
    assert REASON not in page and "Save" not in page
    client.force_login(UserFactory(username="superuser", is_staff=True, is_superuser=True))
    body = client.get("/admin/strategy/answerrating/").content.decode()
    assert "Integrated Care Board" not in body  # admin rights alone show no case content
