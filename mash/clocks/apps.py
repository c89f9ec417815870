from django.apps import AppConfig


class ClocksConfig(AppConfig):
    name = "mash.clocks"
    label = "clocks"
    verbose_name = "Calendar and clocks"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mash.clocks.models import WorkingPattern

        auditlog.register(WorkingPattern)

        from mash.clocks import signals  # noqa: F401  (connects the receivers)
