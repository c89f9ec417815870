"""The referral page and its actions: each action's bad input, stale versions, and the happy path."""

import pytest
from django.urls import reverse

from mash.notifications.models import Notification
from mash.sharing.models import AccessAction
from referrals import services
from referrals.models import EventKind
from tests.referrals_pages.builders import REFERRER_EMAIL, REFERRER_PHONE, access_rows, snapshot

pytestmark = pytest.mark.django_db

STALE = "Someone else changed this referral since you opened it."


def act(client, referral, action, **data):
    data.setdefault("version", referral.version)
    return client.post(reverse(f"referrals:{action}", args=[referral.pk]), data)


def refused(client, referral, action, message, **data):
    """Post an action that must be refused: 400, the message on the page, nothing changed."""
    before = snapshot(referral)
    response = act(client, referral, action, **data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body, body[body.find("govuk-error-summary__list") :][:600]
    assert snapshot(referral) == before
    return response


@pytest.fixture
def triage_client(client, cast):
    client.force_login(cast.triage)
    return client


def test_the_lead_agency_sees_the_referral_with_its_referrer_and_the_view_is_logged(
    triage_client, cast, referral
):
    response = triage_client.get(reverse("referrals:detail", args=[referral.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    body = response.content.decode()
    assert referral.reference in body
    assert REFERRER_EMAIL in body and REFERRER_PHONE in body
    assert "Start screening" in body
    assert access_rows(cast.triage, referral, AccessAction.VIEW) == 1


def test_the_referral_page_of_an_unknown_id_is_a_404(triage_client):
    assert triage_client.get(reverse("referrals:detail", args=[999999])).status_code == 404


def test_a_rating_needs_a_rationale(triage_client, referral_in):
    referral = referral_in("screening")
    refused(
        triage_client, referral, "rate", "Give the rationale for this rating.", rating="red", rationale=""
    )


def test_a_rating_needs_a_known_rating(triage_client, referral_in):
    referral = referral_in("screening")
    response = refused(
        triage_client, referral, "rate", "Select a valid choice.", rating="purple", rationale="x"
    )
    assert "rating" in response.context["rate_form"].errors


def test_a_received_referral_cannot_be_rated(triage_client, referral):
    refused(
        triage_client,
        referral,
        "rate",
        "A received referral cannot be RAG-rated.",
        rating="red",
        rationale="x",
    )


def test_a_move_that_is_not_allowed_is_refused_and_named(triage_client, referral):
    response = refused(
        triage_client, referral, "transition", "A referral cannot move from received to", to_state="closed"
    )
    [error] = response.context["transition_form"].errors["to_state"]
    assert "closed" in error


def test_a_move_that_is_not_allowed_is_named_in_words(triage_client, referral):
    refused(
        triage_client,
        referral,
        "transition",
        "A referral cannot move from received to information gathering.",
        to_state="information_gathering",
    )


def test_a_move_to_an_unknown_state_is_refused(triage_client, referral):
    refused(triage_client, referral, "transition", "Select a valid choice.", to_state="archived")


def test_ready_for_decision_straight_from_screening_needs_a_note(triage_client, referral_in):
    referral = referral_in("screening")
    response = refused(
        triage_client,
        referral,
        "transition",
        "Say why no partner information is needed.",
        to_state="awaiting_threshold_decision",
        note="  ",
    )
    assert response.context["transition_form"].errors["note"]


def test_asking_partners_needs_a_rating_first(triage_client, referral_in):
    referral = referral_in("screening")
    refused(
        triage_client,
        referral,
        "transition",
        "RAG-rate the referral before asking partners for information.",
        to_state="information_gathering",
    )


def test_only_a_decision_maker_may_record_the_outcome(triage_client, referral_in):
    referral = referral_in("awaiting_threshold_decision")
    refused(
        triage_client,
        referral,
        "outcome",
        "Only the lead agency&#x27;s decision makers may record the outcome.",
        outcome="nfa",
        rationale="No concern.",
    )


def test_an_adult_outcome_on_a_child_referral_is_refused(client, cast, referral_in):
    referral = referral_in("awaiting_threshold_decision")
    client.force_login(cast.decision_maker)
    response = refused(
        client,
        referral,
        "outcome",
        "Select a valid choice. s42_enquiry",
        outcome="s42_enquiry",
        rationale="x",
    )
    assert response.context["outcome_form"].errors["outcome"]


def test_an_outcome_needs_a_rationale(client, cast, referral_in):
    referral = referral_in("awaiting_threshold_decision")
    client.force_login(cast.decision_maker)
    refused(client, referral, "outcome", "Give the rationale for the outcome.", outcome="nfa", rationale="")


def test_an_outcome_cannot_be_recorded_on_a_received_referral(client, cast, referral):
    client.force_login(cast.decision_maker)
    refused(
        client,
        referral,
        "outcome",
        "An outcome cannot be recorded on a received referral.",
        outcome="nfa",
        rationale="No concern.",
    )


def test_closing_without_an_email_address_needs_a_feedback_note(triage_client, referral_in):
    referral = referral_in("decided", referrer_email="")
    response = refused(
        triage_client,
        referral,
        "close",
        "There is no e-mail address for the referrer: say how they were told the outcome.",
        feedback_note="",
    )
    assert response.context["close_form"].errors["feedback_note"]
    assert not Notification.objects.exists()


def test_only_a_decided_referral_can_be_closed(triage_client, referral_in):
    referral = referral_in("screening")
    refused(triage_client, referral, "close", "Only a decided referral can be closed; this one is screening.")


def test_reopening_needs_a_reason(triage_client, referral_in):
    referral = referral_in("closed")
    response = refused(
        triage_client, referral, "reopen", "Say why the referral is being reopened.", reason=""
    )
    assert response.context["reopen_form"].errors["reason"]


def test_an_open_referral_cannot_be_reopened(triage_client, referral_in):
    referral = referral_in("screening")
    refused(
        triage_client, referral, "reopen", "Only a closed referral can be reopened.", reason="New concern."
    )


def test_an_action_without_a_version_is_refused(triage_client, referral):
    refused(
        triage_client, referral, "transition", "This field is required.", to_state="screening", version=""
    )


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("transition", {"to_state": "screening"}),
        ("assign_to_me", {}),
    ],
)
def test_a_stale_version_is_refused_on_a_received_referral(triage_client, referral, action, data):
    message = STALE if action != "assign_to_me" else "someone else changed it. Reload the page."
    refused(triage_client, referral, action, message, version=referral.version - 1, **data)


def test_a_rating_from_a_page_opened_before_someone_elses_change_is_refused(triage_client, cast, referral_in):
    referral = referral_in("screening")
    opened_at = referral.version
    services.referral_rate(referral=referral, by=cast.manager, rating="green", rationale="Low risk.")
    referral.refresh_from_db()
    refused(triage_client, referral, "rate", STALE, version=opened_at, rating="red", rationale="Injury.")
    referral.refresh_from_db()
    assert referral.rag == "green"


@pytest.mark.parametrize(
    ("state", "action", "data", "who"),
    [
        ("screening", "transition", {"to_state": "awaiting_threshold_decision", "note": "Clear."}, "triage"),
        (
            "awaiting_threshold_decision",
            "outcome",
            {"outcome": "nfa", "rationale": "None."},
            "decision_maker",
        ),
        ("decided", "close", {"feedback_note": "Phoned."}, "triage"),
        ("closed", "reopen", {"reason": "New concern."}, "triage"),
    ],
)
def test_a_stale_version_is_refused_for_every_action(client, cast, referral_in, state, action, data, who):
    referral = referral_in(state)
    client.force_login(getattr(cast, who))
    refused(client, referral, action, STALE, version=referral.version - 1, **data)


def test_the_failed_action_page_shows_the_current_referral(triage_client, cast, referral_in):
    referral = referral_in("screening")
    services.referral_rate(referral=referral, by=cast.manager, rating="green", rationale="Low risk.")
    response = act(triage_client, referral, "rate", rating="red", rationale="Injury.")
    assert response.status_code == 400
    assert response.context["referral"].rag == "green"
    assert "Error: Referral" in response.content.decode()


def test_a_referral_goes_from_received_to_closed_and_back_through_its_page(client, cast, referral):
    client.force_login(cast.triage)

    def step(action, lands="referrals:detail", **data):
        referral.refresh_from_db()
        response = act(client, referral, action, **data)
        assert response.status_code == 302, (action, response.content.decode()[:3000])
        assert response.url == reverse(lands, args=[referral.pk])
        referral.refresh_from_db()
        return referral

    step("transition", to_state="screening")
    assert (referral.state, referral.assigned_to) == ("screening", cast.triage)

    step("rate", rating="amber", rationale="Bruising on the arm.")
    assert (referral.rag, referral.rag_rationale) == ("amber", "Bruising on the arm.")
    step("rate", rating="red", rationale="A second bruise found.")
    assert [(r.previous, r.rating) for r in referral.rag_history.order_by("pk")] == [
        ("", "amber"),
        ("amber", "red"),
    ]

    # Information gathering starts with asking the partner agencies: the user lands on that page.
    step("transition", lands="referrals:ask", to_state="information_gathering")
    assert referral.state == "information_gathering"
    asking = client.get(reverse("referrals:ask", args=[referral.pk]))
    assert asking.status_code == 200 and referral.reference in asking.content.decode()
    step("transition", to_state="awaiting_threshold_decision", note="Police and health have replied.")
    assert referral.state == "awaiting_threshold_decision"

    client.force_login(cast.decision_maker)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Record outcome" in page and "Save rating" not in page
    step("outcome", outcome="strategy_discussion", rationale="Likely non-accidental injury.")
    assert (referral.state, referral.outcome, referral.outcome_by) == (
        "decided",
        "strategy_discussion",
        cast.decision_maker,
    )
    assert referral.decision_clock.stopped_at is not None

    client.force_login(cast.triage)
    step("close", feedback_note="")
    assert referral.state == "closed" and referral.closed_at is not None
    feedback = Notification.objects.get(address=REFERRER_EMAIL)
    assert feedback.event == "referral.feedback"
    assert feedback.subject_id == str(referral.pk)
    assert feedback.title == f"Your referral {referral.reference}"
    assert "A strategy discussion will be held" in feedback.body
    assert "Ann" not in feedback.body  # e-mail is not secure: the subject is not named

    step("reopen", reason="The referrer called with new information.")
    assert (referral.state, referral.outcome, referral.closed_at) == ("screening", "", None)

    kinds = list(referral.timeline.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == [
        EventKind.RECEIVED,
        EventKind.TRANSITION,
        EventKind.RAG,
        EventKind.RAG,
        EventKind.TRANSITION,
        EventKind.TRANSITION,
        EventKind.OUTCOME,
        EventKind.FEEDBACK,
        EventKind.TRANSITION,
        EventKind.REOPENED,
    ]
    page = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert "Referral reopened." in page.content.decode()


def test_ready_for_decision_straight_from_screening_with_a_note(triage_client, referral_in):
    referral = referral_in("screening")
    response = act(
        triage_client, referral, "transition", to_state="awaiting_threshold_decision", note="Known family."
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "awaiting_threshold_decision"
    assert referral.timeline.order_by("-pk").first().note == "Known family."


def test_the_triage_practitioner_assigns_the_referral_to_themselves(triage_client, cast, referral):
    response = act(triage_client, referral, "assign_to_me")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.assigned_to == cast.triage
    assert referral.timeline.filter(kind=EventKind.ASSIGNED).count() == 1


def test_a_decision_maker_may_not_assign_referrals(client, cast, referral):
    client.force_login(cast.decision_maker)
    assert "Assign to me" not in client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    refused(client, referral, "assign_to_me", "The referral could not be assigned to you")


def test_closing_without_an_email_records_how_the_referrer_was_told(triage_client, referral_in):
    referral = referral_in("decided", referrer_email="")
    response = act(triage_client, referral, "close", feedback_note="Told the referrer by phone.")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "closed"
    assert referral.timeline.get(kind=EventKind.FEEDBACK).note == "Told the referrer by phone."
    assert not Notification.objects.exists()


def test_an_adult_referral_offers_the_adult_outcomes(client, cast, referral_in):
    referral = referral_in("awaiting_threshold_decision", kind="adult", adult_wishes="To stay at home.")
    client.force_login(cast.decision_maker)
    body = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Section 42 enquiry" in body
    assert "Early help" not in body
    response = act(client, referral, "outcome", outcome="s42_enquiry", rationale="Care Act duty met.")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "s42_enquiry"


def test_a_person_s_earlier_records_show_the_five_most_recent_and_say_how_many_more(triage_client, cast):
    from tests.referrals_pages.builders import make_referral

    first = make_referral(cast)
    person = first.subjects.get().person
    for _ in range(6):
        make_referral(cast, subjects=[services.SubjectInput(person=person)])
    latest = make_referral(cast, subjects=[services.SubjectInput(person=person)])

    body = triage_client.get(reverse("referrals:detail", args=[latest.pk])).content.decode()

    assert body.count(": Referral <a") == 5
    assert f"See all 7 earlier records of {person.full_name}" in body
    assert first.reference not in body  # the oldest is on the person's page only
