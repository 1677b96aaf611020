"""manage.py wait_for_services [--timeout S]: wait until the database, cache and broker answer, or fail naming them."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from perfsite.startup import describe, service_checks, wait_for_services


class Command(BaseCommand):
    help = "Wait until the database, the cache and the Celery broker answer; fail naming any that does not."
    # The point is to run before the services answer: the system checks would ask them first.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=settings.PERFSITE_STARTUP_WAIT_SECONDS,
            help="Seconds to keep asking before giving up (default PERFSITE_STARTUP_WAIT_SECONDS).",
        )

    def handle(self, *args, timeout: float, **options):
        if timeout < 0:
            raise CommandError("--timeout must be 0 or more seconds.")
        down = wait_for_services(timeout)
        if down:
            raise CommandError(f"Not ready after {timeout:g} s: {describe(down)}.")
        self.stdout.write(f"Services answer: {', '.join(service_checks())}.")
