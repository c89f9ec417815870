from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    name = "mash.subject_access"
    label = "subject_access"
    verbose_name = "Subject access requests"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mash.common.management.commands.seed_demo import seed_demo_extend
        from mash.sharing.governance import Page, register_page
        from mash.sharing.trails import ids_of, register_children
        from mash.subject_access import trays  # noqa: F401  (registers the work tray's section)
        from mash.subject_access.demo import load_demo_subject_access
        from mash.subject_access.models import SubjectAccessItem, SubjectAccessRequest

        auditlog.register(SubjectAccessRequest)
        auditlog.register(SubjectAccessItem)
        # The trail of a request holds its items' decisions too.
        register_children(SubjectAccessRequest, lambda sar: [ids_of(sar.items.all())])
        register_page(
            Page(
                title="Subject access requests",
                url_name="subject_access:list",
                description="Requests for the information held about a person: their clocks, the "
                "decisions on what is released, the response.",
                order=50,
            )
        )
        seed_demo_extend.connect(load_demo_subject_access, dispatch_uid="subject_access.demo")
