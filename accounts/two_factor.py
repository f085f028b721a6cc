"""Two-factor authentication for staff: a TOTP app (django-otp's otp_totp) and single-use
recovery codes (otp_static).

Staff (STAFF_ROLES, or Django staff/superusers) must have a confirmed TOTP device and pass
it at every login while settings.TWO_FACTOR_REQUIRED is on; families are never asked.
"""

import base64
import logging
import re
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import STAFF_ROLES, User

log = logging.getLogger("familievaerft.auth")

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"
TOTP_DEVICE_NAME = "authenticator"
TOTP_PATTERN = re.compile(r"^\d{6}$")


def two_factor_applies(user: User) -> bool:
    """Whether this user must use a second factor (the setting on, and staff)."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.role in STAFF_ROLES or user.is_staff or user.is_superuser


def has_device(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def pending_totp_device(user: User) -> TOTPDevice:
    """The not yet confirmed TOTP device of an enrolment (the same one on every reload, so
    the QR code does not change under the user's phone)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, as authenticator apps accept it typed in."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, title: str) -> str:
    """The otpauth:// URL as an inline SVG QR code, drawn by the app itself (no service)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, title=title, svgclass="qr-code", lineclass=None, omitsize=True
    )
    # A viewBox (omitsize) so the stylesheet can size it; an image named by its <title>.
    return str(svg).replace("<svg ", '<svg role="img" ', 1)


def normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def confirm_enrolment(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with a code from the app: returns the new recovery codes (to be
    shown once), or None if the code is wrong."""
    code = normalise(code)
    if not TOTP_PATTERN.match(code):
        return None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or not device.verify_token(code):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        codes = new_recovery_codes(device.user)
    log.info("two-factor enrolment completed user_id=%s", device.user_id)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new single-use ones."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    log.info("recovery codes renewed user_id=%s", user.pk)
    return codes


def verify_code(user: User, code: str) -> Device | None:
    """The device that accepts this code: six digits go to the TOTP app, anything else is
    tried as a recovery code (which is used up). None if nothing accepts it."""
    code = normalise(code)
    if not code or len(code) > 16:
        return None
    model: type[Device] = TOTPDevice if TOTP_PATTERN.match(code) else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


@dataclass
class TwoFactorStatus:
    device: TOTPDevice | None
    recovery_codes_left: int


def status(user: User) -> TwoFactorStatus:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return TwoFactorStatus(device=device, recovery_codes_left=left)
