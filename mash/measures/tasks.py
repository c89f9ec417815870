from celery import shared_task

from mash.measures import warming


@shared_task
def warm_dashboards() -> dict[str, int]:
    """Rebuild the dashboards' cached figures (mash/measures/warming.py)."""
    return warming.warm()
