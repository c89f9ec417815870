from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "mash.measures"
    label = "measures"
    verbose_name = "Measures"

    def ready(self) -> None:
        from mash.common import navigation
        from mash.measures import timeliness  # noqa: F401  (registers the deadlines' measure)
        from mash.measures.scope import may_see_measures

        navigation.register(navigation.Item("measures", "Measures", "measures:home", may_see_measures, 90))
