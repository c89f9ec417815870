from celery import shared_task

from mash.clocks import services


@shared_task
def record_breaches() -> int:
    return services.record_breaches()
