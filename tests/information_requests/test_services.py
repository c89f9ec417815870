"""The information request services: send, claim, answer, submit, addendum, withdraw."""

import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from mash.agencies.roles import Role
from mash.clocks.calendar import due_after
from mash.notifications.models import Channel, Notification
from mash.sharing import policy
from referrals import services
from referrals.models import (
    EventKind,
    InformationRequest,
    Referral,
    RequestStatus,
    ResponseEntry,
    State,
    TimelineEvent,
)
from referrals.requests import services as request_services
from referrals.requests.services import EntryInput, RequestInput
from tests.factories import PersonFactory, member
from tests.information_requests.support import (
    BOTH_CHANNELS,
    answer,
    ask,
    channels_of,
    health_entry,
    nothing_known,
    notifications,
    police_entry,
    referral_in,
    subjects_of,
)

pytestmark = pytest.mark.django_db


def refusal(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value


def errors_of(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}


# --- Sending -------------------------------------------------------------------------------------


def test_it_sends_one_request_per_agency(cast, gathering):
    sent = ask(gathering, cast.triage, cast.police, cast.health)

    assert len(sent) == 2
    rows = InformationRequest.objects.filter(referral=gathering).order_by("agency__name")
    assert [(r.agency, r.status, r.sent_by) for r in rows] == [
        (cast.police, RequestStatus.OPEN, cast.triage),
        (cast.health, RequestStatus.OPEN, cast.triage),
    ]
    assert {r.questions for r in rows} == {"What do you know about this family?"}


def test_it_strips_the_questions(cast, gathering):
    (sent,) = request_services.information_requests_send(
        referral=gathering,
        by=cast.triage,
        requests=[RequestInput(agency=cast.police, questions="  Any PNC?  ")],
    )
    sent.refresh_from_db()
    assert sent.questions == "Any PNC?"


def test_it_refuses_a_referral_not_in_information_gathering(cast):
    screening = referral_in(cast, state="screening")

    with pytest.raises(ValidationError, match="information gathering"):
        ask(screening, cast.triage, cast.police)
    assert not InformationRequest.objects.exists()


def test_it_refuses_a_referral_rated_blue(cast, gathering):
    services.referral_rate(referral=gathering, by=cast.triage, rating="blue", rationale="Not to be shared.")

    with pytest.raises(ValidationError, match="Blue"):
        ask(gathering, cast.triage, cast.police)
    assert not InformationRequest.objects.exists()


def test_it_refuses_a_referral_that_is_not_rated(cast, gathering):
    # The services never leave a referral in information gathering unrated; older data might be.
    Referral.objects.filter(pk=gathering.pk).update(rag="", rag_rationale="")

    with pytest.raises(ValidationError, match="not rated"):
        ask(gathering, cast.triage, cast.police)
    assert not InformationRequest.objects.exists()


def test_it_refuses_anyone_but_the_lead_agencys_triage(cast, gathering):
    for user in (cast.police_researcher, cast.decision_maker, cast.outsider):
        with pytest.raises(ValidationError, match="triage practitioners"):
            ask(gathering, user, cast.police)
    assert not InformationRequest.objects.exists()


def test_a_mash_manager_of_the_lead_agency_may_send(cast, gathering):
    assert len(ask(gathering, cast.manager, cast.police)) == 1


def test_it_refuses_empty_questions_and_names_the_row(cast, gathering):
    exc = refusal(
        request_services.information_requests_send,
        referral=gathering,
        by=cast.triage,
        requests=[
            RequestInput(agency=cast.police, questions="Any intelligence?"),
            RequestInput(agency=cast.health, questions="   "),
        ],
    )
    assert list(errors_of(exc)) == ["questions-1"]
    assert "Integrated Care Board" in errors_of(exc)["questions-1"][0]
    assert not InformationRequest.objects.exists(), "nothing is sent when one row is wrong"


def test_it_refuses_no_agency_at_all(cast, gathering):
    exc = refusal(request_services.information_requests_send, referral=gathering, by=cast.triage, requests=[])
    assert "agencies" in errors_of(exc)


def test_it_refuses_to_ask_the_lead_agency_itself(cast, gathering):
    with pytest.raises(ValidationError) as caught:
        ask(gathering, cast.triage, cast.lead)
    assert "lead agency" in errors_of(caught.value)["agencies"][0]
    assert not InformationRequest.objects.exists()


def test_it_refuses_the_same_agency_twice_in_one_send(cast, gathering):
    with pytest.raises(ValidationError) as caught:
        ask(gathering, cast.triage, cast.police, cast.police)
    assert "chosen twice" in errors_of(caught.value)["agencies"][0]
    assert not InformationRequest.objects.exists()


def test_it_refuses_an_agency_already_asked(cast, gathering):
    ask(gathering, cast.triage, cast.police)

    with pytest.raises(ValidationError) as caught:
        ask(gathering, cast.triage, cast.health, cast.police)
    assert errors_of(caught.value)["agencies"] == ["Already asked: Constabulary."]
    assert list(InformationRequest.objects.values_list("agency", flat=True)) == [cast.police.pk]


def test_it_refuses_a_stale_version_of_the_referral(cast, gathering):
    with pytest.raises(ValidationError, match="changed this referral"):
        request_services.information_requests_send(
            referral=gathering,
            by=cast.triage,
            requests=[RequestInput(agency=cast.police, questions="Any?")],
            expected_version=gathering.version - 1,
        )


@pytest.mark.parametrize(
    "rag, timescale",
    [("red", {"working_hours": 4}), ("amber", {"working_days": 1}), ("green", {"working_days": 3})],
)
def test_the_due_time_follows_the_rag_timescale(cast, gathering, rag, timescale):
    if rag != gathering.rag:
        services.referral_rate(referral=gathering, by=cast.triage, rating=rag, rationale="Re-rated.")
    before = timezone.now()
    (sent,) = ask(gathering, cast.triage, cast.police)
    after = timezone.now()

    clock = InformationRequest.objects.select_related("clock").get(pk=sent.pk).clock
    assert before <= clock.started_at <= after
    assert clock.started_at == sent.sent_at
    assert clock.due_at == due_after(clock.started_at, **timescale)
    assert clock.stopped_at is None
    # The inbox's copy of the due time (test_inbox_order.py), saved with the request.
    assert sent.due_at == clock.due_at
    assert InformationRequest.objects.get(pk=sent.pk).due_at == clock.due_at


def test_the_asked_agency_is_granted_the_request_the_referral_and_its_subjects(cast, gathering):
    records = lambda request: [request, gathering, *subjects_of(gathering)]  # noqa: E731
    (police_request,) = ask(gathering, cast.triage, cast.police)

    assert [policy.can_view(cast.police_researcher, r) for r in records(police_request)] == [True] * 4
    assert [policy.can_view(cast.police_decision_maker, r) for r in records(police_request)] == [True] * 4
    assert [policy.can_view(cast.health_researcher, r) for r in records(police_request)] == [False] * 4
    assert [policy.can_view(cast.outsider, r) for r in records(police_request)] == [False] * 4


def test_nothing_is_visible_to_an_agency_before_it_is_asked(cast, gathering):
    assert not policy.can_view(cast.police_researcher, gathering)
    assert not any(policy.can_view(cast.police_researcher, p) for p in subjects_of(gathering))


def test_sending_writes_a_timeline_note_and_bumps_the_version(cast, gathering):
    version = gathering.version

    ask(gathering, cast.triage, cast.health, cast.police)

    gathering.refresh_from_db()
    assert gathering.version == version + 1
    note = TimelineEvent.objects.filter(referral=gathering, kind=EventKind.NOTE).get()
    assert note.by == cast.triage
    assert note.note == "Information requested from Integrated Care Board, Constabulary"


def test_every_researcher_of_the_agency_is_notified_once_in_app_and_by_email(
    cast, gathering, django_capture_on_commit_callbacks
):
    researchers = [
        cast.police_researcher,
        member(cast.police, Role.AGENCY_RESEARCHER),
        member(cast.police, Role.AGENCY_RESEARCHER),
    ]

    with django_capture_on_commit_callbacks() as callbacks:
        (sent,) = ask(gathering, cast.triage, cast.police)

    for researcher in researchers:
        assert channels_of(researcher, "information_request.sent") == BOTH_CHANNELS
        row = notifications(researcher, "information_request.sent", Channel.IN_APP).get()
        assert row.url == f"/referrals/requests/{sent.pk}/"
        assert gathering.reference in row.title
    assert Notification.objects.filter(event="information_request.sent").count() == 6, "nobody else is told"
    for other in (cast.health_researcher, cast.police_decision_maker, cast.triage, cast.outsider):
        assert not Notification.objects.filter(recipient=other).exists()
    assert len(callbacks) == 1, "delivery is enqueued once, after commit"


# --- Claiming ------------------------------------------------------------------------------------


@pytest.fixture
def police_request(cast, gathering):
    (sent,) = ask(gathering, cast.triage, cast.police)
    return sent


@pytest.fixture
def second_researcher(cast):
    return member(cast.police, Role.AGENCY_RESEARCHER, first_name="Priya", last_name="Shah")


def test_a_researcher_of_the_asked_agency_claims_the_request(cast, police_request):
    version = police_request.version

    claimed = request_services.information_request_claim(request=police_request, by=cast.police_researcher)

    assert claimed.assigned_to == cast.police_researcher
    assert claimed.version == version + 1


def test_only_a_researcher_of_the_asked_agency_may_claim(cast, police_request):
    for user in (cast.health_researcher, cast.police_decision_maker, cast.triage, cast.outsider):
        with pytest.raises(ValidationError, match="Only a researcher"):
            request_services.information_request_claim(request=police_request, by=user)
    police_request.refresh_from_db()
    assert police_request.assigned_to is None


def test_a_second_claim_reassigns_an_open_request(cast, police_request, second_researcher):
    request_services.information_request_claim(request=police_request, by=cast.police_researcher)

    claimed = request_services.information_request_claim(request=police_request, by=second_researcher)

    assert claimed.assigned_to == second_researcher


def test_a_claim_is_refused_once_answered(cast, police_request, second_researcher):
    request_services.information_request_claim(request=police_request, by=cast.police_researcher)
    answer(police_request, cast.police_researcher)

    with pytest.raises(ValidationError, match="no longer open"):
        request_services.information_request_claim(request=police_request, by=second_researcher)
    police_request.refresh_from_db()
    assert police_request.assigned_to == cast.police_researcher


# --- Entries -------------------------------------------------------------------------------------


@pytest.fixture
def health_request(cast, gathering):
    (sent,) = ask(gathering, cast.triage, cast.health)
    return sent


def add(request, by, data):
    return request_services.response_entry_add(request=request, by=by, data=data)


def test_an_entry_needs_a_summary_and_a_source(cast, health_request, person):
    with pytest.raises(ValidationError) as caught:
        add(health_request, cast.health_researcher, EntryInput(person_id=person.pk))
    assert set(errors_of(caught.value)) == {"summary", "source_system"}
    assert not ResponseEntry.objects.exists()


def test_nothing_known_needs_neither_summary_nor_source(cast, health_request, person):
    entry = add(health_request, cast.health_researcher, nothing_known(person))
    assert entry.nothing_known and entry.summary == "" and entry.author == cast.health_researcher


def test_a_health_entry_needs_no_police_grading(cast, health_request, person):
    entry = add(health_request, cast.health_researcher, health_entry(person))
    assert (entry.source_evaluation, entry.intelligence_assessment, entry.handling_code) == ("", "", "")


def test_a_police_entry_needs_the_3x5x2_grading(cast, police_request, person):
    with pytest.raises(ValidationError) as caught:
        add(
            police_request,
            cast.police_researcher,
            EntryInput(person_id=person.pk, source_system="PNC", summary="Arrest 2024"),
        )
    assert set(errors_of(caught.value)) == {"source_evaluation", "intelligence_assessment", "handling_code"}


def test_a_police_nothing_known_needs_no_grading(cast, police_request, person):
    assert add(police_request, cast.police_researcher, nothing_known(person)).nothing_known


def test_handling_code_c_needs_its_conditions(cast, police_request, person):
    with pytest.raises(ValidationError) as caught:
        add(police_request, cast.police_researcher, police_entry(person, handling_code="C"))
    assert list(errors_of(caught.value)) == ["handling_conditions"]

    entry = add(
        police_request,
        cast.police_researcher,
        police_entry(person, handling_code="C", handling_conditions="  Not to be shared with the family. "),
    )
    entry.refresh_from_db()
    assert (entry.handling_code, entry.handling_conditions) == ("C", "Not to be shared with the family.")


def test_an_invalid_grading_is_refused(cast, police_request, person):
    with pytest.raises(ValidationError) as caught:
        add(police_request, cast.police_researcher, police_entry(person, source_evaluation="4"))
    assert "source_evaluation" in errors_of(caught.value)


def test_an_entry_must_be_about_a_subject_of_the_referral(cast, police_request):
    stranger = PersonFactory()
    with pytest.raises(ValidationError) as caught:
        add(police_request, cast.police_researcher, police_entry(stranger))
    assert list(errors_of(caught.value)) == ["person"]


def test_only_the_asked_agencys_researchers_may_add_entries(cast, police_request, person):
    for user in (cast.health_researcher, cast.police_decision_maker, cast.triage, cast.outsider):
        with pytest.raises(ValidationError, match="Only a researcher"):
            add(police_request, user, police_entry(person))
    assert not ResponseEntry.objects.exists()


@pytest.mark.parametrize("data", [police_entry, nothing_known], ids=["a graded entry", "nothing known"])
def test_a_date_of_the_information_in_the_future_is_refused(cast, police_request, person, data):
    tomorrow = timezone.localdate() + timedelta(days=1)
    entry = replace(data(person), information_date=tomorrow)
    with pytest.raises(ValidationError) as caught:
        add(police_request, cast.police_researcher, entry)
    assert errors_of(caught.value) == {
        "information_date": ["Date of the information must be today or in the past."]
    }
    assert not ResponseEntry.objects.filter(request=police_request).exists()


def test_adding_an_entry_bumps_the_version_and_a_stale_version_is_refused(cast, police_request, person):
    version = police_request.version
    add(police_request, cast.police_researcher, police_entry(person))
    police_request.refresh_from_db()
    assert police_request.version == version + 1

    with pytest.raises(ValidationError, match="changed this request"):
        request_services.response_entry_add(
            request=police_request,
            by=cast.police_researcher,
            data=nothing_known(person),
            expected_version=version,
        )


def test_no_entry_may_be_added_after_submission(cast, police_request, person):
    answer(police_request, cast.police_researcher)

    with pytest.raises(ValidationError, match="addendum"):
        add(police_request, cast.police_researcher, police_entry(person))
    assert ResponseEntry.objects.filter(request=police_request).count() == 2


def test_an_entry_is_removed_while_the_answer_is_open(cast, police_request, person):
    entry = add(police_request, cast.police_researcher, police_entry(person))
    police_request.refresh_from_db()
    version = police_request.version

    request_services.response_entry_remove(entry=entry, by=cast.police_researcher)

    assert not ResponseEntry.objects.filter(pk=entry.pk).exists()
    police_request.refresh_from_db()
    assert police_request.version == version + 1


def test_another_agency_may_not_remove_an_entry(cast, police_request, person):
    entry = add(police_request, cast.police_researcher, police_entry(person))

    with pytest.raises(ValidationError, match="Only a researcher"):
        request_services.response_entry_remove(entry=entry, by=cast.health_researcher)
    assert ResponseEntry.objects.filter(pk=entry.pk).exists()


def test_an_entry_cannot_be_removed_after_submission(cast, police_request):
    answer(police_request, cast.police_researcher)
    entry = police_request.entries.first()

    with pytest.raises(ValidationError, match="cannot be changed"):
        request_services.response_entry_remove(entry=entry, by=cast.police_researcher)
    assert ResponseEntry.objects.filter(pk=entry.pk).exists()


# --- Submitting ----------------------------------------------------------------------------------


def submit(request, by, **kwargs):
    return request_services.information_request_submit(request=request, by=by, **kwargs)


def test_submitting_needs_an_entry_for_every_subject_and_names_who_is_missing(cast, police_request, person):
    add(police_request, cast.police_researcher, police_entry(person))

    with pytest.raises(ValidationError) as caught:
        submit(police_request, cast.police_researcher)
    assert caught.value.messages == ["Add an entry, or 'nothing known', for: Amelia Smith."]
    police_request.refresh_from_db()
    assert police_request.status == RequestStatus.OPEN


def test_submitting_with_no_entry_names_every_subject(cast, police_request):
    with pytest.raises(ValidationError, match="Jayden Smith, Amelia Smith"):
        submit(police_request, cast.police_researcher)


def test_only_the_asked_agencys_researcher_may_submit(cast, police_request):
    answer(police_request, cast.police_researcher, submit=False)

    with pytest.raises(ValidationError, match="Only a researcher"):
        submit(police_request, cast.health_researcher)
    police_request.refresh_from_db()
    assert police_request.status == RequestStatus.OPEN


def test_submitting_in_time_stops_the_clock_and_meets_it(cast, police_request):
    before = timezone.now()
    answered = answer(police_request, cast.police_researcher)

    assert answered.status == RequestStatus.ANSWERED
    assert answered.answered_by == cast.police_researcher
    assert answered.answered_at >= before
    clock = answered.clock
    clock.refresh_from_db()
    assert clock.stopped_at == answered.answered_at
    assert clock.met is True
    assert clock.breached_at is None


def test_submitting_late_records_the_breach(cast, police_request):
    from mash.clocks.models import Clock

    started = timezone.now() - timezone.timedelta(days=10)
    Clock.objects.filter(pk=police_request.clock_id).update(
        started_at=started, due_at=started + timezone.timedelta(hours=4)
    )

    answered = answer(police_request, cast.police_researcher)

    clock = answered.clock
    clock.refresh_from_db()
    assert clock.met is False
    assert clock.breached_at == answered.answered_at


def test_submitting_notifies_the_referrals_lead_practitioner(cast, gathering, police_request):
    assignee = member(cast.lead, Role.TRIAGE_PRACTITIONER)
    services.referral_assign(referral=gathering, by=cast.triage, assignee=assignee)

    answer(police_request, cast.police_researcher)

    assert channels_of(assignee, "information_request.answered") == BOTH_CHANNELS
    row = notifications(assignee, "information_request.answered", Channel.IN_APP).get()
    assert row.url == f"/referrals/{gathering.pk}/collation/"
    assert "Constabulary" in row.title
    assert Notification.objects.filter(event="information_request.answered").count() == 2, "only the assignee"


def test_an_unassigned_referrals_answer_is_told_to_every_triage_practitioner(cast, gathering, police_request):
    colleague = member(cast.lead, Role.TRIAGE_PRACTITIONER)
    services.referral_assign(referral=gathering, by=cast.triage, assignee=None)

    answer(police_request, cast.police_researcher)

    for practitioner in (cast.triage, colleague):
        assert channels_of(practitioner, "information_request.answered") == BOTH_CHANNELS
    assert not notifications(cast.decision_maker, "information_request.answered").exists()


def test_a_submitted_answer_is_locked(cast, police_request, person):
    answer(police_request, cast.police_researcher)

    with pytest.raises(ValidationError, match="submitted"):
        add(police_request, cast.police_researcher, police_entry(person))
    with pytest.raises(ValidationError, match="answered; it cannot be submitted"):
        submit(police_request, cast.police_researcher)


def test_when_the_only_request_is_answered_the_referral_awaits_the_threshold_decision(
    cast, gathering, police_request
):
    version = Referral.objects.get(pk=gathering.pk).version

    answer(police_request, cast.police_researcher)

    gathering.refresh_from_db()
    assert gathering.state == State.AWAITING_THRESHOLD_DECISION
    assert gathering.version > version
    move = TimelineEvent.objects.get(referral=gathering, to_state=State.AWAITING_THRESHOLD_DECISION)
    assert (move.kind, move.from_state, move.by) == (EventKind.TRANSITION, State.INFORMATION_GATHERING, None)
    assert move.note == "Every partner agency has answered"
    assert TimelineEvent.objects.filter(referral=gathering, note="Constabulary answered").exists()


def test_with_two_agencies_asked_the_referral_waits_for_both(cast, gathering):
    police_request, health_request = sorted(
        ask(gathering, cast.triage, cast.police, cast.health), key=lambda r: r.agency.name
    )

    answer(police_request, cast.police_researcher)
    gathering.refresh_from_db()
    assert gathering.state == State.INFORMATION_GATHERING

    answer(health_request, cast.health_researcher)
    gathering.refresh_from_db()
    assert gathering.state == State.AWAITING_THRESHOLD_DECISION
    assert (
        TimelineEvent.objects.filter(referral=gathering, to_state=State.AWAITING_THRESHOLD_DECISION).count()
        == 1
    )


def test_a_withdrawn_request_is_not_waited_for(cast, gathering):
    police_request, health_request = sorted(
        ask(gathering, cast.triage, cast.police, cast.health), key=lambda r: r.agency.name
    )
    request_services.information_request_withdraw(
        request=health_request, by=cast.triage, reason="Not needed now."
    )

    answer(police_request, cast.police_researcher)

    gathering.refresh_from_db()
    assert gathering.state == State.AWAITING_THRESHOLD_DECISION


def test_of_two_researchers_submitting_the_same_version_the_second_is_told_and_nothing_is_lost(
    cast, police_request, second_researcher
):
    answer(police_request, cast.police_researcher, submit=False)
    police_request.refresh_from_db()
    version = police_request.version
    entries = list(police_request.entries.values_list("pk", "summary", "author"))

    submit(police_request, cast.police_researcher, expected_version=version)
    with pytest.raises(ValidationError) as caught:
        submit(police_request, second_researcher, expected_version=version)

    message = caught.value.messages[0]
    assert cast.police_researcher.get_full_name() in message
    assert "changed this request since you opened it and submitted the answer" in message
    assert caught.value.code == "stale"
    police_request.refresh_from_db()
    assert police_request.answered_by == cast.police_researcher
    assert list(police_request.entries.values_list("pk", "summary", "author")) == entries


@pytest.mark.django_db(transaction=True)
def test_two_researchers_racing_to_submit_one_wins_and_the_other_is_told(cast, gathering):
    (police_request,) = ask(gathering, cast.triage, cast.police)
    second = member(cast.police, Role.AGENCY_RESEARCHER)
    answer(police_request, cast.police_researcher, submit=False)
    police_request.refresh_from_db()
    version = police_request.version
    start = threading.Barrier(2)
    outcomes = {}

    def submit_as(user):
        try:
            start.wait(timeout=10)
            request = InformationRequest.objects.get(pk=police_request.pk)
            request_services.information_request_submit(request=request, by=user, expected_version=version)
            outcomes[user.pk] = "submitted"
        except ValidationError as exc:
            outcomes[user.pk] = exc.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=submit_as, args=(u,)) for u in (cast.police_researcher, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values(), key=lambda v: v != "submitted")[0] == "submitted"
    losers = [v for v in outcomes.values() if v != "submitted"]
    assert len(outcomes) == 2 and len(losers) == 1, outcomes
    assert "changed this request since you opened it and submitted the answer" in losers[0]
    police_request.refresh_from_db()
    winner = next(pk for pk, v in outcomes.items() if v == "submitted")
    assert police_request.status == RequestStatus.ANSWERED
    assert police_request.answered_by_id == winner
    assert police_request.entries.count() == 2
    assert Notification.objects.filter(event="information_request.answered").count() == 2, "told once"


