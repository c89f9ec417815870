from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "mash.agencies"
    label = "agencies"
    verbose_name = "Agencies and roles"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mash.agencies.models import Agency, Membership

        auditlog.register(Agency)
        auditlog.register(Membership, m2m_fields={"roles"})
