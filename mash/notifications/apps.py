from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mash.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from mash.common import navigation

        navigation.register(navigation.Item("inbox", "Inbox", "notifications:inbox", navigation.everyone, 10))
