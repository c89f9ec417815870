from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "mash.sharing"
    label = "sharing"
    verbose_name = "Information sharing"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mash.agencies.policy import is_information_governance
        from mash.common import navigation
        from mash.common.management.commands.seed_demo import seed_demo_extend
        from mash.sharing import (
            dissemination_trays,  # noqa: F401  (its work tray sections)
            governance,
            trays,  # noqa: F401  (registers the work tray's section)
        )
        from mash.sharing.demo import load_demo_trails
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
            navigation.Item("governance", "Governance", "sharing:governance", is_information_governance, 100)
        )
        seed_demo_extend.connect(load_demo_trails, dispatch_uid="sharing.demo_trails")
        governance.register_s62_category("sharing.dissemination", governance.S62.DISCLOSURE)
        for page in (
            governance.Page(
                "Trails of users and records",
                "sharing:trail_users",
                "Everything a user changed, looked at, was refused and disclosed in a period; and the "
                "changes, reads, refusals and disclosures of one record and the records under it.",
                10,
            ),
            governance.Page(
                "Access log",
                "sharing:access_log",
                "Every view of a case record, every refusal and every break-glass, newest first.",
                20,
            ),
            governance.Page(
                "Break-glass reviews",
                "sharing:break_glass_reviews",
                "Records opened by break-glass, waiting for your review.",
                30,
            ),
            governance.Page(
                "Dissemination log",
                "sharing:disseminations",
                "Everything that left the MASH: to whom, what, on what lawful basis, approved by whom.",
                40,
            ),
        ):
            governance.register_page(page)
