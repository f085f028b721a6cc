"""The access log's indexes: one per way it is read, and no more, since every page view
writes to it (``access.models.AccessLogEntry``).

A case's and a citizen's log are read newest first through ``accesslog_case_at`` and
``accesslog_citizen_at``; those also serve the foreign keys (a composite index answers a
lookup on its first column), so the columns carry no index of their own.
"""

import pytest
from django.db import connection

from access.models import AccessLogEntry
from demo import factories as f

pytestmark = pytest.mark.django_db


def _indexes_starting_with(column: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, AccessLogEntry._meta.db_table
        )
    return {
        name
        for name, info in constraints.items()
        if info["index"] and not info["primary_key"] and info["columns"][:1] == [column]
    }


@pytest.mark.parametrize(
    ("column", "index"), [("case_id", "accesslog_case_at"), ("citizen_id", "accesslog_citizen_at")]
)
def test_one_index_per_column_and_it_is_the_newest_first_one(column, index):
    assert _indexes_starting_with(column) == {index}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plan")
def test_a_cases_log_is_read_through_its_index():
    case = f.CaseFactory()
    newest_first = AccessLogEntry.objects.filter(case=case).order_by("-at")[:50]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test table is tiny
        plan = newest_first.explain()
    assert "accesslog_case_at" in plan
