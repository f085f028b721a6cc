"""With staff single sign-on configured, staff log in through the identity provider; only
break-glass accounts keep the password and the code (and families their passwords). Without
it (`make run`, the demo) every password login works as before. No provider is reached here:
the password form never asks it."""

import pytest
from django.test import Client

from accounts.models import Role
from demo import factories as f
from tests.accounts.conftest import password_login

pytestmark = pytest.mark.django_db

REFUSAL = "Medarbejdere logger ind med kommunens login"


@pytest.fixture
def sso_configured(settings):
    settings.OIDC_STAFF_ISSUER = "http://127.0.0.1:9/o"  # never asked by a password login
    settings.OIDC_STAFF_CLIENT_ID = "familievaerft"


def test_a_staff_password_is_refused_with_a_danish_message(client, caseworker, sso_configured):
    response = password_login(client, caseworker)
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSAL in page
    assert "Log ind som medarbejder" in page
    assert client.get("/sager/").status_code == 302


def test_a_wrong_password_still_says_only_that(client, caseworker, sso_configured):
    page = password_login(client, caseworker, password="forkert").content.decode()
    assert REFUSAL not in page
    assert "Brugernavn eller adgangskode er forkert" in page


def test_a_break_glass_account_logs_in_with_password_and_then_the_code(
    client, caseworker, sso_configured
):
    caseworker.break_glass = True
    caseworker.save()
    response = password_login(client, caseworker)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/opsaet/")  # two-factor, as before


def test_families_keep_their_passwords(client, parent, sso_configured):
    response = password_login(client, parent)
    assert response.status_code == 302


def test_the_admin_login_refuses_a_staff_password_too(client, sso_configured):
    admin = f.UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    response = client.post(
        "/admin/login/", {"username": admin.username, "password": f.PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()


def test_without_single_sign_on_nothing_changes(client, caseworker):
    page = client.get("/login/").content.decode()
    assert "Log ind som medarbejder" not in page and "MitID" not in page
    response = password_login(client, caseworker)
    assert response.status_code == 302
    anonymous = Client()
    assert anonymous.get("/login/medarbejder/").status_code == 404
    assert anonymous.get("/login/mitid/svar/?code=x&state=y").status_code == 404
