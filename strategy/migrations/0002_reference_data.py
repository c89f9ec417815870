from django.db import migrations

# docs/domain.md: a strategy discussion within the same working day for Red, one working day otherwise.
TIMESCALES = [
    ("red", "end_of_working_day", 0),
    ("amber", "working_days", 1),
    ("green", "working_days", 1),
    ("blue", "working_days", 1),
]


def load(apps, schema_editor):
    StrategyTimescale = apps.get_model("strategy", "StrategyTimescale")
    for rag, basis, amount in TIMESCALES:
        StrategyTimescale.objects.get_or_create(rag=rag, defaults={"basis": basis, "amount": amount})


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
