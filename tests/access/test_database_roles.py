"""The running app cannot alter its own access log (PostgreSQL).

In production migrations run as the role that owns the tables and the app as a role that owns
nothing, given its privileges by ``manage.py grant_app_role`` (docker-compose.yml's ``migrate``
service). Here such a role is made in the test database and connected with on its own: it reads
and writes the case tables and reads and appends to the access log, but cannot update, delete,
empty, unprotect or replace the log's protection, not even with the setting the test harness
uses for its flushes (``familievaerft.allow_truncate``), which only the table's owner may use.
"""

import io
import secrets

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from psycopg import errors, sql

from access.models import AccessLogEntry
from demo import factories as f
from tests.db_roles import connect, restricted_role

# Committed data: the role's own connection must see it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LOG = AccessLogEntry._meta.db_table
TRIGGERS = ("access_log_append_only", "access_log_no_truncate")


@pytest.fixture
def app_role():
    """A role given the app's privileges by grant_app_role, as the migrate service does."""
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    with restricted_role() as role:
        call_command("grant_app_role", role, stdout=io.StringIO())
        yield role


@pytest.fixture
def entry():
    return AccessLogEntry.objects.create(
        username="owner", action=AccessLogEntry.Action.VIEW, target="/sager/x/"
    )


@pytest.fixture
def as_app(app_role):
    """A connection of the app's role to the test database."""
    with connect(app_role) as conn:
        yield conn


def run_rolled_back(conn: psycopg.Connection, *statements: str, params=None) -> list:
    """Runs ``statements`` in one transaction, then rolls it back (so a statement that should
    fail but succeeds changes nothing); the rows of the last one that returned any."""
    rows: list = []
    with conn.transaction(force_rollback=True), conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, params)
            if cursor.description:
                rows = cursor.fetchall()
    return rows


def log_rows() -> int:
    with connect() as admin:
        return admin.execute(f"SELECT count(*) FROM {LOG}").fetchone()[0]  # noqa: S608


def triggers_enabled() -> dict[str, str]:
    with connect() as admin:
        rows = admin.execute(
            "SELECT tgname, tgenabled FROM pg_trigger "
            "WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [LOG],
        ).fetchall()
    return dict(rows)


# --- what the app's role may do ---------------------------------------------------------------


def test_app_role_reads_and_appends_to_the_access_log(as_app, entry):
    with as_app.transaction(), as_app.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {LOG} (at, username, action, target, reason) "  # noqa: S608
            "VALUES (%s, 'app', 'view', '/sager/', '') RETURNING id",
            [timezone.now()],
        )
        (new_id,) = cursor.fetchone()
        cursor.execute(
            f"SELECT username FROM {LOG} WHERE id IN (%s, %s) ORDER BY id",  # noqa: S608
            [entry.pk, new_id],
        )
        assert [row[0] for row in cursor.fetchall()] == ["owner", "app"]
    assert AccessLogEntry.objects.filter(pk=new_id, username="app").exists()


def test_app_role_reads_and_writes_the_case_tables(as_app):
    case = f.CaseFactory()
    with as_app.transaction(), as_app.cursor() as cursor:
        cursor.execute("SELECT number FROM cases_case WHERE id = %s FOR UPDATE", [case.pk])
        assert cursor.fetchone() == (case.number,)
        cursor.execute(
            "UPDATE cases_case SET closing_reason = 'skrevet af appens rolle' WHERE id = %s",
            [case.pk],
        )
        assert cursor.rowcount == 1
        key = secrets.token_hex(16)
        cursor.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES (%s, '', now())",
            [key],
        )
        cursor.execute("DELETE FROM django_session WHERE session_key = %s", [key])
        assert cursor.rowcount == 1
    case.refresh_from_db()
    assert case.closing_reason == "skrevet af appens rolle"


def test_app_role_has_exactly_select_and_insert_on_the_log_and_owns_nothing(app_role):
    with connect() as admin:
        privileges = {
            privilege: admin.execute(
                "SELECT has_table_privilege(%s, %s, %s)", [app_role, LOG, privilege]
            ).fetchone()[0]
            for privilege in (
                "SELECT",
                "INSERT",
                "UPDATE",
                "DELETE",
                "TRUNCATE",
                "REFERENCES",
                "TRIGGER",
            )
        }
        owned = admin.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE r.rolname = %s",
            [app_role],
        ).fetchone()[0]
    assert {p for p, granted in privileges.items() if granted} == {"SELECT", "INSERT"}
    assert owned == 0


# --- what it may not do -----------------------------------------------------------------------

