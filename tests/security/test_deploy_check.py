"""`manage.py check --deploy --fail-level WARNING` is clean under production settings, with
only the minimum production environment; and what those settings mean on the wire."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)


def production_env(**extra: str) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    return env | {
        "APP_ENV": "production",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "ALLOWED_HOSTS": "familievaerft.kommune.example",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fv"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        **extra,
    }


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_minimum_production_environment():
    result = check_deploy(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_when_production_is_made_insecure():
    # The test above can fail: turning HSTS off by environment is reported.
    result = check_deploy(production_env(SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="false"))
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout


PRODUCTION_HTTPS = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_HSTS_SECONDS": 31536000,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "ALLOWED_HOSTS": ["familievaerft.kommune.example"],
}


@pytest.mark.django_db
def test_plain_http_is_redirected_but_the_health_check_is_answered(settings):
    for name, value in PRODUCTION_HTTPS.items():
        setattr(settings, name, value)
    client = Client(HTTP_HOST="familievaerft.kommune.example")
    response = client.get("/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://familievaerft.kommune.example/login/"
    # The container's health check may come over plain http from inside.
    assert client.get("/healthz").status_code in (200, 503)

    secure = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csrf = secure.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"


def test_htmx_takes_the_csrf_token_from_the_page_not_the_cookie():
    # Why CSRF_COOKIE_HTTPONLY is safe: no script of ours reads document.cookie.
    base = (ROOT / "templates" / "base.html").read_text()
    assert """hx-headers='{"X-CSRFToken": "{{ csrf_token }}"}'""" in base
    for script in (ROOT / "static" / "js").glob("*.js"):
        assert "document.cookie" not in script.read_text(), script.name
    assert settings.CSRF_COOKIE_HTTPONLY
