"""Episodes: recording, risk re-grading with a rationale, the return (found, well-being), closure."""

from dataclasses import dataclass, replace
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from mash.agencies.selectors import actor_for
from mash.clocks.models import ClockBasis
from mash.clocks.services import clock_start
from mash.common.backdating import recorded_time_error
from mash.common.errors import require, require_role
from mash.common.ordering import order_error
from mash.common.versioning import lock_for_change, save_change
from mash.people.models import Person
from mash.people.services import PersonChoice, person_resolve
from mash.sharing.services import grant_view
from missing_persons import policy
from missing_persons.models import (
    Episode,
    EpisodeStatus,
    Indicator,
    ReporterKind,
    ReturnInterview,
    Risk,
    RiskGrading,
)

INTERVIEW_HOURS = 72  # statutory guidance on children who go missing
INTERVIEW_CLOCK = "return home interview"  # the clock's kind
LAST_SEEN_AFTER_REPORT = "They cannot be last seen after they were reported missing."
# What an episode's detail left out says (the page's form says the same: missing_persons/forms.py).
EPISODE_MISSING = {
    "reported_at": "Give when they were reported missing.",
    "last_seen_at": "Give when they were last seen.",
    "reported_by": "Say who reported them missing.",
    "reporter_kind": "Choose who reported them.",
    "last_seen_place": "Say where they were last seen.",
    "risk": "Grade the risk.",
    "risk_rationale": "Give the rationale for the risk grading.",
}


def _administer(by) -> None:
    require_role(
        policy.may_administer(actor_for(by)), "Only the police data administrators record missing episodes."
    )


@dataclass
class EpisodeInput:
    # Who is missing. ``episode_create`` takes a choice (a known person or their id, checked for the
    # recorder; or a new person's details); ``build_episode`` takes the person.
    person: Person | PersonChoice
    reported_at: datetime
    reported_by: str
    reporter_kind: str
    last_seen_at: datetime
    last_seen_place: str
    risk: str
    risk_rationale: str
    circumstances: str = ""
    police_reference: str = ""
    indicators: tuple[str, ...] = ()
    places: str = ""
    associates: str = ""


def episode_errors(data: EpisodeInput) -> dict[str, str]:
    """What is wrong with an episode's details, by field (the page, the API and the import share it)."""
    now = timezone.now()
    errors = {}
    if data.reported_at is None:
        errors["reported_at"] = EPISODE_MISSING["reported_at"]
    elif error := recorded_time_error(data.reported_at, the="The report", now=now):
        errors["reported_at"] = error
    if data.last_seen_at is None:
        errors["last_seen_at"] = EPISODE_MISSING["last_seen_at"]
    elif data.reported_at is not None and data.last_seen_at > data.reported_at:
        errors["last_seen_at"] = LAST_SEEN_AFTER_REPORT
    if not data.reported_by.strip():
        errors["reported_by"] = EPISODE_MISSING["reported_by"]
    if data.reporter_kind not in ReporterKind.values:
        errors["reporter_kind"] = "Choose who reported them: " + ", ".join(ReporterKind.values) + "."
    if not data.last_seen_place.strip():
        errors["last_seen_place"] = EPISODE_MISSING["last_seen_place"]
    if data.risk not in Risk.values:
        errors["risk"] = "Grade the risk: " + ", ".join(Risk.values) + "."
    if not data.risk_rationale.strip():
        errors["risk_rationale"] = EPISODE_MISSING["risk_rationale"]
    errors.update(indicator_errors(data.indicators))
    return errors


def indicator_errors(indicators) -> dict[str, str]:
    unknown = set(indicators) - set(Indicator.values)
    return (
        {"indicators": f"Unknown exploitation indicators: {', '.join(sorted(unknown))}."} if unknown else {}
    )


def ordered_indicators(indicators) -> list[str]:
    """The exploitation indicators given, once each, in their own order."""
    return [i for i in Indicator.values if i in set(indicators)]


