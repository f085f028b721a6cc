"""Fault: PostgreSQL restarts under a running web process.

A private cluster (the shared server of the other tests is never touched) gets the app's schema
and a real gunicorn with deploy/gunicorn_conf.py in front of it. While the database is down,
/healthz answers 503 at once (not after a hang, not a 500 page); once it is back, /healthz
answers 200 and ordinary pages work again, from the same gunicorn workers: nothing restarted.
"""

# The processes started here are gunicorn, pg_dump and psql with arguments made here.
# ruff: noqa: S603

import json
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import requests
from django.db import connection

from tests.celery_helpers import (
    GUNICORN,
    free_port,
    private_postgres,
    process_env,
    started,
    wait_for,
)

WORKERS = 2  # each keeps its own persistent connection (CONN_MAX_AGE): both must recover
REQUEST_TIMEOUT = 8  # seconds; the app's connect_timeout is 5
ROUNDS = 3 * WORKERS  # requests per check, so every worker answers


def get(url: str, data: bytes | None = None) -> tuple[int, bytes, float]:
    """Status, body and seconds taken; an error status is an answer too."""
    started_at = time.monotonic()
    try:
        with urllib.request.urlopen(url, data=data, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
            return response.status, response.read(), time.monotonic() - started_at
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started_at


def healthz(base: str) -> tuple[int, dict, float]:
    status, body, seconds = get(f"{base}/healthz")
    return status, json.loads(body), seconds


def failed_login(base: str) -> int:
    """The login form, and a wrong password sent with it: the form again, with its error."""
    with requests.Session() as browser:
        form = browser.get(f"{base}/login/", timeout=REQUEST_TIMEOUT)
        assert form.status_code == 200 and "csrftoken" in browser.cookies, form.text[:500]
        answer = browser.post(
            f"{base}/login/",
            data={
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
                "username": "nobody",
                "password": "wrong password",
            },
            headers={"Referer": f"{base}/login/"},
            timeout=REQUEST_TIMEOUT,
        )
        assert 'name="username"' in answer.text
        return answer.status_code


def copy_schema(cluster, name: str) -> None:
    """The app's tables, copied from the migrated test database (faster than migrating)."""
    db = connection.settings_dict
    subprocess.run(
        [
            *cluster.prefix,
            str(cluster.bindir / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            name,
        ],
        check=True,
        timeout=30,
    )
    dump = subprocess.run(
        [
            str(cluster.bindir / "pg_dump"),
            *("--schema-only", "--no-owner", "--no-privileges"),
            *("-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)),
            *("-U", db["USER"], db["NAME"]),
        ],
        check=True,
        timeout=30,
        capture_output=True,
        env={**process_env(), "PGPASSWORD": db["PASSWORD"] or ""},
    )
    subprocess.run(
        [
            str(cluster.bindir / "psql"),
            *("-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "-d", name),
            *("-q", "-v", "ON_ERROR_STOP=1"),
        ],
        input=dump.stdout,
        check=True,
        timeout=30,
        capture_output=True,
    )


@pytest.mark.django_db
def test_healthz_goes_503_and_back_to_200_and_the_web_process_recovers(tmp_path: Path):
    if connection.vendor != "postgresql":
        pytest.skip("the web process needs a PostgreSQL server")
    with private_postgres() as cluster:
        copy_schema(cluster, "fv")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = tmp_path / "gunicorn.log"
        env = process_env(DATABASE_URL=cluster.url("fv"), REDIS_URL="", WEB_CONCURRENCY="2")
        args = [
            *(str(GUNICORN), "familievaerft.wsgi:application"),
            *("--config", "deploy/gunicorn_conf.py", "--bind", f"127.0.0.1:{port}"),
            *("--workers", str(WORKERS)),
        ]
        with started(args, env, log) as web:

            def answers() -> bool:
                try:
                    return get(f"{base}/healthz")[0] == 200
                except OSError:
                    return False

            wait_for(answers, 30, "gunicorn to serve /healthz", processes=(web,), logs=(log,))
            for _ in range(ROUNDS):
                status, body, _seconds = healthz(base)
                assert (status, body["status"], body["database"]) == (200, "ok", {"ok": True})

            cluster.stop()
            for _ in range(ROUNDS):
                status, body, seconds = healthz(base)
                assert status == 503, body
                assert body["status"] == "down" and body["database"]["ok"] is False
                # The class of the error only, never the driver's message.
                assert set(body["database"]) == {"ok", "error"}
                assert seconds < 6
            assert web.poll() is None

            cluster.start()

            def healthy_again() -> bool:
                return healthz(base)[0] == 200

            wait_for(healthy_again, 20, "/healthz to answer 200 again", processes=(web,))
            for _ in range(ROUNDS):
                status, body, _seconds = healthz(base)
                assert (status, body["status"]) == (200, "ok"), body
            # An ordinary page that uses the database: a failed login (the user lookup and the
            # lock-out bookkeeping), fewer times than the lock-out allows.
            for _ in range(WORKERS):
                assert failed_login(base) == 200
            assert web.poll() is None
        output = log.read_text()
        # The same workers served before, during and after: none was restarted.
        assert output.count("Booting worker") == WORKERS, output[-3000:]
        assert "Traceback" not in output, output[-3000:]
