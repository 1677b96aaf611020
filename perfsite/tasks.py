from celery import shared_task
from django.core.cache import cache
from django.utils import timezone


@shared_task
def heartbeat() -> str:
    """Records when beat last ran, so operators can see the scheduler is alive."""
    now = timezone.now().isoformat()
    cache.set("perfsite:beat-heartbeat", now, timeout=None)
    return now


@shared_task
def ping(value: int) -> int:
    """A round-trip probe for the broker: returns its argument plus one."""
    return value + 1


# The import framework's task lives beside the batches it checks; imported here so the worker,
# which discovers each installed app's ``tasks`` module, registers it.
from perfsite.imports.background import check_upload_batch  # noqa: E402

__all__ = ["check_upload_batch", "heartbeat", "ping"]
