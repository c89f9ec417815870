from celery import shared_task

from missing_persons import services


@shared_task
def send_interview_reminders() -> int:
    return services.send_interview_reminders()
