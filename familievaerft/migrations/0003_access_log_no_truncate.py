"""TRUNCATE is a delete too: refuse it on the access log.

The row triggers of 0002 do not fire on TRUNCATE, so a statement trigger refuses it. The only
way through is the session setting ``familievaerft.allow_truncate = on``, which the test
harness sets for Django's table flushes between transactional tests; the application never
does. (An account that owns the table can still drop triggers: run the app as a role that
does not own its tables where that matters.)
"""

from django.db import migrations

TABLE = "familievaerft_accesslogentry"

FORWARD = f"""
CREATE OR REPLACE FUNCTION familievaerft_access_log_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('familievaerft.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the access log is append-only (TRUNCATE refused)'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_log_no_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION familievaerft_access_log_no_truncate();
"""
BACKWARD = f"""
DROP TRIGGER IF EXISTS access_log_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS familievaerft_access_log_no_truncate();
"""


def forward(apps, schema_editor):
    # SQLite has no TRUNCATE; its DELETE trigger from 0002 already covers "DELETE FROM".
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("familievaerft", "0002_access_log_append_only")]
    operations = [migrations.RunPython(forward, backward)]