def is_child(person: Person, at: datetime) -> bool:
    if person.date_of_birth:
        day = timezone.localtime(at).date()
        age = (
            day.year
            - person.date_of_birth.year
            - ((day.month, day.day) < (person.date_of_birth.month, person.date_of_birth.day))
        )
        return age < 18
    return person.approximate_age is not None and person.approximate_age < 18


def build_episode(data: EpisodeInput, *, by, batch=None) -> Episode:
    """Create an episode from checked details, with its first grading (no permission check: callers)."""
    errors = episode_errors(data)
    require(not errors, errors)
    episode = Episode(
        police_reference=data.police_reference.strip(),
        person=data.person,
        is_child=is_child(data.person, data.reported_at),
        reported_at=data.reported_at,
        reported_by=data.reported_by.strip(),
        reporter_kind=data.reporter_kind,
        last_seen_at=data.last_seen_at,
        last_seen_place=data.last_seen_place.strip(),
        circumstances=data.circumstances.strip(),
        risk=data.risk,
        indicators=ordered_indicators(data.indicators),
        places=data.places.strip(),
        associates=data.associates.strip(),
        recorded_by=by,
        imported_in=batch,
    )
    episode.full_clean()
    episode.save()
    RiskGrading.objects.create(
        episode=episode, risk=data.risk, rationale=data.risk_rationale.strip(), at=timezone.now(), by=by
    )
    # The recording agency (the police) sees every episode, so who it is about: the person's partner
    # fields, through a grant, as an asked agency does (mash/people/policy.py).
    agency = actor_for(by).agency
    if agency is not None:
        grant_view(obj=data.person, agency=agency)
    return episode


@transaction.atomic
def episode_create(*, by, data: EpisodeInput) -> Episode:
    """Record an episode reported to the police; a repeat-missing pattern raises a flag. The person
    missing is a known person the recorder may see, or a new one (refused, the episode leaves no one
    behind)."""
    _administer(by)
    choice = data.person if isinstance(data.person, PersonChoice) else PersonChoice(person=data.person)
    data = replace(data, person=person_resolve(by=by, choice=choice))
    if data.police_reference.strip():
        require(
            not Episode.objects.filter(police_reference=data.police_reference.strip()).exists(),
            {"police_reference": "An episode with this police reference is already recorded."},
        )
    episode = build_episode(data, by=by)
    # Here, not at the top: repeat.py imports this module (its require and the episode steps).
    from missing_persons.services.repeat import check_repeat

    check_repeat(episode.person)
    return episode


@transaction.atomic
def episode_regrade(*, episode: Episode, by, risk: str, rationale: str, expected_version: int | None = None):
    """Re-grade the risk during the episode: a rationale every time, the old grade kept."""
    episode = lock_for_change(episode, expected_version)
    _administer(by)
    require(episode.status == EpisodeStatus.MISSING, "Risk is graded while the person is missing.")
    require(risk in Risk.values, {"risk": "Choose very low, low, medium or high."})
    require(bool(rationale.strip()), {"rationale": "Give the rationale for the re-grading."})
    require(risk != episode.risk, {"risk": f"The risk is already {episode.get_risk_display().lower()}."})
    regrade(episode, risk=risk, rationale=rationale, by=by)
    save_change(episode, ["risk"])
    return episode


def regrade(episode: Episode, *, risk: str, rationale: str, by) -> None:
    """The step of a re-grading (the service's and the import's): the new grade with its rationale,
    the old one kept. The caller has checked the rule and saves ``risk``."""
    RiskGrading.objects.create(
        episode=episode,
        risk=risk,
        previous=episode.risk,
        rationale=rationale.strip(),
        at=timezone.now(),
        by=by,
    )
    episode.risk = risk


