from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "mash.tokens"
    label = "tokens"
    verbose_name = "API tokens"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mash.tokens.models import ApiToken

        # The digest never reaches the audit trail: the record names the token by its prefix.
        auditlog.register(ApiToken, exclude_fields=["digest"])
