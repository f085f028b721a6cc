"""Password reset ("Glemt adgangskode?") for the accounts that have a password: break-glass
staff and family members invited without MitID. Everybody else, and an unknown address, gets
the same neutral page and no mail; the link's token never reaches a log line."""

import logging
import re

import pytest
from django.core import mail
from django.test import Client, TestCase

from accounts.models import Role
from core.models import OutboxMessage
from core.redaction import RedactCPRFilter, redact_cpr
from core.refusal_marks import safe_path
from demo import factories as f
from tests.accounts.conftest import password_login

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Ny-hemmelig-kode-2026"
NEUTRAL = "Hvis adressen hører til en bruger med adgangskode"
LINK = re.compile(r"https?://[^/\s]+(/login/nulstil/(?P<uid>[^/]+)/(?P<token>[^/\s]+)/)")


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://familievaerft.kommune.example"


@pytest.fixture
def sso_configured(settings):
    settings.OIDC_STAFF_ISSUER = "http://127.0.0.1:9/o"  # never asked here
    settings.OIDC_STAFF_CLIENT_ID = "familievaerft"


def ask_for_link(client: Client, email: str):
    # The outbox sends once the request's writes commit (autocommit outside tests).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/login/glemt/", {"email": email}, follow=True)


def reset_with_link(client: Client, body: str, password: str = NEW_PASSWORD):
    """Open the mailed link, then choose ``password``; the responses of both steps."""
    match = LINK.search(body)
    assert match, body
    opened = client.get(match[1])
    # Django moves the token into the session and the address loses it at once.
    assert opened.status_code == 302
    assert match["token"] not in opened["Location"]
    assert opened["Location"].endswith("/set-password/")
    form = client.get(opened["Location"])
    assert form.status_code == 200 and "Vælg ny adgangskode" in form.content.decode()
    assert form["Referrer-Policy"] == "no-referrer"
    done = client.post(
        opened["Location"], {"new_password1": password, "new_password2": password}, follow=True
    )
    return match, done


def test_the_login_page_links_to_the_danish_form(client):
    page = client.get("/login/").content.decode()
    assert "Glemt adgangskode?" in page and 'href="/login/glemt/"' in page
    form = client.get("/login/glemt/").content.decode()
    assert "Glemt adgangskode" in form and "E-mailadresse" in form and "Send link" in form


