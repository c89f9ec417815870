import logging

from celery import shared_task

from mash.sharing import partitions

logger = logging.getLogger(__name__)


@shared_task
def maintain_access_log() -> dict:
    """Daily (beat): the access log's months ahead, its retention, and a warning if the default fills."""
    created = partitions.ensure_access_log_partitions()
    dropped = partitions.drop_expired_access_log_partitions()
    waiting = partitions.default_partition_rows()
    if waiting:
        logger.warning(
            "Access log: %d rows in the default partition (no month holds them): "
            "ensure_access_log_partitions moves them once their month is created",
            waiting,
        )
    return {"created": created, "dropped": [name for name, _ in dropped], "default_rows": waiting}
