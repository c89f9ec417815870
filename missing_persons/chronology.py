"""A person's chronology, from missing persons: each episode of theirs (reported, re-graded, found or
returned, closed) and the return home interview (mash/people/chronology.py).

With a viewer, the episodes are the ones the sharing policy lists for them (``policy.visible``) and
each event shows what their audience shows: an agency asked about a referral the episode went with sees
the report, the risk and the return, never the police's gradings, where or by whom the person was
found; the return home interview only the agency doing it (and those who see every episode).
"""

from django.urls import reverse

from mash.people.chronology import POLICE_INTELLIGENCE, Event
from mash.sharing import policy
from missing_persons.models import Episode, InterviewStatus, ReturnInterview, RiskGrading

MISSING = "Missing episode"


def missing_chronology(viewer, person):
    """Chronology source: ``person``'s missing episodes."""
    episodes = Episode.objects.filter(person=person).order_by("reported_at", "pk")
    if viewer is not None:
        episodes = policy.visible(viewer, episodes)
    episodes = list(episodes)
    if not episodes:
        return []
    audience = policy.Audience.FULL if viewer is None else policy.list_audience(viewer, Episode)
    shows = lambda name: policy.shows(audience, Episode, name)  # noqa: E731
    by_id = {episode.pk: episode for episode in episodes}
    events = []
    for episode in episodes:
        events.extend(_episode_events(episode, shows))
    if shows("gradings"):
        # The first grading is the report's own (told with it): the later ones are re-gradings.
        gradings = RiskGrading.objects.filter(episode_id__in=by_id).exclude(previous="").order_by("at", "pk")
        for grading in gradings:
            events.append(
                Event(
                    at=grading.at,
                    kind="Risk re-graded",
                    summary=f"{grading.get_risk_display()} (was {grading.get_previous_display()}): "
                    f"{grading.rationale}",
                    release_flags=(POLICE_INTELLIGENCE,),
                    **_common(by_id[grading.episode_id], shows),
                )
            )
    if shows("interview"):
        interviews = ReturnInterview.objects.filter(episode_id__in=by_id).select_related("agency")
        if viewer is not None:
            interviews = policy.parts_shown(viewer, interviews)
        for interview in interviews:
            events.extend(_interview_events(interview, _common(by_id[interview.episode_id], shows)))
    return events


def _common(episode, shows) -> dict:
    reference = shows("police_reference") and episode.police_reference
    return {
        "title": reference or f"Episode {episode.pk}",
        "url": reverse("missing_persons:episode", args=[episode.pk]),
        "record": episode,
        "category": MISSING,
    }


def _episode_events(episode, shows):
    common = _common(episode, shows)
    yield Event(
        at=episode.reported_at,
        kind="Reported missing",
        summary=f"{episode.get_risk_display()} risk. Last seen at {episode.last_seen_place}.",
        release_flags=(POLICE_INTELLIGENCE,),
        **common,
    )
    if episode.found_at:
        where = f"At {episode.found_place}." if shows("found_place") and episode.found_place else ""
        yield Event(at=episode.found_at, kind="Found or returned", summary=where, **common)
    if episode.closed_at and shows("closed_at"):
        yield Event(at=episode.closed_at, kind="Episode closed", **common)


def _interview_events(interview, common):
    agency = f" by {interview.agency.name}" if interview.agency else ""
    if interview.offered_at and not (interview.done_at and interview.offered_at == interview.done_at):
        yield Event(
            at=interview.offered_at,
            kind="Return home interview offered",
            summary=f"Offered{agency}.",
            **common,
        )
    if interview.done_at:
        kind = "Return home interview declined" if interview.status == InterviewStatus.DECLINED else None
        yield Event(
            at=interview.done_at,
            kind=kind or "Return home interview done",
            summary=f"Declined{agency}." if kind else f"Done{agency}.",
            agency=interview.agency,
            **common,
        )
