from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    """Sign-in: the second factor, sessions (idle timeout, ending them) and the sign-in event log."""

    default = True
    name = "mash.accounts"
    label = "accounts"
    verbose_name = "Sign-in and sessions"

    def ready(self):
        from mash.accounts import signals  # noqa: F401  (connects the receivers)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin whose site opens only to a user verified by their second factor."""

    default = False
    default_site = "mash.accounts.admin_site.VerifiedAdminSite"
