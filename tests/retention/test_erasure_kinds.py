"""Each kind's erasure reaches the rows under its record and no further: on the scenario of every case
model (tests/sharing/scenario.py) with a marker in every free-text field, a disclosed application, a
closed missing episode and a consultation call are erased; every marker of their rows is gone from
every table, and the other records' markers are all still there (docs/retention.md)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from disclosures.models import Application, ApplicationPerson
from mash.retention import registry
from mash.retention.services import erase_record
from missing_persons import services as missing_services
from missing_persons.models import Episode
from referrals.models import Consultation
from tests.retention import scan
from tests.sharing import markers, scenario

pytestmark = pytest.mark.django_db

# Fields an erasure keeps on purpose: the records' references.
KEPT = {"Referral.reference", "Application.reference", "Episode.police_reference"}

UNDER = {
    # model name -> the lookup from a row of it to the record it belongs to
    "Application": "pk",
    "ApplicationPerson": "application",
    "ResearchPackage": "application",
    "PackageSection": "package__application",
    "PackageEntry": "section__package__application",
    "Decision": "application",
    "DisclosureRecord": "application",
    "Episode": "pk",
    "RiskGrading": "episode",
    "ReturnInterview": "episode",
    "Consultation": "pk",
}


def _belongs(p, records) -> bool:
    lookup = UNDER.get(p.model.__name__)
    if lookup is None:
        return False
    for record in records:
        if p.model._meta.app_label == record._meta.app_label and (
            (lookup == "pk" and p.model is type(record) and p.pk == record.pk)
            or (lookup != "pk" and p.model._default_manager.filter(pk=p.pk, **{lookup: record}).exists())
        ):
            return True
    return False


def test_each_kind_erases_its_rows_and_no_others(cast):
    built = scenario.build(cast)
    long_ago = timezone.now() - timedelta(days=365 * 8)
    missing_services.episode_close(episode=built.returned_episode, by=cast.data_admin)
    Episode.objects.filter(pk=built.returned_episode.pk).update(closed_at=long_ago)
    Application.objects.filter(pk=built.disclosed.pk).update(closed_at=long_ago)
    Consultation.objects.filter(pk=built.consultation.pk).update(called_at=long_ago)
    planted = markers.plant_markers()
    records = [
        Application.objects.get(pk=built.disclosed.pk),
        Episode.objects.get(pk=built.returned_episode.pk),
        Consultation.objects.get(pk=built.consultation.pk),
    ]
    gone = {m for m, p in planted.items() if p.label not in KEPT and _belongs(p, records)}
    # Every person of these records is named by another live record (the application at the forum,
    # the other episodes): none is anonymised here (test_erasure.py has the people who are).
    kept = set(planted) - gone - {m for m, p in planted.items() if p.label in KEPT}
    assert ApplicationPerson.objects.filter(application=built.at_forum).exists()

    for record in records:
        erase_record(
            record=record, kind=registry.kind_of(record), by=cast.governance, reason="Past its period."
        )

    found = scan.where(set(planted))
    assert not {m: found[m] for m in gone if m in found}, "markers of erased rows left"
    missing = sorted(planted[m].label for m in kept if m not in found)
    assert not missing, f"markers of live records erased: {missing}"
    assert len(gone) > 40
