from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "disclosures"
    verbose_name = "Disclosures"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from disclosures import (  # policy registers the sharing rules
            dissemination,
            models,
            policy,
            trays,  # noqa: F401  (registers the work tray's section)
        )
        from disclosures.chronology import disclosure_chronology
        from disclosures.demo import load_demo_disclosures
        from disclosures.selectors import people_disclosure_history
        from mash.common import navigation
        from mash.common.management.commands.seed_demo import seed_demo_extend
        from mash.measures.registry import import_all
        from mash.people.chronology import register_chronology_source
        from mash.people.history import register_history_source

        for model in (
            models.Application,
            models.ApplicationPerson,
            models.ResearchPackage,
            models.PackageSection,
            models.PackageEntry,
            models.Decision,
            models.DisclosureRecord,
            models.ApplicationGroupObjectPermission,
        ):
            auditlog.register(model)
        register_history_source(people_disclosure_history)
        dissemination.register()
        register_chronology_source(disclosure_chronology)
        navigation.register(
            navigation.Item("disclosures", "Disclosures", "disclosures:queue", policy.is_disclosure_team, 70)
        )
        seed_demo_extend.connect(load_demo_disclosures, dispatch_uid="disclosures.demo")
        from disclosures import trails

        trails.register()  # the records under each record, for its trail
        from disclosures import retention

        retention.register()
        import_all("disclosures.measures")  # its measures register themselves
