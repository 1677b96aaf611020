import logging
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

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
    Without Redis, the web server and a Celery worker run as two child processes on the embedded
    broker (``PERFSITE_EMBEDDED_WORKER``), and both stop with the demo.
    """
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    if settings.REDIS_URL:
        call_command("runserver", addrport, use_reloader=False)
        return
    processes = start_embedded(addrport)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop_processes(processes)


def embedded_environment() -> dict[str, str]:
    return {**os.environ, "PERFSITE_EMBEDDED_WORKER": "1"}


def worker_command(schedule: Path | None = None) -> list[str]:
    """A Celery worker with the beat schedule, one task at a time: the embedded default's background jobs."""
    schedule = schedule or Path(settings.CELERY_QUEUE_DIR) / "beat-schedule"
    return [
        sys.executable,
        "-m",
        "celery",
        "--app",
        "perfsite",
        "worker",
        "--pool",
        "solo",
        "--beat",
        "--schedule",
        str(schedule),
        "--loglevel",
        "WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


def start_embedded(addrport: str) -> list[subprocess.Popen]:
    environment = embedded_environment()
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    # Fixed argument lists of this interpreter and this project; addrport is the operator's own option.
    worker = subprocess.Popen(worker_command(), cwd=settings.BASE_DIR, env=environment)  # noqa: S603
    web = subprocess.Popen(  # noqa: S603
        [sys.executable, manage, "runserver", addrport, "--noreload"], cwd=settings.BASE_DIR, env=environment
    )
    return [worker, web]


def stop_processes(processes: list[subprocess.Popen], timeout: float = 20) -> None:
    """SIGTERM (a worker's warm shutdown finishes its task), then SIGKILL whatever is still running."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
