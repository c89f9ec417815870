from datetime import time

from django.db import migrations


def create_pattern(apps, schema_editor):
    WorkingPattern = apps.get_model("clocks", "WorkingPattern")
    if not WorkingPattern.objects.filter(is_current=True).exists():
        WorkingPattern.objects.create(
            name="MASH office hours", is_current=True, opens_at=time(9, 0), closes_at=time(17, 0)
        )


class Migration(migrations.Migration):
    dependencies = [("clocks", "0001_initial")]
    operations = [migrations.RunPython(create_pattern, migrations.RunPython.noop)]
