"""A restricted PostgreSQL role, as the app runs as in production, for the tests that prove what
it may and may not do (tests/access/test_database_roles.py, tests/test_production_shape.py).

Roles belong to the whole cluster, not to one database, and other test runs share the cluster:
each role's name is unique to this worker and this use, and it is always dropped again (its
privileges in the test database first).
"""

import contextlib
import os
import secrets
from collections.abc import Iterator
from typing import Any

import psycopg
from django.db import connection
from psycopg import sql


def connect(user: str | None = None, **kwargs: Any) -> psycopg.Connection:
    """A connection of its own to pytest's test database (as ``user``; trust authentication)."""
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        dbname=db["NAME"],
        user=user or db["USER"],
        password=None if user else (db["PASSWORD"] or None),
        connect_timeout=5,
        **kwargs,
    )


def database_url(user: str) -> str:
    """``postgres://`` URL of the test database for ``user`` (without a password)."""
    db = connection.settings_dict
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def restricted_role(options: str = "") -> Iterator[str]:
    """A new LOGIN role (no privileges yet; ``options`` such as ``CREATEROLE``) for a while."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"fv_test_app_{worker}_{secrets.token_hex(4)}"
    role = sql.Identifier(name)
    with connect(autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN " + options).format(role))
    try:
        yield name
    finally:
        with connect(autocommit=True) as admin:
            # Its grants and default privileges in the test database, then the role itself.
            admin.execute(sql.SQL("DROP OWNED BY {}").format(role))
            admin.execute(sql.SQL("DROP ROLE {}").format(role))
