"""gunicorn settings read from the working directory: the web process refuses to start without its services.

The Procfile already runs ``manage.py wait_for_services`` first; this hook keeps the same promise when
gunicorn is started some other way (a systemd unit, a container's command).
"""

import os


def on_starting(server):
    """Runs once in the master before any worker: stop with a message naming the service that does not answer."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfsite.settings")
    django.setup()
    from perfsite.startup import require_services

    require_services("gunicorn")  # waits up to PERFSITE_STARTUP_WAIT_SECONDS
    # The master forks the workers: a connection it opened here would be shared by all of them, and
    # their queries' answers would cross (sessions "corrupted", rows of another query). Close them.
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    caches.close_all()


# Threads per worker (gunicorn's gthread worker when above 1): a sync worker sits idle while its one
# request waits on PostgreSQL or Redis, and on two CPUs three of them queued every page behind the
# slowest (docs/decisions/0010-web-worker-threads.md). Each thread keeps its own database connection.
threads = int(os.environ.get("WEB_THREADS", "4"))
