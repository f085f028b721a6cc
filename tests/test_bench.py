"""The benchmark's data generator (bench/generate.py) at a tiny scale, so it cannot rot
silently: the row counts are proportional, every foreign key points at a row, the database's
own rules hold, and the reminder sweep finds exactly the items the generator planned."""

import pytest
from django.db import connection
from django.utils import timezone

from bench import generate as g
from cases.deadlines import deadlines_schedule_birthdays
from core.cpr import validate_cpr
from followups import reminders

SCALE = 50


def _orphans() -> dict[str, int]:
    """Rows whose (single-column) foreign key points nowhere, per constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT con.conname, child.relname, ca.attname, parent.relname, pa.attname "
            "FROM pg_constraint con "
            "JOIN pg_class child ON child.oid = con.conrelid "
            "JOIN pg_class parent ON parent.oid = con.confrelid "
            "JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = con.conkey[1] "
            "JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = con.confkey[1] "
            "JOIN pg_namespace ns ON ns.oid = child.relnamespace "
            "WHERE con.contype = 'f' AND ns.nspname = 'public' "
            "AND array_length(con.conkey, 1) = 1"
        )
        found = {}
        for name, child, column, parent, parent_column in cursor.fetchall():
            cursor.execute(
                f'SELECT count(*) FROM "{child}" c WHERE c."{column}" IS NOT NULL '  # noqa: S608
                f'AND NOT EXISTS (SELECT 1 FROM "{parent}" p WHERE p."{parent_column}" = '
                f'c."{column}")'
            )
            count = cursor.fetchone()[0]
            if count:
                found[name] = count
    return found


@pytest.mark.django_db
def test_generator_at_a_tiny_scale_is_proportional_and_consistent():
    counts = g.generate(SCALE, log=lambda line: None).rows

    assert counts["cases"] == counts["citizens"] == SCALE
    assert counts["sessions"] == SCALE * g.SESSIONS_PER_CASE
    assert counts["access_log"] == SCALE * g.ACCESS_LOG_PER_CASE
    assert counts["reminders"] == SCALE * g.REMINDERS_PER_CASE
    assert counts["journal_notes"] == SCALE * g.NOTES_PER_CASE
    planned_followups = SCALE * g.FOLLOWUPS_PER_CASE
    assert abs(counts["followups"] - planned_followups) <= 0.3 * planned_followups
    assert SCALE / 3 <= counts["families"] <= SCALE
    assert counts["goals"] == counts["plans"] * g.GOALS_PER_PLAN

    assert _orphans() == {}
    with connection.cursor() as cursor:
        # One open case per citizen (the partial unique index holds, and says so).
        cursor.execute(
            "SELECT count(*) FROM (SELECT citizen_id FROM cases_case WHERE status <> 'closed' "
            "GROUP BY citizen_id HAVING count(*) > 1) x"
        )
        assert cursor.fetchone()[0] == 0
        # A realistic caseload for the caseworker the benchmark picks.
        cursor.execute(
            "SELECT count(*) FROM cases_case WHERE status <> 'closed' GROUP BY owner_id "
            "ORDER BY abs(count(*) - 45) LIMIT 1"
        )
        assert 30 <= cursor.fetchone()[0] <= 60
        cursor.execute("SELECT cpr FROM cases_citizen")
        for (cpr,) in cursor.fetchall():
            validate_cpr(cpr)

    # The sweep finds exactly the planned due items, raises their reminders once, and the
    # second sweep raises none.
    t0 = g.reference_time()
    # The generator scheduled the birthday deadlines exactly as the sweep's service would.
    assert deadlines_schedule_birthdays(today=timezone.localdate(t0)) == 0
    items = sum(1 for source in reminders.ITEM_SOURCES for _item in source(t0))
    assert items == int(SCALE * g.DUE_ITEMS_PER_CASE)
    assert reminders.sweep(t0).created >= items
    assert reminders.sweep(t0).created == 0
    assert g.letter_version_id() is not None
