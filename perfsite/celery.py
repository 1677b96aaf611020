"""The Celery application, configured from Django settings (CELERY_ namespace)."""

import os

from celery import Celery
from celery.signals import celeryd_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfsite.settings")

app = Celery("perfsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# celeryd_init: sent by the `celery worker` command only, before anything starts (not by the
# in-process workers the tests start around their own test database).
@celeryd_init.connect
def refuse_to_start_without_services(sender=None, **kwargs):
    """The worker says "ready" only once the database, cache and broker answer; else it stops naming them."""
    from perfsite.startup import require_services

    require_services("Celery worker")
