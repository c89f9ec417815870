"""A little of the demo for information governance's trails: a change with its author and address,
reads and a refusal of the demo's people (the case apps' demos add their own records, the
police manager's break-glass among them). Run once: a second seeding adds nothing."""

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from mash.people.models import Person
from mash.people.services import person_update
from mash.sharing.models import AccessAction
from mash.sharing.services import access_log_write


def load_demo_trails(sender, users, stdout, **kwargs):
    triage, fire = users["triage"], users["fire.researcher"]
    amelia = Person.objects.filter(given_name="Amelia", family_name="Smith").first()
    jayden = Person.objects.filter(given_name="Jayden", family_name="Smith").first()
    if amelia is None or jayden is None:
        return
    person_type = ContentType.objects.get_for_model(Person)
    if LogEntry.objects.filter(content_type=person_type, object_pk=str(amelia.pk), actor=triage).exists():
        return
    with set_actor(triage, remote_addr="10.20.1.15"):
        person_update(person=amelia, aliases="Millie")
    for person in (jayden, amelia):
        access_log_write(user=triage, obj=person, action=AccessAction.VIEW)
    access_log_write(user=fire, obj=jayden, action=AccessAction.DENIED)
    stdout.write("  Trails: a change, two reads and a refusal for information governance to find.")
