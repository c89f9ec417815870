from django.apps import AppConfig


class MissingPersonsConfig(AppConfig):
    name = "missing_persons"
    verbose_name = "Missing persons"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mash.common import navigation
        from mash.common.management.commands.seed_demo import seed_demo_extend
        from mash.measures.registry import import_all
        from mash.people.chronology import register_chronology_source
        from mash.people.history import register_history_source
        from missing_persons import (  # policy registers the sharing rule
            models,
            policy,
            trays,  # noqa: F401  (registers the work tray's sections)
        )
        from missing_persons.chronology import missing_chronology
        from missing_persons.demo import load_demo_missing
        from missing_persons.receivers import grant_attached_episodes
        from missing_persons.selectors import people_episode_history
        from referrals.signals import agencies_asked

        for model in (
            models.Episode,
            models.RiskGrading,
            models.ReturnInterview,
            models.RepeatFlag,
            models.ImportBatch,
            models.RepeatTrigger,
            models.EpisodeGroupObjectPermission,
        ):
            auditlog.register(model)
        register_history_source(people_episode_history)
        register_chronology_source(missing_chronology)
        navigation.register(
            navigation.Item("missing", "Missing", "missing_persons:dashboard", policy.sees_all_episodes, 60)
        )
        seed_demo_extend.connect(load_demo_missing, dispatch_uid="missing_persons.demo")
        agencies_asked.connect(
            grant_attached_episodes, dispatch_uid="missing_persons.grant_attached_episodes"
        )
        from missing_persons import trails

        trails.register()  # the records under each record, for its trail
        from missing_persons import retention

        retention.register()
        import_all("missing_persons.measures")  # its measures register themselves
