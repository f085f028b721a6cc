"""Rate limits (core.rate_limits, accounts.api_authentication): invitation links, API keys,
making API keys.

Each limit is hit here, and what lies beyond it is a Danish 429 — a page for the pages, the
API's error shape for the API — while another client address (or user) goes on unhindered.
"""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from access.models import AccessLogEntry
from accounts.api_tokens import api_token_create

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def secret_for(user) -> str:
    _token, secret = api_token_create(
        user=user,
        name="Test",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        read_only=False,
    )
    return secret


def api(secret: str, address: str = "10.0.0.1") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_guessing_invitation_links_is_stopped_after_the_limit(client, settings):
    settings.INVITATION_RATE_LIMIT = "5/h"
    for attempt in range(5):
        response = client.get(f"/familie/invitation/guess-{attempt}/", REMOTE_ADDR="10.0.0.7")
        assert response.status_code == 404
    response = client.get("/familie/invitation/guess-6/", REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429
    assert "For mange forsøg" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    # Posting counts too, and another address is not affected.
    assert client.post("/familie/invitation/", REMOTE_ADDR="10.0.0.7").status_code == 429
    assert client.get("/familie/invitation/x/", REMOTE_ADDR="10.0.0.8").status_code == 404


def test_wrong_api_keys_are_throttled_per_address_even_before_a_right_one(personas):
    good = secret_for(personas.owner)
    assert api(good).get(CASES).status_code == 200
    for attempt in range(10):  # REST_FRAMEWORK's "failed_token": 10/hour
        assert api(f"fv_wrong{attempt}").get(CASES).status_code == 401
    refused = api("fv_wrong-again").get(CASES)
    assert refused.status_code == 429
    assert refused.json()["fejl"]["kode"] == "for_mange_forespoergsler"
    assert refused.json()["fejl"]["besked"].startswith("For mange forespørgsler. Prøv igen om")
    assert "Retry-After" in refused
    # The right key from the same address waits too; from elsewhere it works.
    assert api(good).get(CASES).status_code == 429
    assert api(good, address="10.0.0.2").get(CASES).status_code == 200


def test_api_keys_without_the_token_keyword_are_not_counted(personas):
    for _ in range(12):
        response = APIClient(REMOTE_ADDR="10.0.0.3").get(
            CASES, HTTP_AUTHORIZATION="Bearer something"
        )
        assert response.status_code == 401  # not our scheme: anonymous, not a failed key


def test_making_api_keys_is_limited_per_user(login, personas, settings):
    settings.API_TOKEN_CREATE_RATE_LIMIT = "3/h"
    owner, lead = login(personas.owner), login(personas.team_lead)
    form = {
        "token-name": "ESDH",
        "token-expires_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }
    for _ in range(3):
        assert owner.post("/profil/", form).status_code == 200
    response = owner.post("/profil/", form)
    assert response.status_code == 429
    assert "For mange forsøg" in response.content.decode()
    assert personas.owner.api_tokens.count() == 3
    assert lead.post("/profil/", form).status_code == 200
    # Reading the page and revoking a key are not limited.
    assert owner.get("/profil/").status_code == 200
    token = personas.owner.api_tokens.first()
    assert owner.post("/profil/", {"action": "revoke", "token": token.pk}).status_code == 302


def test_a_rate_limited_request_is_not_written_to_the_access_log(client, settings):
    settings.INVITATION_RATE_LIMIT = "1/h"
    client.get("/familie/invitation/a/")
    before = AccessLogEntry.objects.count()
    for _ in range(5):
        assert client.get("/familie/invitation/b/").status_code == 429
    assert AccessLogEntry.objects.count() == before  # a flood cannot fill the log
