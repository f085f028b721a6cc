"""Every refused request leaves a "denied" row in the access log (access.refusals).

The page and API refusals are generated from the URL configuration: a family member asks for
every staff page and every API endpoint, a caseworker for every family-portal page, and each
answer must be a refusal with a new log row for that user. Then the refusals that are not
about a role: API keys that do not work, a read-only key that writes, CSRF failures, another
user's API key — and the administrators' list of them in the admin.
"""

import datetime as dt
import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from access.models import AccessLogEntry
from accounts.api_tokens import api_token_create, api_token_revoke
from accounts.models import Role
from demo import factories as f

pytestmark = pytest.mark.django_db

DENIED = AccessLogEntry.Action.DENIED
# Open to anyone, or the login itself: nothing to refuse by role.
PUBLIC = {
    "home",
    "healthz",
    "login",
    "logout",
    "set_language",
    "two_factor_verify",
    "two_factor_setup",
    "oidc_staff_login",
    "oidc_staff_callback",
    "oidc_citizen_login",
    "oidc_citizen_callback",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "family:invitation_accept",
    "family:invitation",
}


def url_patterns(patterns=None, prefix="", namespace=""):
    """(name, regex-ish route) for every named pattern outside the admin."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def fill(route: str, case_id: uuid.UUID) -> str:
    def value(match: re.Match) -> str:
        converter, name = match[1], match[2]
        if name == "case_id":
            return str(case_id)
        return {"uuid": str(uuid.uuid4()), "int": "1"}.get(converter, "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


# "Mine sager" and the therapist's "Min forside" send a family member to the family's own
# front page (tested below and in tests/followups/test_therapist_home.py).
SENT_HOME = {"cases:my_cases", "followups:therapist_home"}

ROUTES = dict(url_patterns())
STAFF_PAGES = sorted(
    name
    for name, route in ROUTES.items()
    if name not in PUBLIC | SENT_HOME
    and not name.startswith(("family:", "api:"))
    and not route.startswith("familie/")
)
FAMILY_PAGES = sorted(
    name
    for name in ROUTES
    if name not in PUBLIC and (name.startswith("family:") or ROUTES[name].startswith("familie/"))
)
API_ENDPOINTS = sorted(name for name in ROUTES if name.startswith("api:") and name not in PUBLIC)


def ask(client: Client, path: str):
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path, {})
    return response


def denied_rows(user) -> int:
    return AccessLogEntry.objects.filter(user=user, action=DENIED).count()


def assert_refused_and_logged(client, user, path):
    before = denied_rows(user)
    response = ask(client, path)
    assert response.status_code in (403, 404), f"{path}: {response.status_code}"
    assert denied_rows(user) > before, f"{path} was refused without a log entry"
    row = AccessLogEntry.objects.filter(user=user, action=DENIED).order_by("-id").first()
    assert row.username == user.username
    assert row.target.startswith("/"), row.target


def test_the_generated_lists_cover_the_site():
    assert len(STAFF_PAGES) > 60 and len(FAMILY_PAGES) >= 6 and len(API_ENDPOINTS) > 15
    # The schema and its docs are for staff too (finding 8 of issue 14).
    assert {"api:schema", "api:docs"} <= set(API_ENDPOINTS)
    assert "cases:case_detail" in STAFF_PAGES and "profile" in STAFF_PAGES
    assert "family:network" in FAMILY_PAGES


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_a_family_member_on_a_staff_page_is_refused_and_logged(name, case, personas, login):
    client = login(personas.family_user)
    assert_refused_and_logged(client, personas.family_user, fill(ROUTES[name], case.pk))


def test_a_family_member_asking_for_my_cases_is_sent_to_the_family_page(personas, login):
    response = login(personas.family_user).get("/sager/")
    assert response.status_code == 302 and response["Location"] == "/familie/"


@pytest.mark.parametrize("name", FAMILY_PAGES)
def test_staff_on_a_family_page_is_refused_and_logged(name, case, personas, login):
    client = login(personas.owner)
    assert_refused_and_logged(client, personas.owner, fill(ROUTES[name], case.pk))


@pytest.mark.parametrize("name", API_ENDPOINTS)
def test_a_family_member_on_the_api_is_refused_and_logged(name, case, personas):
    client = APIClient()
    client.force_login(personas.family_user)
    assert_refused_and_logged(client, personas.family_user, fill(ROUTES[name], case.pk))


# --- API keys ---------------------------------------------------------------------------------


def make_secret(user, *, read_only=False):
    token, secret = api_token_create(
        user=user,
        name="Test",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        read_only=read_only,
    )
    return token, secret


def api_with(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def last_denied() -> AccessLogEntry:
    return AccessLogEntry.objects.filter(action=DENIED).order_by("-id").first()


def test_an_unknown_api_key_is_logged_without_the_key(db):
    response = api_with("fv_not-a-real-key").get("/api/v1/cases/")
    assert response.status_code == 401
    row = last_denied()
    assert (row.user, row.username, row.case) == (None, "", None)
    assert row.target == "/api/v1/cases/"
    assert row.reason == "ukendt API-nøgle"
    assert "not-a-real-key" not in row.reason + row.target
    assert AccessLogEntry.objects.filter(action=DENIED).count() == 1  # once, not twice


def test_a_revoked_or_expired_key_is_logged_with_its_owner(personas):
    token, secret = make_secret(personas.owner)
    api_token_revoke(token=token, user=personas.owner)
    assert api_with(secret).get("/api/v1/reminders/").status_code == 401
    row = last_denied()
    assert row.user == personas.owner and "tilbagekaldt" in row.reason
    assert secret not in row.reason

    token, secret = make_secret(personas.owner)
    type(token).objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert api_with(secret).get("/api/v1/reminders/").status_code == 401
    row = last_denied()
    assert row.user == personas.owner and "udløbet" in row.reason


def test_a_malformed_authorization_header_is_logged(db):
    client = APIClient()
    response = client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Token two parts")
    assert response.status_code == 401
    assert last_denied().reason == "ugyldig Authorization-header"


def test_a_read_only_key_that_writes_is_logged_with_the_reason(case, personas):
    _token, secret = make_secret(personas.owner, read_only=True)
    response = api_with(secret).post(f"/api/v1/cases/{case.pk}/journal/", {}, format="json")
    assert response.status_code in (403, 404, 405)
    response = api_with(secret).post("/api/v1/citizens/", {}, format="json")
    if response.status_code == 405:  # the list is read-only anyway: pick a write endpoint
        response = api_with(secret).post(
            f"/api/v1/cases/{case.pk}/network/members/", {}, format="json"
        )
    assert response.status_code == 403
    row = last_denied()
    assert row.user == personas.owner
    assert row.reason.startswith("API 403: API-nøglen har kun læseadgang")


def test_anonymous_api_calls_are_logged(db):
    assert APIClient().get("/api/v1/reminders/").status_code == 401
    row = last_denied()
    assert row.user is None and row.reason.startswith("API 401")


# --- CSRF -------------------------------------------------------------------------------------


def test_a_form_posted_without_its_csrf_token_is_refused_and_logged(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.owner)
    response = client.post("/sager/soeg/", {"q": "Hansen"})
    assert response.status_code == 403
    assert "Formularen er udløbet" in response.content.decode()
    row = last_denied()
    assert row.user == personas.owner
    assert row.target == "/sager/soeg/"
    assert row.reason.startswith("CSRF: ")


def test_an_api_write_from_the_browser_session_without_csrf_is_logged(case, personas):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(personas.owner)
    response = client.post(f"/api/v1/cases/{case.pk}/network/members/", {}, format="json")
    assert response.status_code == 403
    row = last_denied()
    assert row.user == personas.owner and "CSRF" in row.reason


def test_an_invitation_link_never_reaches_the_log(db):
    Client().get("/familie/invitation/secret-token-value/")
    row = last_denied()
    assert "secret-token-value" not in row.target + row.reason


# --- other users' things --------------------------------------------------------------------


def test_revoking_someone_elses_key_is_refused_and_logged(personas, login):
    token, _secret = make_secret(personas.team_lead)
    response = login(personas.owner).post("/profil/", {"action": "revoke", "token": token.pk})
    assert response.status_code == 404
    row = last_denied()
    assert row.user == personas.owner and row.target == "/profil/"
    token.refresh_from_db()
    assert token.revoked_at is None


# --- administrators see them ------------------------------------------------------------------


def test_administrators_read_the_refusals_in_the_admin(case, personas, login):
    admin = f.UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    APIClient().get("/api/v1/reminders/")  # a refusal
    login(personas.owner).get(f"/sager/{case.pk}/")  # a read, not a refusal
    page = login(admin).get("/admin/access/accesslogentry/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Afviste forsøg" in text
    assert "/api/v1/reminders/" in text
    assert f"/sager/{case.pk}/" not in text
    row = last_denied()
    detail = login(admin).get(f"/admin/access/accesslogentry/{row.pk}/change/")
    assert detail.status_code == 200
    assert b'name="reason"' not in detail.content  # read-only: no inputs
    assert (
        login(admin)
        .post(f"/admin/access/accesslogentry/{row.pk}/delete/", {"post": "yes"})
        .status_code
        == 403
    )
    assert AccessLogEntry.objects.filter(pk=row.pk).exists()


def test_anonymous_refusals_past_a_limit_go_to_the_log_file_only(personas, monkeypatch, caplog):
    from access import refusals as security

    monkeypatch.setattr(security, "ANONYMOUS_REFUSALS_LOGGED", "3/h")
    for _ in range(5):
        assert APIClient().get("/api/v1/reminders/").status_code == 401
    assert AccessLogEntry.objects.filter(action=DENIED).count() == 3
    lines = [r for r in caplog.records if r.name == "access.refusals"]
    assert sum("refused GET /api/v1/reminders/" in r.getMessage() for r in lines) == 5
    # A known user's refusals are always written.
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.owner)
    for _ in range(5):
        assert client.post("/sager/soeg/", {"q": "x"}).status_code == 403
    assert AccessLogEntry.objects.filter(action=DENIED, user=personas.owner).count() == 5
