from celery import shared_task

from referrals.requests import services as request_services


@shared_task
def send_reminders_and_escalations() -> list[int]:
    return list(request_services.send_reminders_and_escalations())