# --- Addenda -------------------------------------------------------------------------------------


def addendum(request, by, data, reason="The PNC check was incomplete."):
    return request_services.response_addendum_add(request=request, by=by, data=data, reason=reason)


def test_an_addendum_is_refused_while_the_answer_is_open(cast, police_request, person):
    with pytest.raises(ValidationError, match="can still be edited"):
        addendum(police_request, cast.police_researcher, police_entry(person))
    assert not ResponseEntry.objects.exists()


def test_an_addendum_needs_a_reason(cast, police_request, person):
    answer(police_request, cast.police_researcher)

    with pytest.raises(ValidationError) as caught:
        addendum(police_request, cast.police_researcher, police_entry(person), reason="  ")
    assert list(errors_of(caught.value)) == ["reason"]
    assert not ResponseEntry.objects.filter(is_addendum=True).exists()


def test_an_addendum_is_a_new_entry_and_leaves_the_answer_as_submitted(
    cast, gathering, police_request, person
):
    answer(police_request, cast.police_researcher)
    original = list(ResponseEntry.objects.order_by("pk").values())

    entry = addendum(
        police_request, cast.police_researcher, police_entry(person, summary="Further arrest, March 2025")
    )

    entry.refresh_from_db()
    assert entry.is_addendum
    assert entry.addendum_reason == "The PNC check was incomplete."
    assert list(ResponseEntry.objects.exclude(pk=entry.pk).order_by("pk").values()) == original
    police_request.refresh_from_db()
    assert police_request.status == RequestStatus.ANSWERED
    assert TimelineEvent.objects.filter(
        referral=gathering, note="Constabulary added to its answer: The PNC check was incomplete."
    ).exists()