@transaction.atomic
def episode_update(
    *,
    episode: Episode,
    by,
    indicators: list[str],
    places: str,
    associates: str,
    circumstances: str,
    expected_version: int | None = None,
) -> Episode:
    """Exploitation indicators, linked places and associates, the circumstances."""
    episode = lock_for_change(episode, expected_version)
    _administer(by)
    errors = indicator_errors(indicators)
    require(not errors, errors)
    episode.indicators = ordered_indicators(indicators)
    episode.places, episode.associates = places.strip(), associates.strip()
    episode.circumstances = circumstances.strip()
    save_change(episode, ["indicators", "places", "associates", "circumstances"])
    return episode


@transaction.atomic
def episode_return(
    *,
    episode: Episode,
    by,
    found_at: datetime,
    found_place: str,
    found_by: str,
    wellbeing_confirmed: bool,
    wellbeing_note: str = "",
    expected_version: int | None = None,
) -> Episode:
    """Found or returned. A child's return starts the 72-hour return home interview clock."""
    episode = lock_for_change(episode, expected_version)
    _administer(by)
    require(episode.status == EpisodeStatus.MISSING, "This episode is not open as missing.")
    errors = return_errors(
        found_at=found_at,
        last_seen_at=episode.last_seen_at,
        reported_at=episode.reported_at,
        found_place=found_place,
        found_by=found_by,
        wellbeing_confirmed=wellbeing_confirmed,
    )
    require(not errors, errors)
    record_return(episode, found_at=found_at, found_place=found_place, found_by=found_by, note=wellbeing_note)
    return episode


def return_errors(
    *,
    found_at: datetime,
    last_seen_at: datetime | None,
    reported_at: datetime | None,
    found_place: str,
    found_by: str,
    wellbeing_confirmed: bool,
) -> dict[str, str]:
    """What is wrong with a return, by field (the service and the import share it): found after
    they were last seen and reported missing, not in the future."""
    errors = {}
    if found_at > timezone.now():
        errors["found_at"] = "The return cannot be in the future."
    elif last_seen_at is not None and found_at < last_seen_at:
        errors["found_at"] = "They cannot be found before they were last seen."
    elif error := order_error(
        found_at, the="The return", earlier=reported_at, earlier_the="they were reported missing"
    ):
        errors["found_at"] = error
    if not found_place.strip():
        errors["found_place"] = "Say where they were found or returned to."
    if not found_by.strip():
        errors["found_by"] = "Say who found them or whom they returned to."
    if not wellbeing_confirmed:
        errors["wellbeing_confirmed"] = "Confirm their well-being: until then they are still missing."
    return errors


def record_return(
    episode: Episode, *, found_at: datetime, found_place: str, found_by: str, note: str
) -> None:
    """The step of a checked return (the service's and the import's): found, well-being confirmed;
    a child's return starts the return home interview clock."""
    episode.status = EpisodeStatus.RETURNED
    episode.found_at, episode.found_place, episode.found_by = found_at, found_place.strip(), found_by.strip()
    episode.wellbeing_confirmed, episode.wellbeing_note = True, note.strip()
    save_change(
        episode, ["status", "found_at", "found_place", "found_by", "wellbeing_confirmed", "wellbeing_note"]
    )
    if episode.is_child and not ReturnInterview.objects.filter(episode=episode).exists():
        ReturnInterview.objects.create(
            episode=episode,
            clock=clock_start(
                kind=INTERVIEW_CLOCK,
                basis=ClockBasis.CALENDAR_HOURS,
                amount=INTERVIEW_HOURS,
                started_at=found_at,
            ),
        )


@transaction.atomic
def episode_close(*, episode: Episode, by, expected_version: int | None = None) -> Episode:
    episode = lock_for_change(episode, expected_version)
    _administer(by)
    require(episode.status == EpisodeStatus.RETURNED, "Close an episode once the person has returned.")
    interview = getattr(episode, "interview", None)
    require(
        interview is None or interview.status in ("done", "declined"),
        "The return home interview is still to be done or declined.",
    )
    episode.status, episode.closed_at = EpisodeStatus.CLOSED, timezone.now()
    save_change(episode, ["status", "closed_at"])
    return episode
