"""The suite's autouse fixture turns two-factor authentication off; here it is on."""

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor as auth_otp
from accounts.models import Role
from demo import factories as f


@pytest.fixture(autouse=True)
def _two_factor_on(settings, _two_factor_off):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # django-ratelimit counts in the default cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def caseworker(db):
    return f.UserFactory(username="sagsbehandler", role=Role.CASEWORKER)


@pytest.fixture
def parent(db):
    return f.UserFactory(username="forælder", role=Role.FAMILY)


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """A confirmed TOTP device and fresh recovery codes, as after enrolment."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device, auth_otp.new_recovery_codes(user)


def code_for(device: TOTPDevice) -> str:
    """The app's current code (time.time(), so time-machine moves it)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def password_login(client: Client, user, password: str = f.PASSWORD, **extra):
    return client.post(
        "/login/", {"username": user.username, "password": password, "next": "/sager/"}, **extra
    )
