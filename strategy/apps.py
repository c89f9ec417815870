from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "Strategy"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mash.common.management.commands.seed_demo import seed_demo_extend
        from mash.people.history import register_history_source
        from referrals.extensions import register_referral_panel
        from strategy import (
            models,
            policy,  # noqa: F401  registers the sharing rules
        )
        from strategy.demo import load_demo_strategy
        from strategy.panels import referral_strategy_panel
        from strategy.selectors import person_strategy_history

        for model in (
            models.ThresholdDecision,
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
        register_history_source(person_strategy_history)
        seed_demo_extend.connect(load_demo_strategy, dispatch_uid="strategy.demo")
