import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from demo.members import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the demo staff accounts' current authenticator code (the second factor asked at "
        "sign-in), for trying the site without a phone."
    )

    def handle(self, *args, **options):
        now = time.time()
        period = app_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now // period)))
        left = period - int(now % period)
        self.stdout.write(code)
        self.stderr.write(
            f"(valid for {left} more seconds; secret {DEMO_TOTP_SECRET} for an authenticator app)"
        )
