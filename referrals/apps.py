from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mash.common import navigation
        from mash.common.management.commands.seed_demo import seed_demo_extend
        from mash.measures.registry import import_all
        from mash.people.chronology import register_chronology_source
        from mash.people.history import register_history_source
        from referrals import (  # policy registers the sharing rules
            dissemination,
            models,
            policy,
            trays,  # noqa: F401  (registers the work tray's sections)
        )
        from referrals.chronology import consultation_chronology, referral_chronology
        from referrals.demo import load_demo_referrals, load_demo_requests
        from referrals.selectors import people_referral_history

        for model in (models.Referral, models.ReferralSubject, models.Consultation, models.RagRating):
            auditlog.register(model)
        for model in (models.InformationRequest, models.ResponseEntry):
            auditlog.register(model)
        auditlog.register(models.ReferralGroupObjectPermission)
        auditlog.register(models.InformationRequestGroupObjectPermission)
        auditlog.register(models.ConsultationGroupObjectPermission)
        register_history_source(people_referral_history)
        register_chronology_source(referral_chronology)
        register_chronology_source(consultation_chronology)
        dissemination.register()
        seed_demo_extend.connect(load_demo_referrals, dispatch_uid="referrals.demo")
        seed_demo_extend.connect(load_demo_requests, dispatch_uid="referrals.demo_requests")
        seed_demo_extend.connect(dissemination.load_demo_disseminations, dispatch_uid="referrals.demo_dissem")
        from referrals import retention

        retention.register()
        seed_demo_extend.connect(retention.load_demo_old_referrals, dispatch_uid="referrals.demo_retention")
        # After today's demo (load_demo_referrals makes nothing once a referral exists).
        from referrals.demo_history import load_demo_history

        seed_demo_extend.connect(load_demo_history, dispatch_uid="referrals.demo_history")
        navigation.register(
            navigation.Item(
                "requests", "Agency requests", "referrals:agency_inbox", policy.may_answer_requests, 15
            ),
            navigation.Item("referrals", "Triage queue", "referrals:queue", policy.may_list_referrals, 20),
            navigation.Item(
                "consultations",
                "Consultation line",
                "referrals:consultations",
                policy.may_list_consultations,
                30,
            ),
        )
        from referrals import trails

        trails.register()  # the records under each record, for its trail
        import_all("referrals.measures")  # its measures register themselves
        from referrals import inspection  # noqa: F401  (registers Annex A's lists 1 and 3)
