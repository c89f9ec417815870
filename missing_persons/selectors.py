"""Reads of missing-person episodes, for an acting user (the sharing policy applies)."""

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from mash.agencies.selectors import actor_for
from mash.clocks.calendar import clock_columns
from mash.people.history import HistoryItem, newest_of_each
from mash.sharing import policy
from mash.sharing.models import AccessAction
from mash.sharing.services import access_log_write, record_get
from missing_persons.models import (
    RISK_ORDER,
    Episode,
    EpisodeStatus,
    FlagStatus,
    ImportBatch,
    InterviewStatus,
    RepeatFlag,
    ReturnInterview,
)
from missing_persons.policy import interview_shown_filter
from missing_persons.services.episodes import INTERVIEW_CLOCK

_RISK_RANK = Case(
    *[When(risk=r, then=Value(i)) for i, r in enumerate(RISK_ORDER)], output_field=IntegerField()
)


# What a list shows of a person: their name (not their other columns, the address among them).
PERSON_NAME = ("person", "person__given_name", "person__family_name")
# What a row of the episodes list shows (missing_persons/episodes.html), and a row of the API's
# (EpisodeRowSerializer): not the circumstances, the places, the associates, the wellbeing note.
EPISODE_ROW = (
    "police_reference",
    *PERSON_NAME,
    "is_child",
    "reported_at",
    "last_seen_at",
    "last_seen_place",
    "risk",
    "status",
    "found_at",
    "version",
)
# The dashboard's rows (missing_persons/dashboard.html; DashboardEpisodeSerializer and
# DashboardInterviewSerializer): who is missing, and the returns awaiting an interview.
OPEN_EPISODE_ROW = ("police_reference", *PERSON_NAME, "risk", "reported_at", "last_seen_place")
INTERVIEW_ROW = (
    "status",
    "episode",
    "episode__found_at",
    *(f"episode__{name}" for name in PERSON_NAME),
    *clock_columns("clock"),
    "agency",
    "agency__name",
    "agency__kind",
    "agency__is_lead",
    "agency__is_active",
)


def episodes_for(user, *, status: str = "", risk: str = ""):
    episodes = Episode.objects.all()
    if status:
        episodes = episodes.filter(status=status)
    if risk:
        episodes = episodes.filter(risk=risk)
    # The latest first, from the index (missing_persons_latest).
    return policy.visible(user, episodes).select_related("person").order_by("-reported_at", "-pk")


def open_by_risk(user):
    """The dashboard: open episodes, the highest risk first, then the longest missing."""
    return (
        policy.visible(user, Episode.objects.filter(status=EpisodeStatus.MISSING))
        .select_related("person")
        .annotate(rank=_RISK_RANK)
        .order_by("rank", "reported_at")
    )


def interviews_due(user):
    """Returns awaiting a return home interview, the soonest due first."""
    episodes = Episode.objects.all()
    visible = policy.visible(user, episodes)
    # The clock's kind, which every interview's clock has, tells PostgreSQL how few clocks these are:
    # without it, it walks every clock (a million at MASH scale) in due order looking for the first
    # interviews' clocks, rather than sorting the few hundred interviews awaited.
    interviews = ReturnInterview.objects.filter(
        status__in=(InterviewStatus.DUE, InterviewStatus.OFFERED), clock__kind=INTERVIEW_CLOCK
    )
    if visible is not episodes:  # not one who sees every episode: only those they may see
        interviews = interviews.filter(episode__in=visible)
    return interviews.select_related("episode__person", "clock", "agency").order_by("clock__due_at")


def interviews_for(user):
    """Every return home interview this user may see: of the episodes they may see, and shown to them
    (those who see every episode: all; another agency: the interviews it does)."""
    visible = policy.visible(user, Episode.objects.all())
    return (
        ReturnInterview.objects.filter(episode__in=visible)
        .filter(interview_shown_filter(actor_for(user)))
        .select_related("episode__person", "clock", "agency")
    )


