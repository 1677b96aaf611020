from django.conf import settings
from django.core.management import BaseCommand, CommandError

from perfsite.demo import demo_totp_device, totp_code_now


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo user (officer, admin). Debug mode only."

    def add_arguments(self, parser):
        parser.add_argument("username", help="A demo user with an authenticator: officer or admin.")

    def handle(self, *args, username: str, **options):
        # The demo's stand-in for a phone. Never in production, where "officer" may be a real account.
        if not settings.DEBUG:
            raise CommandError("demo_code works only in debug mode (the demo).")
        device = demo_totp_device(username)
        if device is None:
            raise CommandError(f"{username!r} is not a demo user with an authenticator; run manage.py demo first.")
        self.stdout.write(totp_code_now(device))
