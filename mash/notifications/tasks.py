from celery import shared_task
from django.conf import settings

from mash.notifications import delivery


@shared_task(
    acks_late=True,
    soft_time_limit=settings.NOTIFICATION_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.NOTIFICATION_TASK_TIME_LIMIT,
)
def deliver_notifications(ids: list[int]) -> int:
    return delivery.deliver_many(ids)


@shared_task
def sweep_pending() -> int:
    return delivery.sweep()
