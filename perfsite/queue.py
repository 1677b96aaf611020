"""Queue a Celery task once the transaction commits, without letting a broker outage undo a saved form.

The work queued from a web request (recomputing an indicator, building a pack) follows something
already saved. If Redis is down, ``.delay()`` raises after its retries; inside an on-commit hook
that exception would reach the user as a 500 for a submission that was in fact saved. Here the
failure is logged instead: the nightly recompute (``CELERY_BEAT_SCHEDULE``) catches up computed
indicators, and a pack left queued is seen as stale and can be asked for again. The broker is tried
briefly (``CELERY_BROKER_CONNECTION_TIMEOUT``, ``CELERY_TASK_PUBLISH_RETRY_POLICY``) so the page
still answers quickly.
"""

from __future__ import annotations

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    """Send ``task(*args)`` to the worker now; False (and a logged error) if the broker did not take it."""
    try:
        task.delay(*args)
    except (BrokerError, ConnectionError, TimeoutError, OSError) as error:
        logger.error("Could not queue %s%r: %s; the nightly run will catch up.", task.name, args, error)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """``enqueue`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args))
