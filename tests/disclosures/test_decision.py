"""The multi-agency forum, the decision (lawful, necessary, proportionate), no disclosure, and the
disclosure that writes the dissemination log."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from disclosures import services
from disclosures.models import (
    Application,
    Decision,
    DisclosureRecord,
    Outcome,
    PersonRole,
    ResearchPackage,
    Scheme,
    SectionKind,
    Stage,
)
from mash.agencies.roles import Role
from mash.common.ordering import when
from mash.sharing import policy
from mash.sharing.models import Dissemination, DisseminationMethod, LawfulBasis
from tests.factories import member

pytestmark = pytest.mark.django_db

WORDING = "Mark Taylor has a conviction for assaulting a former partner in 2021."

REASONS = {
    "lawful": "Common law power to disclose to prevent crime.",
    "necessary": "She is at risk of serious harm from him.",
    "proportionate": "Only the conviction is disclosed, to her alone.",
}


def _disclose(**overrides):
    values = {**REASONS, "disclose": True, "wording": WORDING, "recipient_name": "Sarah Jones"}
    values.update(overrides)
    return values


def _not_disclose(**overrides):
    values = {
        **REASONS,
        "disclose": False,
        "no_disclosure_reason": "The conviction is spent and unrelated to partners.",
        "applicant_told": "Told that no disclosure will be made, and given the helpline number.",
    }
    values.update(overrides)
    return values


@pytest.fixture
def at_decision(team, compiled):
    services.package_submit(package=compiled, by=team.researcher)
    application = Application.objects.get(pk=compiled.application_id)
    assert application.stage == Stage.DECISION
    return application


@pytest.fixture
def health_decision_maker(cast):
    return member(cast.health, Role.DECISION_MAKER, username="health.decision")


def _decision_refused(application, by, values, *, fields=()):
    with pytest.raises(ValidationError) as error:
        services.decision_record(application=application, by=by, **values)
    if fields:
        assert set(error.value.message_dict) == set(fields), error.value
    assert not Decision.objects.exists()
    application.refresh_from_db()
    assert application.stage == Stage.DECISION
    assert application.clock.stopped_at is None
    return error.value


# The decision's refusals.


def test_the_decision_needs_lawful_necessary_and_proportionate_reasoning(team, at_decision):
    _decision_refused(
        at_decision,
        team.decision_maker,
        _disclose(lawful=" ", necessary="", proportionate="\n"),
        fields=["lawful", "necessary", "proportionate"],
    )


@pytest.mark.parametrize("field", ["lawful", "necessary", "proportionate"])
def test_each_reason_is_named_when_missing(team, at_decision, field):
    _decision_refused(at_decision, team.decision_maker, _not_disclose(**{field: ""}), fields=[field])


def test_disclosing_needs_the_wording_and_the_recipient(team, at_decision):
    _decision_refused(
        at_decision,
        team.decision_maker,
        _disclose(wording="", recipient_name=" "),
        fields=["wording", "recipient_name"],
    )


def test_not_disclosing_needs_the_reason_and_what_the_applicant_was_told(team, at_decision):
    _decision_refused(
        at_decision,
        team.decision_maker,
        _not_disclose(no_disclosure_reason="", applicant_told=""),
        fields=["no_disclosure_reason", "applicant_told"],
    )


def test_right_to_know_has_no_applicant_to_tell(team, new_application):
    application = new_application(scheme=Scheme.RIGHT_TO_KNOW)
    services.initial_check_record(application=application, by=team.admin, immediate_risk=False, notes="None.")
    services.researcher_assign(application=application, by=team.admin, researcher=team.researcher)
    package = application.packages.get()
    for section in package.sections.all():
        services.section_update(section=section, by=team.researcher, nothing_found=True, note="Checked.")
    services.package_summary_update(package=package, by=team.researcher, summary="Nothing further.")
    services.package_submit(package=package, by=team.researcher)

    services.decision_record(
        application=application, by=team.decision_maker, **_not_disclose(applicant_told="")
    )

    application.refresh_from_db()
    assert application.outcome == Outcome.NOT_DISCLOSED


def test_a_forum_in_the_future_is_refused(team, at_decision):
    _decision_refused(
        at_decision,
        team.decision_maker,
        _disclose(forum_held_at=timezone.now() + timedelta(days=1)),
        fields=["forum_held_at"],
    )


@pytest.mark.parametrize(
    "who", ["decision_maker", "police_researcher", "data_admin", "health_researcher", "manager", "outsider"]
)
def test_only_a_police_decision_maker_decides(cast, at_decision, who):
    error = _decision_refused(at_decision, getattr(cast, who), _disclose())

    assert "police decision makers" in error.messages[0]


def test_there_is_nothing_to_decide_before_the_package_is_submitted(team, compiled):
    with pytest.raises(ValidationError):
        services.decision_record(application=compiled.application, by=team.decision_maker, **_disclose())

    assert not Decision.objects.exists()


def test_the_application_is_decided_once(team, at_decision):
    services.decision_record(application=at_decision, by=team.decision_maker, **_disclose())

    with pytest.raises(ValidationError):
        services.decision_record(application=at_decision, by=team.decision_maker, **_not_disclose())

    assert Decision.objects.get().disclose is True


# The forum: the chosen agencies see the application while it is open, never the research package.


def test_the_forum_shows_the_application_to_the_chosen_agencies_but_never_the_package(
    cast, team, at_decision, health_decision_maker
):
    package = ResearchPackage.objects.get(application=at_decision)
    for user in (health_decision_maker, cast.health_researcher):
        assert not policy.can_view(user, at_decision)

    services.forum_open(application=at_decision, by=team.decision_maker, agencies=[cast.health])

    at_decision.refresh_from_db()
    assert at_decision.forum_open is True
    for user in (health_decision_maker, cast.health_researcher):
        assert policy.can_view(user, at_decision)
        assert list(policy.visible(user, Application.objects.all())) == [at_decision]
        assert not policy.can_view(user, package)
        assert not policy.visible(user, ResearchPackage.objects.all()).exists()
    # Agencies not chosen see nothing.
    for user in (cast.decision_maker, cast.triage, cast.outsider):
        assert not policy.can_view(user, at_decision)
        assert not policy.visible(user, Application.objects.all()).exists()


def test_the_decision_closes_the_forum_and_revokes_its_sight(cast, team, at_decision, health_decision_maker):
    services.forum_open(application=at_decision, by=team.decision_maker, agencies=[cast.health, cast.lead])

    decision = services.decision_record(
        application=at_decision,
        by=team.decision_maker,
        forum_held_at=timezone.now(),  # the application came in moments ago
        forum_participants="DS Smith (police), Dr Patel (ICB), J Brown (children's services)",
        forum_agencies=[cast.health, cast.lead],
        marac_referral=True,
        **_disclose(),
    )

    at_decision.refresh_from_db()
    assert at_decision.forum_open is False
    for user in (health_decision_maker, cast.health_researcher, cast.decision_maker):
        assert not policy.can_view(user, at_decision)
        assert not policy.visible(user, Application.objects.all()).exists()
    assert set(decision.forum_agencies.all()) == {cast.health, cast.lead}
    assert decision.marac_referral is True
    # The team still sees it.
    assert policy.can_view(team.admin, at_decision)


def test_the_forum_is_refused_before_the_package_is_submitted(cast, team, at_research):
    with pytest.raises(ValidationError):
        services.forum_open(application=at_research, by=team.decision_maker, agencies=[cast.health])

    at_research.refresh_from_db()
    assert at_research.forum_open is False
    assert not policy.can_view(cast.health_researcher, at_research)


def test_opening_the_forum_is_refused_without_agencies_or_by_anyone_else(cast, team, at_decision):
    with pytest.raises(ValidationError) as error:
        services.forum_open(application=at_decision, by=team.decision_maker, agencies=[])
    assert "agencies" in error.value.message_dict

    for user in (cast.decision_maker, team.researcher, team.admin, cast.health_researcher):
        with pytest.raises(ValidationError):
            services.forum_open(application=at_decision, by=user, agencies=[cast.health])

    at_decision.refresh_from_db()
    assert at_decision.forum_open is False
    assert not policy.can_view(cast.health_researcher, at_decision)


def test_withdrawing_during_the_forum_revokes_its_sight(cast, team, at_decision):
    services.forum_open(application=at_decision, by=team.decision_maker, agencies=[cast.health])

    services.application_withdraw(application=at_decision, by=team.admin, reason="The applicant withdrew.")

    assert not policy.can_view(cast.health_researcher, at_decision)


# No disclosure.


def test_no_disclosure_closes_the_application_with_the_reason(team, at_decision):
    decision = services.decision_record(application=at_decision, by=team.decision_maker, **_not_disclose())

    application = Application.objects.get(pk=at_decision.pk)
    assert application.stage == Stage.CLOSED
    assert application.outcome == Outcome.NOT_DISCLOSED
    assert application.closed_at == decision.decided_at
    assert application.closure_note == "The conviction is spent and unrelated to partners."
    assert decision.disclose is False and decision.decided_by == team.decision_maker
    assert decision.applicant_told.startswith("Told that no disclosure")
    assert decision.package == ResearchPackage.objects.get(application=application)
    assert not Dissemination.objects.exists()
    with pytest.raises(ValidationError):
        services.disclosure_record(
            application=application,
            by=team.decision_maker,
            disclosed_at=timezone.now(),
            place="Station",
            recipient_name="Sarah Jones",
            wording_used=WORDING,
            warning_given=True,
            warning_acknowledged=True,
            safety_plan="Plan.",
        )
    assert not Dissemination.objects.exists()


# The disclosure.


@pytest.fixture
def to_disclose(team, at_decision):
    services.decision_record(application=at_decision, by=team.decision_maker, **_disclose())
    at_decision.refresh_from_db()
    assert at_decision.stage == Stage.DISCLOSURE and at_decision.outcome == ""
    return at_decision


def _disclosure(**overrides):
    values = {
        "disclosed_at": timezone.now(),
        "place": "Ipswich police station, interview room 2",
        "recipient_name": "Sarah Jones",
        "recipient_relation": "His partner",
        "wording_used": WORDING,
        "warning_given": True,
        "warning_acknowledged": True,
        "safety_plan": "Referred to the domestic abuse service; panic alarm fitted.",
    }
    values.update(overrides)
    return values


def _disclosure_refused(application, by, values, *, fields=()):
    with pytest.raises(ValidationError) as error:
        services.disclosure_record(application=application, by=by, **values)
    if fields:
        assert set(error.value.message_dict) == set(fields), error.value
    assert not Dissemination.objects.exists()
    assert not DisclosureRecord.objects.exists()
    application.refresh_from_db()
    assert application.stage == Stage.DISCLOSURE
    return error.value


def test_the_confidentiality_warning_must_be_given_and_acknowledged(team, to_disclose):
    _disclosure_refused(
        to_disclose,
        team.decision_maker,
        _disclosure(warning_given=False, warning_acknowledged=False),
        fields=["warning_given", "warning_acknowledged"],
    )
    _disclosure_refused(
        to_disclose,
        team.decision_maker,
        _disclosure(warning_acknowledged=False),
        fields=["warning_acknowledged"],
    )


@pytest.mark.parametrize("field", ["place", "recipient_name", "wording_used", "safety_plan"])
def test_the_disclosure_needs_its_details(team, to_disclose, field):
    _disclosure_refused(to_disclose, team.decision_maker, _disclosure(**{field: "  "}), fields=[field])


def test_the_disclosure_cannot_be_in_the_future_or_before_the_decision(team, to_disclose):
    _disclosure_refused(
        to_disclose,
        team.decision_maker,
        _disclosure(disclosed_at=timezone.now() + timedelta(hours=1)),
        fields=["disclosed_at"],
    )
    _disclosure_refused(
        to_disclose,
        team.decision_maker,
        _disclosure(disclosed_at=to_disclose.decision.decided_at - timedelta(minutes=5)),
        fields=["disclosed_at"],
    )


@pytest.mark.parametrize("who", ["decision_maker", "health_researcher", "triage", "outsider", "manager"])
def test_only_the_police_disclosure_team_records_the_disclosure(cast, to_disclose, who):
    _disclosure_refused(to_disclose, getattr(cast, who), _disclosure())


def test_the_disclosure_writes_exactly_one_dissemination_and_closes_the_application(
    team, people, to_disclose
):
    disclosed_at = timezone.now()

    record = services.disclosure_record(
        application=to_disclose, by=team.admin, **_disclosure(disclosed_at=disclosed_at)
    )

    dissemination = Dissemination.objects.get()
    assert record.dissemination == dissemination
    assert dissemination.recipient_name == "Sarah Jones"
    assert "His partner" in dissemination.recipient_organisation
    assert WORDING in dissemination.what
    assert to_disclose.reference in dissemination.what
    assert dissemination.lawful_basis == LawfulBasis.POLICE_DPA_PART3
    assert dissemination.approved_by == team.decision_maker
    assert dissemination.disseminated_by == team.admin
    assert dissemination.method == DisseminationMethod.IN_PERSON
    assert dissemination.disseminated_at == disclosed_at
    assert dissemination.person == people["subject"]
    assert dissemination.person == to_disclose.people.get(role=PersonRole.SUBJECT).person
    assert dissemination.record == to_disclose
    assert dissemination.need.strip()

    record.refresh_from_db()
    assert (record.warning_given, record.warning_acknowledged) == (True, True)
    assert record.disclosed_by == team.admin and record.place.startswith("Ipswich")
    application = Application.objects.get(pk=to_disclose.pk)
    assert application.stage == Stage.CLOSED
    assert application.outcome == Outcome.DISCLOSED
    assert application.closed_at is not None


def test_a_disclosure_is_recorded_once(team, to_disclose):
    services.disclosure_record(application=to_disclose, by=team.decision_maker, **_disclosure())

    with pytest.raises(ValidationError):
        services.disclosure_record(application=to_disclose, by=team.decision_maker, **_disclosure())

    assert Dissemination.objects.count() == 1
    assert DisclosureRecord.objects.count() == 1


def test_a_package_returned_before_the_decision_is_not_what_was_decided_on(team, at_decision):
    v1 = ResearchPackage.objects.get(application=at_decision)
    v2 = services.package_return(package=v1, by=team.decision_maker, comments="Check custody again.")
    custody = v2.sections.get(kind=SectionKind.CUSTODY)
    services.section_update(section=custody, by=team.researcher, nothing_found=True, note="Checked again.")
    services.package_submit(package=v2, by=team.researcher)

    decision = services.decision_record(application=at_decision, by=team.decision_maker, **_disclose())

    assert decision.package == v2


def test_a_forum_before_the_application_was_received_names_the_time(team, at_decision):
    received = at_decision.received_at
    error = _decision_refused(
        at_decision,
        team.decision_maker,
        _disclose(forum_held_at=received - timedelta(hours=1)),
        fields=["forum_held_at"],
    )
    assert error.message_dict["forum_held_at"] == [
        f"The forum cannot be before the application was received ({when(received)})."
    ]


def test_a_disclosure_before_the_decision_names_the_decision_time(team, to_disclose):
    decided = to_disclose.decision.decided_at
    error = _disclosure_refused(
        to_disclose,
        team.decision_maker,
        _disclosure(disclosed_at=decided - timedelta(minutes=5)),
        fields=["disclosed_at"],
    )
    assert error.message_dict["disclosed_at"] == [
        f"The disclosure cannot be before the decision ({when(decided)})."
    ]
