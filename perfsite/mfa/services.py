"""Second-factor devices: an authenticator app (TOTP) and one-time recovery codes."""

from __future__ import annotations

import re
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def normalise_code(raw: str) -> str:
    """People type codes with spaces or dashes ("123 456", "abcd-efgh"); the devices want neither."""
    return re.sub(r"[\s-]", "", raw).lower()


@transaction.atomic
def totp_device_start(*, user) -> TOTPDevice:
    """The person's unconfirmed authenticator device, made once so a reloaded page shows the same key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, code: str) -> bool:
    """Confirm the device with a code from the app; any older app device of the person is removed."""
    if not device.verify_token(normalise_code(code)):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """New recovery codes, replacing any earlier ones (which stop working)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.PERFSITE_MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_check(*, user, code: str):
    """The device that accepts ``code`` (an app code or an unused recovery code), or None.

    Each device counts its own failures and makes the next try wait longer (django-otp's throttling).
    """
    code = normalise_code(code)
    if code.isdigit():
        devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
    for device in devices:
        if device.verify_token(code):
            return device
    return None


def totp_secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// link as a QR code SVG in a data: URI (the CSP allows data: images, not inline styles)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)