def test_an_addendum_notifies_the_lead_practitioner(cast, gathering, police_request, person):
    answer(police_request, cast.police_researcher)

    addendum(police_request, cast.police_researcher, police_entry(person))

    gathering.refresh_from_db()
    assert gathering.assigned_to == cast.triage
    assert channels_of(cast.triage, "information_request.addendum") == BOTH_CHANNELS


def test_an_addendum_still_needs_the_police_grading(cast, police_request, person):
    answer(police_request, cast.police_researcher)

    with pytest.raises(ValidationError) as caught:
        addendum(police_request, cast.police_researcher, police_entry(person, handling_code=""))
    assert list(errors_of(caught.value)) == ["handling_code"]


def test_another_agency_may_not_add_an_addendum(cast, police_request, person):
    answer(police_request, cast.police_researcher)

    with pytest.raises(ValidationError, match="Only a researcher"):
        addendum(police_request, cast.health_researcher, health_entry(person))


# --- Withdrawal ----------------------------------------------------------------------------------


def withdraw(request, by, reason="The family has moved out of the area."):
    return request_services.information_request_withdraw(request=request, by=by, reason=reason)


def test_withdrawing_needs_a_reason(cast, police_request):
    with pytest.raises(ValidationError) as caught:
        withdraw(police_request, cast.triage, reason=" ")
    assert list(errors_of(caught.value)) == ["reason"]
    police_request.refresh_from_db()
    assert police_request.status == RequestStatus.OPEN


