import logging
import signal
from contextlib import contextmanager

from django.conf import settings
from django.core.management import BaseCommand, call_command

from perfsite.demo import (
    DEMO_USERS,
    demo_totp_device,
    ensure_demo_second_factors,
    ensure_demo_users,
    generate_password,
    load_app_demos,
)
from perfsite.mfa.services import totp_secret_text


@contextmanager
def quiet_eager_tasks():
    """Without Redis, loading the demo runs hundreds of small tasks in-process; one log line each is noise."""
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(logging.WARNING)
    try:
        yield
    finally:
        trace.setLevel(level)


def _stop(signum, frame):
    raise KeyboardInterrupt


def serve(addrport: str) -> None:
    """Serve until Ctrl+C, SIGINT or SIGTERM, however the process was started.

    A shell starts a background job with SIGINT ignored, and Python keeps an ignored SIGINT ignored,
    so `make demo &` could not be stopped with `kill -INT`; both signals end the server here.
    """
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    call_command("runserver", addrport, use_reloader=False)


class Command(BaseCommand):
    help = "Migrate, create one demo user per role, load demo data and serve on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Stop after loading; do not start the server.")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="Where to serve (default 127.0.0.1:8000).")

    def handle(self, *args, no_serve: bool, addrport: str, **options):
        call_command("migrate", interactive=False, verbosity=0)
        password = settings.PERFSITE_DEMO_PASSWORD or generate_password()
        created = ensure_demo_users(password=password)
        ensure_demo_second_factors()
        with quiet_eager_tasks():
            load_app_demos(stdout=self.stdout)
        if created:
            shown = password if not settings.PERFSITE_DEMO_PASSWORD else "the value of PERFSITE_DEMO_PASSWORD"
            self.stdout.write(self.style.SUCCESS(f"Created demo users {', '.join(created)} with password: {shown}"))
        else:
            self.stdout.write("Demo users already exist; their passwords are unchanged.")
        self.stdout.write("Demo users: " + ", ".join(f"{u.username} ({u.role or 'superuser'})" for u in DEMO_USERS))
        for spec in DEMO_USERS:
            device = demo_totp_device(spec.username) if spec.second_factor else None
            if device is not None:
                self.stdout.write(
                    f"{spec.username} also gives a two-factor code after the password: run "
                    f"`manage.py demo_code {spec.username}` for the current one, or add the key "
                    f"{totp_secret_text(device)} to an authenticator app."
                )
        if no_serve:
            return
        self.stdout.write(f"Serving on http://{addrport}/ (Ctrl+C to stop)")
        serve(addrport)
