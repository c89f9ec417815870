"""Demo missing-person data for seed_demo: the sample report file imported, and a child missing now."""

from datetime import timedelta

from django.utils import timezone

from mash.people.services import person_create
from missing_persons import services
from missing_persons.models import Episode


def load_demo_missing(sender, users, stdout, **kwargs):
    if Episode.objects.exists():
        return
    admin = users["police.admin"]
    services.import_reports(
        by=admin, content=services.sample_csv(first=101).encode(), filename="police-export.csv"
    )
    now = timezone.now()
    mia = person_create(given_name="Mia", family_name="Okafor", approximate_age=15, gender="female")
    for days in (20, 9):
        episode = services.episode_create(
            by=admin,
            data=services.EpisodeInput(
                person=mia,
                reported_at=now - timedelta(days=days),
                reported_by="Riverside children's home",
                reporter_kind="care_home",
                last_seen_at=now - timedelta(days=days, hours=3),
                last_seen_place="Riverside children's home",
                risk="medium",
                risk_rationale="Fifteen; went missing with an older friend before.",
            ),
        )
        services.episode_return(
            episode=episode,
            by=admin,
            found_at=now - timedelta(days=days - 1),
            found_place="A flat in Felixstowe",
            found_by="PC 1187 Shah",
            wellbeing_confirmed=True,
        )
    services.episode_create(
        by=admin,
        data=services.EpisodeInput(
            person=mia,
            reported_at=now - timedelta(hours=2),
            reported_by="Riverside children's home",
            reporter_kind="care_home",
            last_seen_at=now - timedelta(hours=5),
            last_seen_place="Ipswich railway station",
            risk="high",
            risk_rationale="Third time this month; seen getting into a car with adults.",
            indicators=("cse",),
        ),
    )
    stdout.write(f"  {Episode.objects.count()} demo missing episodes (one repeat-missing flag).")
