"""The seeded demo world, shared by the modules of tests/demo that look at it (``seeded``)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for tests/demo (test_seed_demo.py, test_demo_personas.py), inside a
    transaction rolled back when the package is done; the command's output is the value.

    Each test still runs in its own savepoint (pytest-django), so tests cannot leak into
    each other; seeding a few seconds per test, or per module, would make the suite slow for
    everyone. The other modules here do not touch this database (test_demo_sqlite.py seeds a
    SQLite file in a subprocess).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
