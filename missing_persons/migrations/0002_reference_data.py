from django.db import migrations


def load(apps, schema_editor):
    RepeatTrigger = apps.get_model("missing_persons", "RepeatTrigger")
    if not RepeatTrigger.objects.exists():
        RepeatTrigger.objects.create(episodes=3, days=30)  # docs/domain.md: 3 or more episodes in 30 days


class Migration(migrations.Migration):
    dependencies = [("missing_persons", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
