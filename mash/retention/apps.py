from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "mash.retention"
    label = "retention"
    verbose_name = "Retention"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mash.retention import trays  # noqa: F401  (registers the work tray's section)
        from mash.retention.models import Erasure, LegalHold, RetentionDecision, RetentionRule
        from mash.sharing.governance import S62, Page, register_page, register_s62_category

        # A decision's or a hold's record would be in the trail by its name (a person's, a caller's):
        # its type and id are enough.
        auditlog.register(RetentionRule)
        auditlog.register(RetentionDecision, exclude_fields=["record"])
        auditlog.register(LegalHold, exclude_fields=["record"])
        auditlog.register(Erasure)
        register_s62_category("retention.erasure", S62.ERASURE)
        register_page(
            Page(
                title="Retention",
                url_name="retention:queue",
                description="Records past their retention period to keep or erase; legal holds; the periods.",
                order=60,
            )
        )
