"""In real Chromium: a caseworker sets up the authenticator app at the first login, then logs
in with password and code."""

import base64
import os

import pytest
from django_otp.oath import totp

from accounts.models import Role
from demo import factories as f
from tests.browser import new_page

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What the phone shows, typed from the key as written on the page."""
    key = base64.b32decode(secret.replace(" ", ""))
    # t0 moved back: the code of a later 30-second step (the app's clock may run a little ahead,
    # and a code already used is never accepted twice).
    return f"{totp(key, step=30, t0=-30 * steps_ahead, digits=6):06d}"


def log_in(page, base: str, user) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Brugernavn").fill(user.username)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def test_enrolment_then_login_with_a_code(live_server, browser):
    from playwright.sync_api import expect

    user = f.UserFactory(username="sagsbehandler", role=Role.CASEWORKER)
    f.add_member(f.TeamFactory(name="Team Nord"), user)

    page = new_page(browser)
    log_in(page, live_server.url, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Opsæt totrinsbekræftelse")
    expect(page.locator("svg.qr-code")).to_be_visible()
    secret = page.locator("#otp-secret").inner_text()
    page.get_by_label("Kode").fill(app_code(secret))
    page.get_by_role("button", name="Bekræft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dine gendannelseskoder")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Jeg har gemt koderne – fortsæt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine sager")
    page.context.close()

    again = new_page(browser)
    log_in(again, live_server.url, user)
    expect(again.get_by_role("heading", level=1)).to_have_text("Indtast kode")
    again.get_by_label("Kode").fill(app_code(secret, steps_ahead=1))
    again.get_by_role("button", name="Log ind").click()
    expect(again.get_by_role("heading", level=1)).to_have_text("Mine sager")
    again.context.close()
