from celery import shared_task

from strategy import services


@shared_task
def send_action_reminders() -> list[int]:
    return list(services.send_action_reminders())
