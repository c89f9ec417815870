from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "Strategy"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mash.agencies.policy import is_lead_case_worker
        from mash.common import navigation
        from mash.common.management.commands.seed_demo import seed_demo_extend
        from mash.measures.registry import import_all
        from mash.people.chronology import register_chronology_source
        from mash.people.history import register_history_source
        from referrals.extensions import register_referral_panel
        from strategy import (  # policy registers the sharing rules
            dissemination,
            models,
            policy,
            trays,  # noqa: F401  (registers the work tray's sections)
        )
        from strategy.chronology import strategy_chronology, threshold_chronology
        from strategy.demo import load_demo_strategy
        from strategy.panels import referral_strategy_panel
        from strategy.selectors import people_strategy_history

        dissemination.register()

        for model in (
            models.ThresholdDecision,
            models.AnswerRating,
            models.StrategyDiscussion,
            models.Invitation,
            models.SubjectDecision,
            models.Action,
            models.Addendum,
            models.StrategyTimescale,
            models.StrategyDiscussionGroupObjectPermission,
        ):
            auditlog.register(model)
        register_referral_panel(referral_strategy_panel)
        register_history_source(people_strategy_history)
        register_chronology_source(threshold_chronology)
        register_chronology_source(strategy_chronology)
        seed_demo_extend.connect(load_demo_strategy, dispatch_uid="strategy.demo")
        # After today's demo (load_demo_strategy makes nothing once a discussion exists).
        from strategy.demo_history import load_demo_strategy_history

        seed_demo_extend.connect(load_demo_strategy_history, dispatch_uid="strategy.demo_history")
        navigation.register(
            navigation.Item("strategy", "Strategy", "strategy:queue", is_lead_case_worker, 40),
            navigation.Item(
                "discussions", "Discussions", "strategy:discussions", policy.may_list_discussions, 50
            ),
            navigation.Item("actions", "My actions", "strategy:actions", policy.may_list_discussions, 80),
        )
        from strategy import trails

        trails.register()  # the records under each record, for its trail
        from strategy import retention

        retention.register()
        import_all("strategy.measures")  # its measures register themselves
        from strategy import inspection  # noqa: F401  (registers Annex A's list 5)
