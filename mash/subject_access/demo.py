"""A demo subject access request for seed_demo: a mother asking, on her son's behalf, for what the MASH
holds about him; her identity verified, ready to compile (information governance's demo account)."""

from datetime import timedelta

from django.utils import timezone

from mash.people.models import Person
from mash.subject_access import services
from mash.subject_access.models import IdentityMethod, Relationship, SubjectAccessRequest


def load_demo_subject_access(sender, users, stdout, **kwargs):
    if SubjectAccessRequest.objects.exists():
        return
    person = Person.objects.filter(given_name="Jayden").first() or Person.objects.first()
    governance = users.get("governance")
    if person is None or governance is None:
        return
    sar = services.request_create(
        by=governance,
        person=person,
        requester_name="Kayleigh Smith",
        relationship=Relationship.PARENT,
        requester_contact="By post to the address held, marked private.",
        received_on=timezone.localdate() - timedelta(days=9),
    )
    services.identity_verify(
        sar=sar,
        by=governance,
        method=IdentityMethod.PHOTO_ID_SEEN,
        note="Passport and a council tax bill seen at the front desk.",
    )
    stdout.write(f"Demo subject access request {sar.reference} (open, identity verified).")
