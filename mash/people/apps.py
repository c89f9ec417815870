from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mash.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mash.common import navigation
        from mash.people import policy  # noqa: F401  registers Person with the sharing policy
        from mash.people.models import Person, PersonGroupObjectPermission, PersonUserObjectPermission

        auditlog.register(Person)
        # Grants and revocations are changes to who may see what: audited like any other change.
        auditlog.register(PersonGroupObjectPermission)
        auditlog.register(PersonUserObjectPermission)
        # Everyone may search people; what the list shows is the sharing policy's.
        navigation.register(navigation.Item("people", "People", "people:list", navigation.everyone, 90))
