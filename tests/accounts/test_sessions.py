"""Idle timeout, absolute lifetime, and the end of every session of a deactivated user."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from accounts.api_tokens import api_token_create
from accounts.models import Role, UserSession
from demo import factories as f

NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _no_two_factor(settings, _two_factor_on):
    settings.TWO_FACTOR_REQUIRED = False  # sessions are under test here


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_idle_timeout_is_30_minutes(caseworker, settings):
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    with time_machine.travel(NOW, tick=False) as traveller:
        client = logged_in(caseworker)
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/sager/").status_code == 200
        traveller.shift(dt.timedelta(minutes=29))  # 29 minutes after the last request
        assert client.get("/sager/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/sager/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        login_page = client.get(response["Location"]).content.decode()
        assert "30 minutter uden aktivitet" in login_page
        assert client.get("/sager/").status_code == 302
        # Long after, the session has gone from the store as well.
        later = logged_in(caseworker)
        traveller.shift(dt.timedelta(minutes=50))
        assert later.get("/sager/")["Location"].startswith("/login/")


def test_the_session_is_written_at_most_once_a_minute(caseworker):
    with time_machine.travel(NOW, tick=False) as traveller:
        client = logged_in(caseworker)
        key = client.session.session_key
        expiry = Session.objects.get(session_key=key).expire_date
        traveller.shift(dt.timedelta(seconds=30))
        client.get("/sager/")
        assert Session.objects.get(session_key=key).expire_date == expiry  # not written
        traveller.shift(dt.timedelta(seconds=31))
        client.get("/sager/")
        refreshed = Session.objects.get(session_key=key).expire_date
        assert refreshed == expiry + dt.timedelta(seconds=61)


def test_absolute_lifetime_ends_even_an_active_session(caseworker, settings):
    assert settings.SESSION_ABSOLUTE_SECONDS == 10 * 60 * 60  # the default
    settings.SESSION_ABSOLUTE_SECONDS = 2 * 60 * 60  # fewer requests to get there
    with time_machine.travel(NOW, tick=False) as traveller:
        client = logged_in(caseworker)
        for _ in range(2 * 3):  # a request every 20 minutes for two hours
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get("/sager/").status_code == 200
        traveller.shift(dt.timedelta(minutes=1))
        response = client.get("/sager/")
        assert response["Location"].startswith("/login/")
        assert "for gammel" in client.get(response["Location"]).content.decode()


def test_logout_forgets_the_session(caseworker):
    client = logged_in(caseworker)
    assert UserSession.objects.filter(user=caseworker).count() == 1
    client.post("/logout/")
    assert not UserSession.objects.filter(user=caseworker).exists()


@pytest.mark.parametrize("how", ["save", "update_fields"])
def test_deactivation_ends_every_session_and_api_token(caseworker, other_caseworker, how):
    office, phone, colleague = (
        logged_in(caseworker),
        logged_in(caseworker),
        logged_in(other_caseworker),
    )
    token, secret = api_token_create(
        user=caseworker,
        name="ESDH",
        expires_on=dt.date.today() + dt.timedelta(days=30),
        read_only=True,
    )
    api = Client(headers={"Authorization": f"Token {secret}"})
    assert api.get("/api/v1/cases/").status_code == 200
    assert Session.objects.count() == 3

    caseworker.is_active = False
    if how == "save":
        caseworker.save()
    else:
        caseworker.save(update_fields=["is_active"])

    assert Session.objects.count() == 1  # only the colleague's
    assert not UserSession.objects.filter(user=caseworker).exists()
    for client in (office, phone):
        assert client.get("/sager/")["Location"].startswith("/login/")
    assert colleague.get("/sager/").status_code == 200
    assert api.get("/api/v1/cases/").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    # Reactivating the user does not bring the key back.
    caseworker.is_active = True
    caseworker.save()
    assert api.get("/api/v1/cases/").status_code == 401


def test_an_unrelated_save_ends_nothing(caseworker):
    client = logged_in(caseworker)
    caseworker.first_name = "Ny"
    caseworker.save()
    assert client.get("/sager/").status_code == 200


@pytest.fixture
def other_caseworker(db):
    return f.UserFactory(username="kollega", role=Role.CASEWORKER)


def test_deactivation_in_the_admin_ends_the_sessions(caseworker, settings):
    admin = f.UserFactory(username="adm", role=Role.ADMIN, is_staff=True, is_superuser=True)
    admin_client = logged_in(admin)
    victim = logged_in(caseworker)
    victim_key = victim.session.session_key
    url = f"/admin/accounts/user/{caseworker.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or name == "password":
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    for name in ("last_login", "date_joined"):
        moment = timezone.localtime(getattr(caseworker, name) or timezone.now())
        data[f"{name}_0"], data[f"{name}_1"] = f"{moment:%Y-%m-%d}", f"{moment:%H:%M:%S}"
        data.pop(name, None)
    data.pop("is_active", None)  # unticked
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    caseworker.refresh_from_db()
    assert not caseworker.is_active
    assert victim.get("/sager/")["Location"].startswith("/login/")
    assert not UserSession.objects.filter(user=caseworker).exists()
    # The session row itself is gone, not merely refused (as Django refuses inactive users).
    assert not Session.objects.filter(session_key=victim_key).exists()