def test_a_break_glass_account_resets_and_logs_in_with_the_new_password(sso_configured):
    user = f.UserFactory(
        username="nødadgang", role=Role.CASEWORKER, break_glass=True, email="noed@kommune.dk"
    )
    client = Client()
    page = ask_for_link(client, "NOED@kommune.dk").content.decode()
    assert NEUTRAL in page
    (message,) = mail.outbox
    assert message.to == ["noed@kommune.dk"]
    assert message.subject == "Ny adgangskode til Familieværft"
    assert "Vælg en ny adgangskode her" in message.body
    assert "https://familievaerft.kommune.example/login/nulstil/" in message.body

    # Sent through the outbox, whose copy of the link is gone once it is sent.
    (queued,) = OutboxMessage.objects.all()
    assert queued.status == OutboxMessage.Status.SENT and queued.body == ""
    _match, done = reset_with_link(client, message.body)
    assert "Adgangskoden er skiftet" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The old password is gone; the new one logs in, and two-factor still follows.
    assert password_login(Client(), user).status_code == 200
    response = password_login(Client(), user, password=NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"].startswith("/login/opsaet/")


def test_the_link_works_once(sso_configured):
    f.UserFactory(username="nød", role=Role.ADMIN, break_glass=True, email="nod@kommune.dk")
    client = Client()
    ask_for_link(client, "nod@kommune.dk")
    match, _done = reset_with_link(client, mail.outbox[0].body)
    again = Client().get(match[1], follow=True).content.decode()
    assert "Linket virker ikke" in again and "Bed om et nyt link" in again


def test_staff_who_log_in_through_the_provider_get_no_mail(sso_configured):
    # A staff account without break-glass (a password it may no longer use) and one made by
    # the provider's login (no password at all): the same page as an unknown address.
    f.UserFactory(username="sso", role=Role.CASEWORKER, email="sso@kommune.dk")
    made_by_sso = f.UserFactory(
        username="sso2", role=Role.TEAM_LEAD, email="sso2@kommune.dk", oidc_subject="sub-2"
    )
    made_by_sso.set_unusable_password()
    made_by_sso.save()
    responses = [
        ask_for_link(Client(), email)
        for email in ("sso@kommune.dk", "sso2@kommune.dk", "ingen@kommune.dk")
    ]
    assert mail.outbox == []
    # The same way to the same page, so the form does not tell who has an account.
    assert all(NEUTRAL in response.content.decode() for response in responses)
    assert len({(r.status_code, tuple(r.redirect_chain)) for r in responses}) == 1
    assert all("@" not in r.content.decode().split("<main", 1)[1] for r in responses)


def test_a_family_member_with_a_password_resets_it(sso_configured):
    parent = f.UserFactory(username="forælder", role=Role.FAMILY, email="mor@example.dk")
    client = Client()
    ask_for_link(client, "mor@example.dk")
    (message,) = mail.outbox
    assert message.body.startswith(f"Hej {parent}")
    reset_with_link(client, message.body)
    parent.refresh_from_db()
    assert parent.check_password(NEW_PASSWORD)
    assert password_login(Client(), parent, password=NEW_PASSWORD).status_code == 302


def test_a_family_member_with_mitid_only_gets_no_mail():
    parent = f.UserFactory(username="mitid", role=Role.FAMILY, email="far@example.dk")
    parent.set_unusable_password()
    parent.save()
    assert NEUTRAL in ask_for_link(Client(), "far@example.dk").content.decode()
    assert mail.outbox == []


def test_the_new_password_must_pass_the_validators_with_a_danish_error(sso_configured):
    user = f.UserFactory(username="kort", role=Role.FAMILY, email="kort@example.dk")
    client = Client()
    ask_for_link(client, "kort@example.dk")
    _match, done = reset_with_link(client, mail.outbox[0].body, password="1234")
    page = done.content.decode()
    assert done.status_code == 200 and "Adgangskoden er skiftet" not in page
    assert "for kort" in page  # Django's Danish validator message
    user.refresh_from_db()
    assert user.check_password(f.PASSWORD)


def test_a_broken_mail_server_leaves_the_mail_waiting_and_the_page_neutral(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    f.UserFactory(username="mail", role=Role.FAMILY, email="mail@example.dk")
    page = ask_for_link(Client(), "mail@example.dk").content.decode()
    assert NEUTRAL in page
    (queued,) = OutboxMessage.objects.all()
    # Failed, to be retried: the link is kept for the retry, and nothing was raised.
    assert queued.status == OutboxMessage.Status.FAILED and "/login/nulstil/" in queued.body
    assert queued.recipient == "mail@example.dk" and queued.body_is_secret


def test_the_request_form_is_rate_limited(settings):
    settings.PASSWORD_RESET_RATE_LIMIT = "2/h"
    client = Client()
    assert ask_for_link(client, "a@example.dk").status_code == 200
    assert ask_for_link(client, "b@example.dk").status_code == 200
    response = client.post("/login/glemt/", {"email": "c@example.dk"})
    assert response.status_code == 429
    assert "for mange gange" in response.content.decode()


def test_the_token_never_reaches_a_log_line(sso_configured, caplog):
    user = f.UserFactory(
        username="log", role=Role.PSYCHOLOGIST, break_glass=True, email="log@kommune.dk"
    )
    client = Client()
    with caplog.at_level(logging.DEBUG):
        ask_for_link(client, "log@kommune.dk")
        match, _done = reset_with_link(client, mail.outbox[0].body)
        # A mistyped link (404, logged by django.request) and a used one.
        client.get(f"{match[1]}x/")
        Client().get(match[1])
    token = match["token"]
    assert any("password reset user_id=" in r.getMessage() for r in caplog.records)
    redact = RedactCPRFilter()
    for record in caplog.records:
        redact.filter(record)  # what every handler of settings.LOGGING does first
        assert token not in record.getMessage()
        assert token not in logging.Formatter().format(record)
    assert f"user_id={user.pk}" in caplog.text

    # Request lines as the dev server and gunicorn write them, and the refusal log's path.
    for line in (
        f'"GET {match[1]} HTTP/1.1" 302 0',
        f'127.0.0.1 - - "GET {match[1]}?next=/ HTTP/1.1" 302 0 "-" "Mozilla"',
        f'"GET /login/nulstil/{match["uid"]}/{token} HTTP/1.1"',
    ):
        assert token not in redact_cpr(line), line
    kept = f'"GET /login/nulstil/{match["uid"]}/set-password/ HTTP/1.1"'
    assert redact_cpr(kept) == kept

    class Request:
        path = match[1]

    assert token not in safe_path(Request())  # type: ignore[arg-type]
