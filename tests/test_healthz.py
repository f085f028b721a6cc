"""/healthz: JSON for load balancers and container health checks, no login needed."""

import json
import socket
import time

import psycopg
import pytest
from django.db import connections
from django.test import Client

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A port on 127.0.0.1 with nobody listening (bound by us a moment ago, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_healthz(client: Client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    body = response.content.decode()
    # Nothing but the class name of an error: no message, no traceback, no connection details.
    for leak in ("Traceback", 'File "', "psycopg", "redis.exceptions", "127.0.0.1", "refused"):
        assert leak not in body
    return response, json.loads(body)


def test_healthy_without_login(client, settings):
    response, data = get_healthz(client)

    assert response.status_code == 200
    assert data["status"] == "ok"
    assert data["database"] == {"ok": True}
    expected_mode = "redis" if settings.REDIS_URL else "in-process"
    assert data["broker"] == {"ok": True, "mode": expected_mode}
    assert "no-store" in response["Cache-Control"]


def test_broker_in_process_without_redis_url(client, settings):
    settings.REDIS_URL = ""

    response, data = get_healthz(client)

    assert response.status_code == 200
    assert data["broker"] == {"ok": True, "mode": "in-process"}


def test_broker_down_is_degraded_not_down(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"

    started = time.monotonic()
    response, data = get_healthz(client)

    assert time.monotonic() - started < 5  # bounded socket timeouts, not a hang
    assert response.status_code == 200
    assert data["status"] == "degraded"
    assert data["database"] == {"ok": True}
    assert data["broker"] == {"ok": False, "mode": "redis", "error": "ConnectionError"}


# Outside a test transaction, since the connection is closed and reopened. Serialized rollback
# puts back the rows that migrations created once the flush after the test has removed them.
OWN_CONNECTIONS = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def database_down():
    """Point the default connection at a port where no database listens, then put it back."""
    connection = connections["default"]
    original = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    else:
        connection.settings_dict["NAME"] = "/nonexistent/familievaerft.sqlite3"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)


@OWN_CONNECTIONS
def test_database_down_is_503_json(database_down, settings):
    # With DEBUG on, an exception escaping the view would come back as Django's technical 500
    # page, full of traceback: the JSON assertions below would catch that.
    settings.DEBUG = True
    client = Client(raise_request_exception=False)

    response, data = get_healthz(client)

    assert response.status_code == 503
    assert data["status"] == "down"
    assert data["database"] == {"ok": False, "error": "OperationalError"}
    assert "broker" in data


@OWN_CONNECTIONS
def test_broken_connection_is_dropped_and_the_next_request_recovers(client):
    """The database restarts under an open connection: one 503, then a fresh connection."""
    connection = connections["default"]
    assert connection.vendor == "postgresql", "make test runs the suite on PostgreSQL"
    connection.ensure_connection()
    backend_pid = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])

    response, data = get_healthz(client)
    assert response.status_code == 503
    assert data["database"]["ok"] is False

    response, data = get_healthz(client)
    assert response.status_code == 200
    assert data["database"] == {"ok": True}
    assert connection.connection.info.backend_pid != backend_pid


def test_only_safe_methods(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
