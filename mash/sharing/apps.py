from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "mash.sharing"
    label = "sharing"
    verbose_name = "Information sharing"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mash.agencies.policy import is_information_governance
        from mash.common import navigation
        from mash.sharing import trays  # noqa: F401  (registers the work tray's section)
        from mash.sharing.models import (
            BreakGlassAccess,
            Dissemination,
            DisseminationItem,
            DisseminationRequest,
        )

        auditlog.register(BreakGlassAccess)
        auditlog.register(Dissemination)
        auditlog.register(DisseminationRequest)
        auditlog.register(DisseminationItem)
        navigation.register(
            navigation.Item("governance", "Governance", "sharing:access_log", is_information_governance, 100)
        )
