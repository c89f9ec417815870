from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mash.notifications"
    label = "notifications"
    verbose_name = "Notifications"