def test_only_the_lead_agencys_triage_may_withdraw(cast, police_request):
    with pytest.raises(ValidationError, match="triage practitioners"):
        withdraw(police_request, cast.police_researcher)


def test_withdrawing_stops_the_clock_and_records_who_and_why(cast, police_request):
    withdrawn = withdraw(police_request, cast.triage)

    assert withdrawn.status == RequestStatus.WITHDRAWN
    assert (withdrawn.withdrawn_by, withdrawn.withdrawal_reason) == (
        cast.triage,
        "The family has moved out of the area.",
    )
    clock = withdrawn.clock
    clock.refresh_from_db()
    assert clock.stopped_at == withdrawn.withdrawn_at


def test_a_request_is_withdrawn_once(cast, police_request):
    withdraw(police_request, cast.triage)
    with pytest.raises(ValidationError, match="already been withdrawn"):
        withdraw(police_request, cast.triage)


def test_the_withdrawn_agency_loses_sight_of_the_request_the_referral_and_the_subjects(cast, gathering):
    police_request, health_request = sorted(
        ask(gathering, cast.triage, cast.police, cast.health), key=lambda r: r.agency.name
    )
    people = subjects_of(gathering)

    withdraw(police_request, cast.triage)

    for record in (police_request, gathering, *people):
        assert not policy.can_view(cast.police_researcher, record), record
        assert not policy.can_view(cast.police_decision_maker, record), record
    for record in (health_request, gathering, *people):
        assert policy.can_view(cast.health_researcher, record), "the other agency keeps its sight"


