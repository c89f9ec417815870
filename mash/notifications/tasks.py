from celery import shared_task

from mash.notifications import services


@shared_task(acks_late=True)
def deliver_notifications(ids: list[int]) -> int:
    return services.deliver_many(ids)


@shared_task
def sweep_pending() -> int:
    return services.sweep()
