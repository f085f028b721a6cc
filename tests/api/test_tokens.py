"""Personal API tokens: stored hashed, shown once, expire, can be revoked, can be read-only."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.api_tokens import api_token_create, api_token_revoke
from accounts.models import ApiToken
from tests.api.conftest import fejl

CASES = "/api/v1/cases/"


def client_with(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_only_the_hash_is_stored(personas):
    token, secret = api_token_create(
        user=personas.owner,
        name="ESDH",
        expires_on=timezone.localdate() + dt.timedelta(days=10),
        read_only=False,
    )
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix)
    stored = [str(value) for value in ApiToken.objects.values_list().get(pk=token.pk)]
    assert secret not in stored


def test_token_authenticates_and_records_last_use(case, personas):
    token, secret = api_token_create(
        user=personas.owner,
        name="ESDH",
        expires_on=timezone.localdate() + dt.timedelta(days=10),
        read_only=False,
    )
    response = client_with(secret).get(CASES)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(case.pk)]
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("secret", ["", "fv_wrong", "a b"])
def test_unknown_token_is_401(db, secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    response = client.get(CASES)
    assert response.status_code == 401
    assert fejl(response)["kode"] == "ikke_logget_ind"


def test_expired_token_is_401(case, personas, make_token):
    secret = make_token(personas.owner, days=5)
    assert client_with(secret).get(CASES).status_code == 200
    # Local times, not now + n days: late in the evening that would cross midnight.
    last_day = timezone.localdate() + dt.timedelta(days=5)
    late_on_last_day = timezone.make_aware(dt.datetime.combine(last_day, dt.time(23, 30)))
    with time_machine.travel(late_on_last_day, tick=False):
        assert client_with(secret).get(CASES).status_code == 200  # valid through the day
    with time_machine.travel(late_on_last_day + dt.timedelta(hours=1), tick=False):
        response = client_with(secret).get(CASES)
    assert response.status_code == 401
    assert "udløbet" in fejl(response)["besked"]


def test_revoked_token_is_401(case, personas):
    token, secret = api_token_create(
        user=personas.owner,
        name="ESDH",
        expires_on=timezone.localdate() + dt.timedelta(days=10),
        read_only=False,
    )
    assert api_token_revoke(token=token, user=personas.owner) is True
    assert api_token_revoke(token=token, user=personas.owner) is False
    assert client_with(secret).get(CASES).status_code == 401


def test_only_the_owner_revokes(personas):
    token, _secret = api_token_create(
        user=personas.owner,
        name="ESDH",
        expires_on=timezone.localdate() + dt.timedelta(days=10),
        read_only=False,
    )
    with pytest.raises(ValidationError):
        api_token_revoke(token=token, user=personas.colleague)


def test_inactive_user_token_is_401(case, personas, make_token):
    secret = make_token(personas.owner)
    personas.owner.is_active = False
    personas.owner.save()
    assert client_with(secret).get(CASES).status_code == 401


def test_read_only_token_reads_but_may_not_write(case, plan, personas, token_client):
    client = token_client(personas.owner, read_only=True)
    assert client.get(f"/api/v1/cases/{case.pk}/plan/").status_code == 200
    response = client.post(
        f"/api/v1/cases/{case.pk}/plan/goals/",
        {"area": "health", "family_wording": "Sove nok"},
        format="json",
    )
    assert response.status_code == 403
    assert fejl(response)["kode"] == "ingen_adgang"
    assert plan.goals.count() == 1
    # A CPR search only reads, so a read-only token may make it.
    search = client.post("/api/v1/citizens/search/", {"cpr": case.citizen.cpr}, format="json")
    assert search.status_code == 200


@pytest.mark.parametrize(
    ("days", "field"),
    [(0, "expires_on"), (-1, "expires_on"), (366, "expires_on"), (365, None)],
)
def test_expiry_is_required_and_at_most_a_year(personas, days, field):
    expires_on = timezone.localdate() + dt.timedelta(days=days)
    if field is None:
        api_token_create(user=personas.owner, name="x", expires_on=expires_on, read_only=False)
        return
    with pytest.raises(ValidationError) as error:
        api_token_create(user=personas.owner, name="x", expires_on=expires_on, read_only=False)
    assert field in error.value.message_dict


def test_families_get_no_tokens(personas):
    with pytest.raises(ValidationError):
        api_token_create(
            user=personas.family_user,
            name="x",
            expires_on=timezone.localdate() + dt.timedelta(days=3),
            read_only=False,
        )


def test_session_writes_need_csrf(case, plan, personas):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(personas.owner)
    response = client.post(
        f"/api/v1/cases/{case.pk}/plan/goals/",
        {"area": "health", "family_wording": "Sove nok"},
        format="json",
    )
    assert response.status_code == 403
    assert "CSRF" in fejl(response)["besked"]
    assert plan.goals.count() == 1


# --- the profile page ---------------------------------------------------------------------------


def test_profile_creates_a_token_and_shows_the_secret_once(personas, login):
    client = login(personas.owner)
    expires = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("profile"),
        {"action": "create", "token-name": "ESDH", "token-expires_on": expires},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret and secret in response.content.decode()
    token = ApiToken.objects.get(user=personas.owner)
    assert token.name == "ESDH" and not token.read_only
    again = client.get(reverse("profile"))
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()


def test_profile_shows_field_errors(personas, login):
    response = login(personas.owner).post(
        reverse("profile"),
        {"action": "create", "token-name": "", "token-expires_on": "2001-01-01"},
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    html = response.content.decode()
    assert 'aria-describedby="id_token-name_helptext id_token-name_error"' in html
    assert 'aria-describedby="id_token-expires_on_helptext id_token-expires_on_error"' in html
    assert "Udløbsdatoen skal ligge efter i dag." in html


def test_profile_revokes_after_confirmation(personas, login, make_token):
    make_token(personas.owner)
    token = ApiToken.objects.get()
    client = login(personas.owner)
    confirm = client.get(reverse("profile"), {"tilbagekald": token.pk})
    assert "Tilbagekald nøgle?" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # asking is not doing
    response = client.post(reverse("profile"), {"action": "revoke", "token": token.pk})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_profile_cannot_revoke_someone_elses_token(personas, login, make_token):
    make_token(personas.colleague)
    token = ApiToken.objects.get()
    response = login(personas.owner).post(
        reverse("profile"), {"action": "revoke", "token": token.pk}
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("raw", ["²", "①", "x", ""])
def test_profile_revoke_or_confirm_of_a_token_that_is_not_a_number(raw, personas, login):
    # "²".isdigit() is true, but int("²") fails: found by tests/property.
    client = login(personas.owner)
    assert client.post(reverse("profile"), {"action": "revoke", "token": raw}).status_code == 404
    assert client.get(reverse("profile"), {"tilbagekald": raw}).status_code == 200


def test_profile_is_for_staff(personas, login, client):
    assert login(personas.family_user).get(reverse("profile")).status_code == 404
    assert client.get(reverse("profile")).status_code == 302


def test_the_profile_shows_the_last_day_the_token_works(personas, login, make_token):
    import datetime as dt

    from django.utils import timezone

    make_token(personas.owner, days=30)
    page = login(personas.owner).get("/profil/").content.decode()

    last_day = timezone.localdate() + dt.timedelta(days=30)
    assert f"<td>{last_day:%d.%m.%Y}</td>" in page
