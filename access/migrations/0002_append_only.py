"""The access log is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE.

Row triggers refuse UPDATE and DELETE; they do not fire on TRUNCATE, so a statement trigger
refuses that. The only way through TRUNCATE is the session setting
``familievaerft.allow_truncate = on``, which the test harness sets for Django's table flushes
between transactional tests; it is honoured only for the table's owner (or a member of the
owner role, or a superuser: the tests' database user), never for the role the app runs as.

The owner can still drop or disable the triggers, so in production the app does not run as
the owner: migrations do (``MIGRATE_DATABASE_URL``), and ``manage.py grant_app_role`` gives the
app's role (``DATABASE_URL``) SELECT and INSERT on this table and nothing more
(tests/access/test_database_roles.py).
"""
from django.db import migrations

TABLE = "access_accesslogentry"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION access_log_append_only_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_log_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only_refuse();
"""
POSTGRES_BACKWARD = f"""
DROP TRIGGER IF EXISTS access_log_append_only ON {TABLE};
DROP FUNCTION IF EXISTS access_log_append_only_refuse();
"""
TRUNCATE_FORWARD = f"""
CREATE OR REPLACE FUNCTION access_log_no_truncate_refuse() RETURNS trigger AS $$
BEGIN
    -- Qualified names: a temporary table called pg_class would otherwise come first.
    IF pg_catalog.current_setting('familievaerft.allow_truncate', true) = 'on'
        AND pg_catalog.pg_has_role(
            current_user,
            (SELECT relowner FROM pg_catalog.pg_class WHERE oid = TG_RELID),
            'MEMBER'
        ) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the access log is append-only (TRUNCATE refused)'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_log_no_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_no_truncate_refuse();
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER access_log_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the access log is append-only (UPDATE refused)'); END;",
    f"CREATE TRIGGER access_log_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the access log is append-only (DELETE refused)'); END;",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS access_log_no_update;",
    "DROP TRIGGER IF EXISTS access_log_no_delete;",
]


TRUNCATE_BACKWARD = f"""
DROP TRIGGER IF EXISTS access_log_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS access_log_no_truncate_refuse();
"""



def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
        schema_editor.execute(TRUNCATE_FORWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRUNCATE_BACKWARD, params=None)
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