def open_flags(user):
    """The repeat-missing flags to act on, the oldest first, as lists show them (the dashboard, the
    API's list): the person's name, and of each episode when and where they went missing, the risk."""
    visible = policy.visible(user, Episode.objects.all())
    episodes = Episode.objects.only("reported_at", "last_seen_place", "risk")
    return (
        RepeatFlag.objects.filter(status=FlagStatus.OPEN, episodes__in=visible)
        .distinct()
        .select_related("person")
        .only("raised_at", "status", *PERSON_NAME)
        .prefetch_related(Prefetch("episodes", queryset=episodes))
        .order_by("raised_at")
    )


def flags_for(user):
    """Repeat-missing flags of any status that the user may see (one of their episodes is visible to
    them, as ``flag_get_for`` rules), each with ``shown_episodes``: those episodes, the latest first."""
    visible = policy.visible(user, Episode.objects.all())
    return (
        RepeatFlag.objects.filter(pk__in=RepeatFlag.objects.filter(episodes__in=visible).values("pk"))
        .select_related("referral")
        .prefetch_related(
            Prefetch("episodes", queryset=visible.order_by("-reported_at", "-pk"), to_attr="shown_episodes")
        )
        .order_by("-raised_at", "-pk")
    )


def episode_get_for(user, pk: int, *, request=None) -> Episode:
    episode = record_get(
        user=user,
        queryset=Episode.objects.select_related("person", "recorded_by", "imported_in", "referral"),
        pk=pk,
        request=request,
    )
    return episode


def episode_detail_parts(user, episode: Episode) -> dict:
    """What an episode's page and API show beside it, as far as the user's audience shows it: the
    gradings, oldest first, and the return home interview with its clock (None until a child returns,
    or when it is not the user's to see)."""
    audience = policy.audience_of(user, episode)
    gradings = episode.gradings.select_related("by") if policy.shows(audience, Episode, "gradings") else []
    return {"gradings": list(gradings), "interview": _interview(user, episode, audience)}


def episode_interview_for(user, episode: Episode) -> ReturnInterview | None:
    """The episode's return home interview, as ``episode_detail_parts`` finds it (for recording it)."""
    return _interview(user, episode, policy.audience_of(user, episode))


def _interview(user, episode: Episode, audience) -> ReturnInterview | None:
    if not policy.shows(audience, Episode, "interview"):
        return None
    return (
        policy.parts_shown(user, ReturnInterview.objects.filter(episode=episode))
        .select_related("clock", "agency", "interviewer")
        .first()
    )


def flag_get_for(user, pk: int, *, request=None) -> RepeatFlag:
    """A repeat flag is seen by whoever sees one of its episodes; anyone else gets a logged 404."""
    flag = get_object_or_404(RepeatFlag.objects.select_related("person", "referral"), pk=pk)
    if not policy.visible(user, flag.episodes.all()).exists():
        access_log_write(user=user, obj=flag, action=AccessAction.DENIED, request=request)
        raise Http404("No such record, or you may not see it.")
    return flag


def import_batches():
    return ImportBatch.objects.select_related("imported_by").order_by("-created_at", "-pk")


def people_episode_history(user, people) -> dict[int, list[HistoryItem]]:
    """History source: each person's missing episodes this user may see."""
    shows_reference = policy.shows(policy.list_audience(user, Episode), Episode, "police_reference")
    ids = [person.pk for person in people]
    episodes = policy.visible(user, Episode.objects.filter(person__in=ids))
    episodes = episodes.only("person", "reported_at", "police_reference", "risk", "status")
    return {
        person_id: [
            HistoryItem(
                kind="Missing episode",
                at=episode.reported_at,
                title=(shows_reference and episode.police_reference) or f"Episode {episode.pk}",
                summary=f"{episode.get_risk_display()} risk; {episode.get_status_display().lower()}",
                url=reverse("missing_persons:episode", args=[episode.pk]),
            )
            for episode in found
        ]
        for person_id, found in newest_of_each(episodes, "person_id", ids, "-reported_at", "-pk").items()
    }
