"""`make run` on SQLite: requests at the same time wait for each other instead of failing with
"database is locked" (familievaerft/settings.py, the SQLite branch).

Four uses of one invitation link at once were three 500s: each request's transaction read the
invitation and then wrote its claim, and SQLite refuses (at once, without waiting) a read
transaction that wants to write while another holds the write lock. The suite otherwise runs on
PostgreSQL, so this runs the project's settings on a SQLite file in a subprocess: four threads
(four connections, like four request threads of runserver) read and then claim one row.
"""

# The subprocess is this interpreter running a script it is given.
# ruff: noqa: S603

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FOUR_AT_ONCE = r"""
import json
import threading
import time

import django

django.setup()
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction

with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_timeout = cursor.fetchone()[0]
    cursor.execute("CREATE TABLE invitation (id INTEGER PRIMARY KEY, used_by INTEGER)")
    cursor.execute("INSERT INTO invitation (id, used_by) VALUES (1, NULL)")
connections.close_all()

start = threading.Barrier(4)
outcome = {}


def use_the_link(i):
    try:
        start.wait()
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Look the link up, as invitation_accept does, while the others do the same.
                cursor.execute("SELECT used_by FROM invitation WHERE id = 1")
                cursor.fetchone()
                time.sleep(0.2)
                # The claim: only one use can turn used_by from NULL.
                cursor.execute(
                    "UPDATE invitation SET used_by = %s WHERE id = 1 AND used_by IS NULL", [i]
                )
                outcome[i] = cursor.rowcount
    except OperationalError as error:
        outcome[i] = str(error)
    finally:
        connections.close_all()


threads = [threading.Thread(target=use_the_link, args=(i,)) for i in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({
    "journal_mode": journal_mode,
    "busy_timeout": busy_timeout,
    "outcome": outcome,
    "engine": settings.DATABASES["default"]["ENGINE"],
}))
"""


def run_on_sqlite(tmp_path: Path, script: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
        APP_ENV="development",
        DJANGO_SETTINGS_MODULE="familievaerft.settings",
        LOG_LEVEL="WARNING",
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_four_uses_of_one_link_at_once_wait_for_each_other_on_sqlite(tmp_path):
    report = run_on_sqlite(tmp_path, FOUR_AT_ONCE)
    assert report["engine"] == "django.db.backends.sqlite3"
    assert report["journal_mode"] == "wal"
    assert report["busy_timeout"] >= 5000
    outcome = report["outcome"]
    # No "database is locked": every use got an answer, and exactly one claimed the link.
    assert sorted(outcome.values()) == [0, 0, 0, 1], outcome