def test_the_agency_keeps_sight_of_a_person_it_is_still_asked_about_elsewhere(cast, gathering, person):
    (first,) = ask(gathering, cast.triage, cast.police)
    other_referral = referral_in(cast, state="information_gathering", people=[person])
    (second,) = ask(other_referral, cast.triage, cast.police)

    withdraw(first, cast.triage)

    assert policy.can_view(cast.police_researcher, second)
    assert policy.can_view(cast.police_researcher, other_referral)
    assert policy.can_view(cast.police_researcher, person), (
        "still asked about this person on the other referral"
    )


def test_the_withdrawn_agencys_researchers_are_told(cast, police_request, second_researcher):
    withdraw(police_request, cast.triage)

    for researcher in (cast.police_researcher, second_researcher):
        assert channels_of(researcher, "information_request.withdrawn") == BOTH_CHANNELS
    row = notifications(cast.police_researcher, "information_request.withdrawn", Channel.IN_APP).get()
    assert "The family has moved out of the area." in row.body
    assert not Notification.objects.filter(
        event="information_request.withdrawn", recipient=cast.health_researcher
    )


def test_a_withdrawn_agency_can_be_asked_again(cast, gathering, police_request):
    withdraw(police_request, cast.triage)

    (again,) = ask(gathering, cast.triage, cast.police)

    assert again.pk != police_request.pk and again.status == RequestStatus.OPEN
    assert policy.can_view(cast.police_researcher, again)
    assert policy.can_view(cast.police_researcher, gathering)
    assert all(policy.can_view(cast.police_researcher, p) for p in subjects_of(gathering))
    assert not policy.can_view(cast.police_researcher, police_request), "the old request stays withdrawn"
    assert notifications(cast.police_researcher, "information_request.sent").count() == 4, "one per request"
