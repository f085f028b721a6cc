"""The sweep as production runs it: a real Celery worker on Redis runs the beat's task, and the
beat service of docker-compose.yml is what sends it."""

# The worker started here is this repository's own celery command.
# ruff: noqa: S603

import contextlib
import datetime as dt
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import yaml
from django.conf import settings
from django.db import connection
from django.utils import timezone

from familievaerft.celery import app
from followups.models import Deadline, DeadlineRule, Reminder
from followups.tasks import sweep_reminders
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"
TIMEOUT = 60  # seconds for the worker to start and run the task; every wait is bounded


def test_the_sweep_is_scheduled_in_one_place():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-reminders"]
    assert entry["task"] == "followups.tasks.sweep_reminders" == sweep_reminders.name
    assert 60 <= entry["schedule"] <= 60 * 60
    # A sweep the broker could not deliver in time expires: the next one catches up.
    assert entry["options"]["expires"] <= entry["schedule"]


def test_the_beat_service_in_docker_compose_runs_celery_beat():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    beat = compose["services"]["beat"]
    command = beat["command"]
    args = command.split() if isinstance(command, str) else command
    assert args[:4] == ["celery", "-A", "familievaerft", "beat"]
    # Only one scheduler: the worker does not embed one (that would send every sweep twice).
    worker = compose["services"]["worker"]["command"]
    assert "--beat" not in worker and " -B" not in worker
    assert compose["services"]["beat"]["environment"]["REDIS_URL"]


def _redis_or_skip() -> str:
    url = settings.REDIS_URL
    if not url:
        pytest.skip("REDIS_URL is not set: Celery runs tasks in-process")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable: {exc}")
    return url


@pytest.fixture
def not_eager():
    """Tasks go to the broker, as with REDIS_URL set in production."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager


@contextlib.contextmanager
def worker(env: dict[str, str], queue: str, log: Path):
    """A solo-pool worker in its own process group; always stopped, with anything it forked."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                *(str(CELERY), "-A", "familievaerft", "worker", "--pool=solo", "-Q", queue),
                *("--loglevel=INFO", "--without-gossip", "--without-mingle"),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


# serialized_rollback: an earlier transactional test flushed the rule table of the data
# migrations; this brings it back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_celery_worker_on_redis_runs_the_sweep(personas, org, tmp_path, not_eager):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database server it can share with the test")
    redis_url = _redis_or_skip()
    # Committed (transaction=True), so the worker's own connection sees it.
    case = f.CaseFactory(
        citizen=f.CitizenFactory(cpr=f.fictitious_cpr(dt.date(2017, 3, 1))),
        owner=personas.owner,
        team=org.team_a,
        status="measure",
    )
    overdue = Deadline.objects.create(
        case=case,
        rule=DeadlineRule.objects.get(code="receipt"),
        due_at=timezone.now() - dt.timedelta(days=20),
    )

    db = connection.settings_dict
    env = {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "EMAIL_URL": "consolemail://",
    }
    # A queue of its own: no other worker on this Redis takes the task.
    queue = f"test-sweep-{secrets.token_hex(4)}"
    log = tmp_path / "worker.log"
    with worker(env, queue, log) as process:
        sweep_reminders.apply_async(queue=queue)
        deadline = time.monotonic() + TIMEOUT
        while Reminder.objects.count() < 2 and time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"worker exited with {process.returncode}:\n{log.read_text()}")
            time.sleep(0.2)
        while "succeeded" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    output = log.read_text()
    assert "followups.tasks.sweep_reminders" in output, output[-3000:]
    assert "reminders_created=2" in output, output[-3000:]
    assert set(
        Reminder.objects.filter(item=f"deadline:{overdue.pk}").values_list(
            "level", "recipient__username"
        )
    ) == {("overdue", "owner"), ("escalated", "lead")}
    # The reminders were raised and handed to delivery (no address: in the app only).
    assert not Reminder.objects.filter(emailed_at=None).exists()
    assert case.citizen.cpr not in output
