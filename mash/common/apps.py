from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "mash.common"
    label = "common"
    verbose_name = "Common"
