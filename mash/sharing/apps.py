from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "mash.sharing"
    label = "sharing"
    verbose_name = "Information sharing"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mash.sharing.models import BreakGlassAccess, Dissemination

        auditlog.register(BreakGlassAccess)
        auditlog.register(Dissemination)
