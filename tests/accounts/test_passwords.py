"""Argon2 password hashing; older hashes are upgraded at the next login."""

from django.contrib.auth.hashers import make_password
from django.test import Client

import familievaerft.settings as project_settings

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_first_and_the_old_hashers_after():
    hashers = project_settings.PASSWORD_HASHERS
    assert hashers[0] == ARGON2
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers[1:]


def test_an_old_hash_is_upgraded_to_argon2_at_login(caseworker, settings):
    settings.TWO_FACTOR_REQUIRED = False
    # Argon2 first, as in the project; an old hasher after it (MD5: fast to make here).
    settings.PASSWORD_HASHERS = [ARGON2, "django.contrib.auth.hashers.MD5PasswordHasher"]
    caseworker.password = make_password("gammel-adgangskode-1", hasher="md5")
    caseworker.save(update_fields=["password"])
    response = Client().post(
        "/login/", {"username": caseworker.username, "password": "gammel-adgangskode-1"}
    )
    assert response.status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.password.startswith("argon2$")
    # And the upgraded hash logs in.
    again = Client().post(
        "/login/", {"username": caseworker.username, "password": "gammel-adgangskode-1"}
    )
    assert again.status_code == 302
