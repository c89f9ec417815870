from django.db import migrations

ROLE = "partnership board member"


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    """The partnership board member: the measures' aggregates, no case content (mash/measures/scope.py)."""

    dependencies = [("agencies", "0002_role_groups")]
    operations = [migrations.RunPython(create_role, remove_role)]
