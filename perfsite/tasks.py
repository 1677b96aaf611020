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
