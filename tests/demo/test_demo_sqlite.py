"""`make run` without services: SQLite, in-process Celery, demo mode. The suite otherwise runs
on PostgreSQL, so code that only works there (raw SQL, typed cursor rows) would break the
demo unnoticed; this migrates and seeds a SQLite file in a subprocess and opens the main pages
as the demo's caseworker, therapist and family."""

# The subprocess is this repository's own manage.py and a script it is given.
# ruff: noqa: S603

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PAGES = r"""
import django
django.setup()
from django.test import Client
from cases.models import Case
from accounts.models import User

def pages(username, paths):
    client = Client()
    client.force_login(User.objects.get(username=username))
    for path in paths:
        response = client.get(path, follow=True)
        print(username, path, response.status_code)
        assert response.status_code == 200, (username, path, response.status_code)

owner = User.objects.get(username="sagsbehandler")
case = Case.objects.filter(owner=owner).exclude(status="closed").first()
pages("sagsbehandler", ["/", "/sager/", case.get_absolute_url(), "/frister/", "/paamindelser/"])
pages("teamleder", ["/sager/", "/team/"])
pages("familiebehandler", ["/"])
pages("familie", ["/familie/"])
# An id filter beyond the range of the ids: the default list or a 400, never a 500 (SQLite
# cannot even bind such a number).
huge = str(2**64)
pages("teamleder", [f"/frister/?worker={huge}&team={huge}", f"/sager/?owner={huge}"])
api = Client()
api.force_login(owner)
for name in ("owner", "team"):
    response = api.get(f"/api/v1/cases/?{name}={huge}")
    print("api", name, response.status_code)
    assert response.status_code == 400, (name, response.status_code)
print("ok")
"""


def test_the_demo_runs_on_sqlite(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        APP_ENV="demo",
        MEDIA_ROOT=str(tmp_path / "media"),
        LOG_LEVEL="WARNING",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"], ["sweep_reminders"]):
        subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, timeout=240)
    result = subprocess.run(
        [sys.executable, "-c", PAGES],
        env={**env, "DJANGO_SETTINGS_MODULE": "familievaerft.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert result.stdout.strip().endswith("ok")
