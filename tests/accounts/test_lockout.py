"""Lock-out after repeated failed logins (django-axes) and the login rate limit."""

import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client, RequestFactory

from accounts.client_ip import client_ip
from accounts.models import Role
from demo import factories as f
from tests.accounts.conftest import password_login

BEHIND_PROXY = {"REMOTE_ADDR": "172.18.0.1"}


def from_ip(address: str) -> dict:
    """What the reverse proxy sends: the client's address appended to X-Forwarded-For."""
    return {**BEHIND_PROXY, "HTTP_X_FORWARDED_FOR": f"10.9.9.9, {address}"}


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture(autouse=True)
def _no_two_factor(settings, _two_factor_on):
    settings.TWO_FACTOR_REQUIRED = False  # the password step alone is under test here


def test_client_ip_takes_the_proxys_entry_not_what_the_client_wrote(settings):
    rf = RequestFactory()
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(rf.get("/", **from_ip("203.0.113.7"))) == "203.0.113.7"
    assert client_ip(rf.get("/", **BEHIND_PROXY, HTTP_X_FORWARDED_FOR="nonsense")) == "172.18.0.1"
    assert client_ip(rf.get("/", **BEHIND_PROXY)) == "172.18.0.1"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(rf.get("/", **from_ip("203.0.113.7"))) == "172.18.0.1"


def test_repeated_wrong_passwords_lock_the_username(caseworker, settings, caplog):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            response = password_login(client, caseworker, password="forkert")
            assert response.status_code == 200
            assert "Brugernavn eller adgangskode er forkert" in response.content.decode()
        locked = password_login(client, caseworker, password="forkert")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Log ind er midlertidigt spærret" in page and "3 forkerte forsøg" in page
    # Now even the right password is refused, from anywhere.
    assert password_login(Client(REMOTE_ADDR="192.0.2.50"), caseworker).status_code == 429
    # Written to the app's log, and kept for the administrator.
    assert f"login lock-out ip=127.0.0.1 user_id={caseworker.pk}" in caplog.text
    assert "AXES: Locking out" in caplog.text
    assert "sagsbehandler" not in caplog.text  # perhaps a password typed in the wrong field
    attempt = AccessAttempt.objects.get(username="sagsbehandler", ip_address="127.0.0.1")
    assert attempt.failures_since_start == 3
    assert "forkert" not in attempt.post_data
    assert AccessFailureLog.objects.filter(username="sagsbehandler").count() >= 3


def test_repeated_failures_from_one_address_lock_that_address(db, settings, behind_proxy):
    settings.AXES_FAILURE_LIMIT = 3
    users = [f.UserFactory(username=f"user{i}", role=Role.CASEWORKER) for i in range(4)]
    for user in users[:3]:
        password_login(Client(), user, password="forkert", **from_ip("203.0.113.7"))
    # Another username from the same address: locked; the same username elsewhere: fine.
    assert password_login(Client(), users[3], **from_ip("203.0.113.7")).status_code == 429
    assert password_login(Client(), users[3], **from_ip("198.51.100.2")).status_code == 302
    attempt = AccessAttempt.objects.filter(ip_address="203.0.113.7")
    assert attempt.count() == 3


def test_administrator_sees_failures_and_lock_outs(caseworker, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        password_login(Client(), caseworker, password="forkert")
    admin = f.UserFactory(username="adm", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    attempts = client.get("/admin/axes/accessattempt/")
    assert attempts.status_code == 200 and "sagsbehandler" in attempts.content.decode()
    failures = client.get("/admin/axes/accessfailurelog/")
    assert failures.status_code == 200 and "sagsbehandler" in failures.content.decode()


def test_a_successful_login_forgives_earlier_failures(caseworker, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(2):
        password_login(client, caseworker, password="forkert")
    assert password_login(client, caseworker).status_code == 302
    assert not AccessAttempt.objects.filter(username=caseworker.username).exists()


def test_login_posts_are_rate_limited_per_address(caseworker, settings, behind_proxy, caplog):
    settings.LOGIN_RATE_LIMIT = "3/m"
    settings.AXES_FAILURE_LIMIT = 100
    for _ in range(3):
        response = password_login(
            Client(), caseworker, password="forkert", **from_ip("203.0.113.9")
        )
        assert response.status_code == 200
    with caplog.at_level(logging.WARNING):
        limited = password_login(Client(), caseworker, **from_ip("203.0.113.9"))
    assert limited.status_code == 429
    assert "for mange login-forsøg" in limited.content.decode()
    assert "login rate limit reached" in caplog.text
    # Reading the form is not limited, and another address is not affected.
    assert Client().get("/login/", **from_ip("203.0.113.9")).status_code == 200
    assert password_login(Client(), caseworker, **from_ip("198.51.100.3")).status_code == 302


def test_the_admin_login_is_rate_limited_too(caseworker, settings):
    settings.LOGIN_RATE_LIMIT = "2/m"
    for _ in range(2):
        Client().post("/admin/login/", {"username": "x", "password": "y"})
    assert Client().post("/admin/login/", {"username": "x", "password": "y"}).status_code == 429
