"""The benchmark's missing episodes, reported by the police over the same years as the referrals."""

from datetime import timedelta

from bench.data.build import Build
from bench.data.bulk import copy_rows
from bench.data.reference import NOW, YEARS
from mash.agencies.roles import Role
from missing_persons.models import Episode, EpisodeStatus, ReporterKind, Risk


def make_episodes(build: Build) -> None:
    """Missing episodes recorded by the police: one for every twenty referrals; of the last three days',
    about half still missing."""
    rng = build.rng
    span = timedelta(days=365 * YEARS)
    first = NOW - span
    police_admin = build.users_by[(build.partners[0].pk, Role.DATA_ADMINISTRATOR)][0]
    episodes = len(build.referral_rows) // 20
    rows = []
    for n in range(1, episodes + 1):
        reported = first + span * (n / episodes)
        recent = NOW - reported < timedelta(days=3)
        found = None if recent and rng.random() < 0.5 else reported + timedelta(hours=rng.uniform(2, 48))
        rows.append(
            {
                "created_at": reported,
                "updated_at": reported,
                "police_reference": f"MP-{reported.year}-{n:06d}",
                "person": rng.randint(1, build.people),
                "is_child": rng.random() < 0.8,
                "reported_at": reported,
                "reported_by": "Care home staff",
                "reporter_kind": rng.choice(ReporterKind.values),
                "last_seen_at": reported - timedelta(hours=2),
                "last_seen_place": "Town centre",
                "risk": rng.choice([Risk.LOW, Risk.MEDIUM, Risk.MEDIUM, Risk.HIGH]),
                "status": EpisodeStatus.MISSING if found is None else EpisodeStatus.CLOSED,
                "found_at": found,
                "recorded_by": police_admin,
                "closed_at": found,
                "indicators": [],
            }
        )
    copy_rows(Episode, rows)
