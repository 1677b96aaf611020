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
