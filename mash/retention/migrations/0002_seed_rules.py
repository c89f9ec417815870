"""Placeholder retention periods, each marked as local policy: every MASH sets its own from its
retention schedule before erasing anything (docs/retention.md)."""

from django.db import migrations

PLACEHOLDER = "Placeholder: local policy, to be set by each MASH from its own retention schedule. "

SEEDS = [
    (
        "referral-nfa",
        24,
        "the date the referral was closed",
        "Long enough to see a pattern of repeat referrals about the same child or adult.",
    ),
    (
        "referral-other",
        72,
        "the date the referral was closed",
        "The case continues in the receiving service's own record; children's records are often kept "
        "to the 25th birthday or longer: a MASH holding the only copy may need a longer period.",
    ),
    (
        "consultation",
        12,
        "the date of the call",
        "Advice given to a professional, with no referral made.",
    ),
    (
        "disclosure-not-disclosed",
        36,
        "the date the application was closed",
        "An application closed without a disclosure (or withdrawn).",
    ),
    (
        "disclosure-disclosed",
        72,
        "the date the application was closed",
        "A disclosure made: the police force's own records management may ask for longer.",
    ),
    (
        "missing-episode",
        72,
        "the date the episode was closed",
        "A closed missing episode; repeat episodes are read together.",
    ),
]


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    for kind, months, counted_from, note in SEEDS:
        RetentionRule.objects.get_or_create(
            kind=kind,
            defaults={
                "period_months": months,
                "counted_from": counted_from,
                "note": PLACEHOLDER + note,
                "local_policy": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
