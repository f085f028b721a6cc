"""The sweep as production runs it: a real Celery worker on Redis runs the beat's task, and the
beat service of docker-compose.yml is what sends it."""

import datetime as dt
import secrets
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cases.models import Deadline, DeadlineRule
from demo import factories as f
from followups.models import Reminder
from followups.tasks import sweep_reminders
from tests.celery_helpers import not_eager, process_env, redis_or_skip, worker  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
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


# serialized_rollback: an earlier transactional test flushed the rule table of the data
# migrations; this brings it back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("not_eager")
def test_a_celery_worker_on_redis_runs_the_sweep(personas, org, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database server it can share with the test")
    redis_url = redis_or_skip()
    # Committed (transaction=True), so the worker's own connection sees it.
    case = f.CaseFactory(
        owner=personas.owner,
        team=org.team_a,
        status="measure",
    )
    overdue = Deadline.objects.create(
        case=case,
        rule=DeadlineRule.objects.get(code="receipt"),
        due_at=timezone.now() - dt.timedelta(days=20),
    )

    env = process_env(REDIS_URL=redis_url)
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
