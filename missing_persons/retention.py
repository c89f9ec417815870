"""The missing persons app's kind of record for retention (mash/retention/registry.py;
docs/retention.md): closed episodes. An erasure takes the episode's places, circumstances, associates,
the risk gradings' rationales and the return home interview; a repeat-missing flag goes too once every
episode it counted is erased. Times, risk levels, statuses, indicators and clocks stay."""

from mash.retention.models import Erasure
from mash.retention.registry import RetentionKind, register_kind
from missing_persons.models import Episode, EpisodeStatus, RepeatFlag, ReturnInterview, RiskGrading


def _closed():
    return Episode.objects.filter(status=EpisodeStatus.CLOSED, closed_at__isnull=False)


def erase_episode(episode: Episode, scrub) -> None:
    scrub.rows(Episode.objects.filter(pk=episode.pk), keep=("police_reference",))
    scrub.rows(RiskGrading.objects.filter(episode=episode))
    scrub.rows(ReturnInterview.objects.filter(episode=episode))
    erased = set(Erasure.objects.filter(kind="missing-episode").values_list("object_id", flat=True)) | {
        episode.pk
    }
    for flag in RepeatFlag.objects.filter(episodes=episode).prefetch_related("episodes"):
        if {e.pk for e in flag.episodes.all()} <= erased:
            scrub.rows(RepeatFlag.objects.filter(pk=flag.pk))
    scrub.link_people([episode.person_id])


def describe_episode(episode: Episode) -> str:
    who = "child" if episode.is_child else "adult"
    return f"{who}, {episode.get_risk_display().lower()} risk, closed"


def lookup_episode(reference: str):
    episode = Episode.objects.filter(police_reference__iexact=reference).first()
    if episode is None and reference.isascii() and reference.isdigit() and len(reference) < 18:
        episode = Episode.objects.filter(pk=int(reference)).first()
    return episode


def register() -> None:
    register_kind(
        RetentionKind(
            key="missing-episode",
            label="Missing episodes closed",
            model=Episode,
            counted_from="the date the episode was closed",
            date_field="closed_at",
            records=_closed,
            erase=erase_episode,
            describe=describe_episode,
            of_people=lambda ids: Episode.objects.filter(person__in=list(ids)),
            lookup=lookup_episode,
            reference_field="police_reference",
        )
    )
