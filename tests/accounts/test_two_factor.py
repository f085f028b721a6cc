"""Two-factor authentication (TOTP and recovery codes) for staff, never for families."""

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from demo import factories as f
from tests.accounts.conftest import code_for, enrol, password_login

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PAGES = [
    "/",
    "/sager/",
    "/sager/ny-underretning/",
    "/frister/",
    "/paamindelser/",
    "/profil/",
    "/api/v1/cases/",
    "/admin/",
    "/findes-ikke/",
]


def verified_client(user) -> Client:
    """Logged in with password and code, as a staff member after a full login."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or enrol(user)[0]
    client = Client()
    assert password_login(client, user).status_code == 302
    response = client.post("/login/kode/", {"code": code_for(device), "next": "/sager/"})
    assert response.status_code == 302 and response["Location"] == "/sager/"
    return client


@pytest.mark.parametrize("path", PAGES)
def test_staff_without_a_device_is_sent_to_enrolment_from_every_page(caseworker, path):
    client = Client()
    client.force_login(caseworker)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/opsaet/?next=")


def test_a_case_page_and_a_form_post_are_refused_before_enrolment(caseworker, case):
    client = Client()
    client.force_login(case.owner)
    assert client.get(f"/sager/{case.pk}/")["Location"].startswith("/login/opsaet/")
    response = client.post("/sager/ny-underretning/", {"cpr": "x"})
    assert response.status_code == 302 and response["Location"] == "/login/opsaet/"
    htmx = client.get("/sager/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith("/login/opsaet/")


def test_enrolment_shows_qr_and_key_then_recovery_codes_once(caseworker):
    with time_machine.travel(NOW, tick=False) as traveller:
        client = Client()
        response = password_login(client, caseworker)
        assert response["Location"] == "/login/opsaet/?next=%2Fsager%2F"
        page = client.get(response["Location"])
        html = page.content.decode()
        assert page.status_code == 200
        assert "<svg" in html and 'class="qr-code"' in html  # drawn by the app, inline
        assert "no-store" in page["Cache-Control"]
        device = TOTPDevice.objects.get(user=caseworker)
        assert not device.confirmed
        secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', html).group(1)
        assert len(secret.replace(" ", "")) == 32
        # A reload shows the same key: the phone may already have scanned it.
        assert secret in client.get("/login/opsaet/").content.decode()

        wrong = client.post("/login/opsaet/", {"code": "000000", "next": "/sager/"})
        assert wrong.status_code == 400 and "Koden passer ikke" in wrong.content.decode()
        traveller.shift(dt.timedelta(seconds=30))  # past the throttle

        done = client.post("/login/opsaet/", {"code": code_for(device), "next": "/sager/"})
        assert done.status_code == 200
        codes = done.context["codes"]
        assert len(codes) == 10 and all(c in done.content.decode() for c in codes)
        assert "no-store" in done["Cache-Control"]
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/sager/").status_code == 200
        # Shown once: the enrolment page no longer exists for this user, nor the codes.
        again = client.get("/login/opsaet/")
        assert again.status_code == 302
        assert codes[0] not in client.get("/profil/").content.decode()


def test_with_a_device_a_session_without_the_code_is_refused(caseworker):
    enrol(caseworker)
    client = Client()
    client.force_login(caseworker)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/login/kode/"), path
    # Enrolling another device needs a passed code first.
    assert client.get("/login/opsaet/").status_code == 302
    assert not TOTPDevice.objects.filter(user=caseworker, confirmed=False).exists()


def test_correct_code_logs_in_wrong_code_does_not_and_counts_as_failure(caseworker):
    with time_machine.travel(NOW, tick=False) as traveller:
        device, _ = enrol(caseworker)
        client = Client()
        response = password_login(client, caseworker)
        assert response["Location"] == "/login/kode/?next=%2Fsager%2F"
        assert "Indtast kode" in client.get(response["Location"]).content.decode()

        wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
        refused = client.post("/login/kode/", {"code": wrong, "next": "/sager/"})
        assert refused.status_code == 400
        assert "Koden er forkert" in refused.content.decode()
        assert client.get("/sager/")["Location"].startswith("/login/kode/")
        attempt = AccessAttempt.objects.get(username=caseworker.username)
        assert attempt.failures_since_start == 1

        traveller.shift(dt.timedelta(seconds=30))  # past django-otp's throttle, a new code
        accepted = client.post("/login/kode/", {"code": code_for(device), "next": "/sager/"})
        assert accepted.status_code == 302 and accepted["Location"] == "/sager/"
        assert client.get("/sager/").status_code == 200
        # The whole login succeeded: earlier failures are forgiven.
        assert not AccessAttempt.objects.filter(username=caseworker.username).exists()
        # The same code cannot be replayed in another session.
        other = Client()
        password_login(other, caseworker)
        replay = other.post("/login/kode/", {"code": code_for(device), "next": "/sager/"})
        assert replay.status_code == 400


def test_an_external_next_is_not_followed(caseworker):
    device, _ = enrol(caseworker)
    client = Client()
    client.post("/login/", {"username": caseworker.username, "password": f.PASSWORD})
    response = client.post(
        "/login/kode/", {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_recovery_code_works_once(caseworker):
    _, codes = enrol(caseworker)
    first = Client()
    password_login(first, caseworker)
    response = first.post("/login/kode/", {"code": codes[0].upper(), "next": "/sager/"})
    assert response.status_code == 302
    page = first.get("/sager/")
    assert page.status_code == 200
    assert "9 tilbage" in page.content.decode()

    second = Client()
    password_login(second, caseworker)
    assert second.post("/login/kode/", {"code": codes[0]}).status_code == 400
    assert second.get("/sager/").status_code == 302
    assert StaticToken.objects.filter(device__user=caseworker).count() == 9


def test_recovery_codes_are_renewed_on_the_profile_page(caseworker):
    _, old = enrol(caseworker)
    client = verified_client(caseworker)
    profile = client.get("/profil/").content.decode()
    assert "Totrinsbekræftelse" in profile and "10 ubrugte gendannelseskoder" in profile
    response = client.post("/profil/gendannelseskoder/")
    assert response.status_code == 200
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert "no-store" in response["Cache-Control"]
    assert set(
        StaticToken.objects.filter(device__user=caseworker).values_list("token", flat=True)
    ) == set(new)
    assert Client().post("/profil/gendannelseskoder/").status_code == 302  # login first


def test_repeated_wrong_codes_lock_out_and_end_the_session(caseworker, settings):
    settings.AXES_FAILURE_LIMIT = 3
    with time_machine.travel(NOW, tick=False) as traveller:
        enrol(caseworker)
        client = Client()
        password_login(client, caseworker)
        for _ in range(2):
            assert client.post("/login/kode/", {"code": "123456"}).status_code == 400
            traveller.shift(dt.timedelta(seconds=60))
        locked = client.post("/login/kode/", {"code": "123456"})
        assert locked.status_code == 429
        assert "spærret" in locked.content.decode()
        # The session is gone, and the right password and code do not help while locked.
        assert client.get("/sager/")["Location"].startswith("/login/?next=")
        traveller.shift(dt.timedelta(seconds=60))
        assert password_login(client, caseworker).status_code == 429


def test_the_family_is_not_asked_for_a_code(parent):
    client = Client()
    response = client.post("/login/", {"username": parent.username, "password": f.PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/familie/").status_code == 200
    assert client.get("/login/kode/").status_code == 302  # nothing to verify
    assert client.get("/login/opsaet/").status_code == 404
    assert not TOTPDevice.objects.exists()


def test_off_in_demo_mode(caseworker, settings):
    settings.TWO_FACTOR_REQUIRED = False
    client = Client()
    response = password_login(client, caseworker)
    assert response["Location"] == "/sager/"
    assert client.get("/sager/").status_code == 200


def test_the_setting_defaults_to_on_outside_demo():
    # In a fresh interpreter: settings are read from the environment once, at import.
    code = (
        "import importlib, os\n"
        "for env in ('demo', 'production', 'development'):\n"
        "    os.environ['APP_ENV'] = env\n"
        "    import familievaerft.settings as s\n"
        "    print(env, importlib.reload(s).TWO_FACTOR_REQUIRED)\n"
    )
    environment = {
        k: v for k, v in os.environ.items() if k not in {"TWO_FACTOR_REQUIRED", "APP_ENV"}
    } | {"SECRET_KEY": "x" * 50}
    result = subprocess.run(  # noqa: S603 (this interpreter, code written here)
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["demo", "False", "production", "True", "development", "True"]


def test_admin_role_is_staff_for_two_factor(db):
    admin = f.UserFactory(username="adm", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/")["Location"].startswith("/login/opsaet/")