TAMPERING: dict[str, tuple[str, ...]] = {
    "update": (f"UPDATE {LOG} SET username = 'someone-else'",),  # noqa: S608
    "delete": (f"DELETE FROM {LOG}",),  # noqa: S608
    "truncate": (f"TRUNCATE {LOG}",),
    "truncate with the test harness's setting": (
        "SET LOCAL familievaerft.allow_truncate = 'on'",
        f"TRUNCATE {LOG}",
    ),
    "disable all triggers": (f"ALTER TABLE {LOG} DISABLE TRIGGER ALL",),
    "disable the row trigger": (f"ALTER TABLE {LOG} DISABLE TRIGGER access_log_append_only",),
    "drop the truncate trigger": (f"DROP TRIGGER access_log_no_truncate ON {LOG}",),
    "replace the trigger function": (
        "CREATE OR REPLACE FUNCTION access_log_append_only_refuse() RETURNS trigger "
        "AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
    ),
    "take over the table": (f"ALTER TABLE {LOG} OWNER TO CURRENT_USER",),
    "drop the table": (f"DROP TABLE {LOG}",),
    "skip triggers as a replica": ("SET LOCAL session_replication_role = 'replica'",),
    "become the owner": ("SET LOCAL ROLE postgres",),
}


@pytest.mark.parametrize("statements", TAMPERING.values(), ids=TAMPERING.keys())
def test_app_role_cannot_alter_the_access_log(as_app, entry, statements):
    before = log_rows()
    with pytest.raises(errors.InsufficientPrivilege):
        run_rolled_back(as_app, *statements)
    assert log_rows() == before
    assert triggers_enabled() == dict.fromkeys(TRIGGERS, "O")
    assert AccessLogEntry.objects.get(pk=entry.pk).username == "owner"


# A temporary table named pg_class would come before the catalogue's in an unqualified name.
FORGED_OWNER = (
    "CREATE TEMPORARY TABLE pg_class (oid oid, relowner oid)",
    f"INSERT INTO pg_class SELECT '{LOG}'::regclass, oid FROM pg_roles "  # noqa: S608
    "WHERE rolname = current_user",
)


@pytest.mark.parametrize("forge", [(), FORGED_OWNER], ids=["plain", "forged owner"])
def test_the_flush_setting_is_honoured_only_for_the_owner(app_role, as_app, entry, forge):
    """Even a role that was given TRUNCATE on the log (by mistake) cannot empty it with the
    test harness's setting: the trigger lets that through for the table's owner only."""
    with connect(autocommit=True) as admin:
        admin.execute(
            sql.SQL("GRANT TRUNCATE ON {} TO {}").format(
                sql.Identifier(LOG), sql.Identifier(app_role)
            )
        )
    with pytest.raises(errors.InsufficientPrivilege, match="append-only"):
        run_rolled_back(
            as_app, *forge, "SET LOCAL familievaerft.allow_truncate = 'on'", f"TRUNCATE {LOG}"
        )
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_the_owner_may_still_flush_with_the_setting(entry):
    """Django's flushes between transactional tests run as the test database's owner."""
    with pytest.raises(RuntimeError, match="roll back"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL familievaerft.allow_truncate = 'on'")
            cursor.execute(f"TRUNCATE {LOG}")
        assert not AccessLogEntry.objects.exists()
        raise RuntimeError("roll back")
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()
    # Without the setting, not even the owner.
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL familievaerft.allow_truncate = 'off'")
        cursor.execute(f"TRUNCATE {LOG}")


# --- grant_app_role itself ---------------------------------------------------------------------


def test_grant_app_role_is_idempotent_and_covers_tables_made_later(app_role, as_app):
    call_command("grant_app_role", app_role, stdout=io.StringIO())
    table = f"fv_test_later_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:  # as the owner, as a later migration would
        cursor.execute(f"CREATE TABLE {table} (id bigint GENERATED BY DEFAULT AS IDENTITY, x int)")
    try:
        assert run_rolled_back(
            as_app,
            f"INSERT INTO {table} (x) VALUES (1)",  # noqa: S608
            f"UPDATE {table} SET x = 2",  # noqa: S608
            f"SELECT x FROM {table}",  # noqa: S608
        ) == [(2,)]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {table}")


def test_app_role_cannot_write_the_migration_history(as_app):
    assert run_rolled_back(as_app, "SELECT count(*) > 0 FROM django_migrations") == [(True,)]
    with pytest.raises(errors.InsufficientPrivilege):
        run_rolled_back(as_app, "DELETE FROM django_migrations")


def test_grant_app_role_refuses_a_role_that_could_reach_the_owners_rights():
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    with pytest.raises(CommandError, match="ejer"):
        call_command("grant_app_role", connection.settings_dict["USER"], stdout=io.StringIO())
    with restricted_role("CREATEROLE") as role, pytest.raises(CommandError, match="CREATEROLE"):
        call_command("grant_app_role", role, stdout=io.StringIO())
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("grant_app_role", "fv_no_such_role", stdout=io.StringIO())
