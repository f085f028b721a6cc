"""JSON log lines (LOG_FORMAT=json): one object per line with the request's id and user id, CPR
numbers redacted; and Sentry's before_send, which redacts the same way."""

# ruff: noqa: S603 (the subprocesses run this interpreter on our own code)
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.models import Role
from core.logging_json import JsonFormatter, RequestContextMiddleware, sentry_before_send
from core.redaction import RedactCPRFilter
from demo import factories as f

ROOT = Path(__file__).resolve().parents[2]
CPR = "010190-1234"


@pytest.fixture
def json_lines():
    """What the console handler of settings.LOGGING writes with LOG_FORMAT=json: the same
    filter and formatter, into a buffer, on the loggers it is attached to."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RedactCPRFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(), logging.getLogger("django")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def test_settings_use_the_json_formatter_when_asked(settings):
    assert settings.LOGGING["formatters"]["json"]["()"] == "core.logging_json.JsonFormatter"
    assert "redact_cpr" in settings.LOGGING["handlers"]["console"]["filters"]
    assert settings.MIDDLEWARE[0] == "core.logging_json.RequestContextMiddleware"

    def formatter(env: dict[str, str]) -> str:
        code = (
            "from django.conf import settings; "
            "print(settings.LOGGING['handlers']['console']['formatter'])"
        )
        clean = {k: v for k, v in os.environ.items() if k not in {"APP_ENV", "LOG_FORMAT"}}
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=clean | {"DJANGO_SETTINGS_MODULE": "familievaerft.settings"} | env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    production = {"APP_ENV": "production", "SECRET_KEY": "x" * 50}
    assert formatter(production) == "json"
    assert formatter(production | {"LOG_FORMAT": "plain"}) == "plain"
    assert formatter({"APP_ENV": "demo"}) == "plain"  # make run


@pytest.mark.django_db
def test_a_request_logs_json_with_its_request_id_and_user_id_and_no_cpr(client, json_lines):
    user = f.UserFactory(username="logger", role=Role.CASEWORKER)
    client.force_login(user)
    response = client.get(f"/findes-ikke/{CPR}/")  # logged by django.request: "Not Found: …"
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32

    (line,) = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["level"] == "WARNING"
    assert line["request_id"] == request_id
    assert line["user_id"] == user.pk
    assert "/findes-ikke/[CPR]/" in line["message"]
    assert CPR not in json.dumps(line) and "0101901234" not in json.dumps(line)
    assert line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_when_it_is_a_plain_token(client, json_lines):
    response = client.get("/findes-ikke/", headers={"X-Request-ID": "proxy-abc-123456"})
    assert response["X-Request-ID"] == "proxy-abc-123456"
    (line,) = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["request_id"] == "proxy-abc-123456"
    assert line["user_id"] is None  # anonymous
    # A header that could forge a log line is replaced by an id of our own.
    forged = client.get("/findes-ikke/", headers={"X-Request-ID": 'x" "level": "INFO'})
    assert forged["X-Request-ID"] != 'x" "level": "INFO' and len(forged["X-Request-ID"]) == 32


def test_outside_a_request_there_is_no_request_id_and_tracebacks_are_one_field(json_lines):
    logger = logging.getLogger("familievaerft.test")
    try:
        raise ValueError(f"Key (cpr)=({CPR}) already exists")
    except ValueError:
        logger.exception("failed for %s", CPR)
    (line,) = [line for line in json_lines() if line["logger"] == "familievaerft.test"]
    assert line["request_id"] is None and line["user_id"] is None
    assert line["message"] == "failed for [CPR]"
    assert "ValueError: Key (cpr)=([CPR]) already exists" in line["exception"]
    assert CPR not in json.dumps(line)


def test_the_middleware_does_not_look_the_user_up_itself(rf):
    """A log line must never cost a query: the user id is read only once the request has
    looked its user up."""
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django.utils.functional import empty

    from core import logging_json

    seen = []

    def view(request):
        seen.append(logging_json.current_user_id())
        return HttpResponse()

    request = rf.get("/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    AuthenticationMiddleware(lambda r: HttpResponse()).process_request(request)
    RequestContextMiddleware(view)(request)
    assert seen == [None]
    assert request.user._wrapped is empty  # still not evaluated


# --- Sentry -------------------------------------------------------------------------------------


def test_sentry_before_send_redacts_message_exception_and_request_data():
    event = {
        "message": f"Borger {CPR} ikke fundet",
        "logentry": {"message": "Borger %s", "params": [CPR], "formatted": f"Borger {CPR}"},
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": f"Key (cpr)=({CPR}) already exists",
                    "stacktrace": {"frames": [{"vars": {"number": "0101901234"}}]},
                }
            ]
        },
        "request": {
            "url": "https://familievaerft.kommune.example/sager/?q=010190%2D1234",
            "query_string": "q=010190+1234",
            "data": {"cpr": CPR, "note": f"ring til {CPR}"},
            "headers": {"Referer": "/login/nulstil/MQ/cz1x-0123456789abcdef/"},
        },
        "breadcrumbs": {"values": [{"message": f"SELECT … WHERE cpr = '{CPR}'"}]},
        "extra": {"citizen_cpr": "0101901234", "count": 3},
        "tags": {"uuid": "ab123456-1234-4234-8234-0101901234ab"},
    }
    cleaned = sentry_before_send(event, {})
    text = json.dumps(cleaned)
    assert CPR not in text and "0101901234" not in text.replace(
        "ab123456-1234-4234-8234-0101901234ab", ""
    )
    assert "010190+1234" not in text and "010190%2D1234" not in text
    assert "cz1x-0123456789abcdef" not in text
    assert cleaned["message"] == "Borger [CPR] ikke fundet"
    assert cleaned["exception"]["values"][0]["value"] == "Key (cpr)=([CPR]) already exists"
    assert cleaned["request"]["data"] == {"cpr": "[Filtered]", "note": "ring til [CPR]"}
    assert cleaned["extra"] == {"citizen_cpr": "[Filtered]", "count": 3}
    # A UUID is not a CPR number.
    assert cleaned["tags"]["uuid"] == "ab123456-1234-4234-8234-0101901234ab"


def test_sentry_is_off_without_a_dsn_and_wired_to_the_redaction_with_one():
    code = (
        "import django, sentry_sdk; django.setup(); c = sentry_sdk.get_client(); "
        "print(c.is_active()); "
        "print(c.is_active() and c.options['before_send']({'message': '010190-1234'}, {}))"
    )
    clean = {k: v for k, v in os.environ.items() if k != "SENTRY_DSN"}

    def run(env: dict[str, str]) -> list[str]:
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=clean | {"DJANGO_SETTINGS_MODULE": "familievaerft.settings"} | env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    assert run({}) == ["False", "False"]
    # A DSN nothing listens at: nothing is sent by this check.
    active, redacted = run({"SENTRY_DSN": "https://public@127.0.0.1:9/1"})
    assert active == "True" and redacted == "{'message': '[CPR]'}"
