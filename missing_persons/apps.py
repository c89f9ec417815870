from django.apps import AppConfig


class MissingPersonsConfig(AppConfig):
    name = "missing_persons"
    verbose_name = "Missing persons"
