"""Fault: two beat schedulers run at once (a second beat started by mistake, or the old one
still running during a deploy), with a sweep every second, and two workers taking the sweeps
in parallel.

Items fall due in waves while it runs. Every reminder is raised exactly once (one row per item,
level and recipient, and the sweeps' own counts of what they created add up to the rows) and
mailed exactly once, however many sweeps ran at the same time.
"""

import datetime as dt
import re
import time
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from cases.models import Deadline, DeadlineRule
from demo import factories as f
from followups.models import Reminder
from tests.celery_helpers import beat, private_redis, process_env, wait_for, worker
from tests.faults.mail import mailed_reminder_lines

TIMEOUT = 40  # seconds for any one step; every wait is bounded
WAVES = 2
CASES_PER_WAVE = 3


def sweeps(logs) -> int:
    return sum(log.read_text().count("reminder sweep: ") for log in logs)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_beats_at_once_raise_and_mail_every_reminder_once(personas, org, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the workers need a database server they can share with the test")
    for user in (personas.owner, personas.team_lead):
        user.email = f"{user.username}@kommune.example"
        user.save(update_fields=["email"])
    receipt = DeadlineRule.objects.get(code="receipt")
    expected: set[tuple[str, str, str]] = set()

    def wave() -> None:
        """Cases with one deadline overdue for 20 days (the owner's reminder and the team
        lead's escalation) and one coming due in three days (the owner's)."""
        now = timezone.now()
        for _ in range(CASES_PER_WAVE):
            case = f.CaseFactory(
                owner=personas.owner,
                team=org.team_a,
                status="measure",
            )
            overdue = Deadline.objects.create(
                case=case, rule=receipt, due_at=now - dt.timedelta(days=20)
            )
            coming = Deadline.objects.create(
                case=case, rule=receipt, due_at=now + dt.timedelta(days=3)
            )
            expected.update(
                {
                    (f"deadline:{overdue.pk}", "overdue", "owner"),
                    (f"deadline:{overdue.pk}", "escalated", "lead"),
                    (f"deadline:{coming.pk}", "coming_due", "owner"),
                }
            )

    wave()
    mail_dir = tmp_path / "mail"
    worker_logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    beat_logs = [tmp_path / "beat-1.log", tmp_path / "beat-2.log"]
    all_logs = (*worker_logs, *beat_logs)
    with private_redis(tmp_path / "redis.log") as broker:
        env = process_env(
            REDIS_URL=broker.url, REMINDER_SWEEP_SECONDS="1", EMAIL_URL=f"filemail:///{mail_dir}"
        )
        with (
            worker(env, "celery", worker_logs[0], "-n", "one@%h") as first,
            worker(env, "celery", worker_logs[1], "-n", "two@%h") as second,
            beat(env, beat_logs[0], tmp_path / "schedule-1") as beat_one,
            beat(env, beat_logs[1], tmp_path / "schedule-2") as beat_two,
        ):
            processes = (first, second, beat_one, beat_two)

            def raised() -> bool:
                return Reminder.objects.filter(emailed_at__isnull=False).count() >= len(expected)

            wait_for(raised, TIMEOUT, "the first wave", processes=processes, logs=all_logs)
            for _ in range(WAVES):
                wave()
                wait_for(raised, TIMEOUT, "a wave", processes=processes, logs=all_logs)
                time.sleep(0.5)
            # Both schedulers sent sweeps, and the last ones found nothing more to do.
            done = sweeps(worker_logs) + 3
            wait_for(
                lambda: sweeps(worker_logs) >= done,
                TIMEOUT,
                "further sweeps",
                processes=processes,
                logs=all_logs,
            )

    for log in beat_logs:
        assert log.read_text().count("Sending due task sweep-reminders") >= 2, log.read_text()
    outputs = [log.read_text() for log in worker_logs]
    # Both workers took sweeps: the two schedulers' sweeps ran in two processes.
    assert all("reminder sweep: " in output for output in outputs), outputs[0][-2000:]

    rows = list(Reminder.objects.values_list("item", "level", "recipient__username"))
    assert len(rows) == len(set(rows))
    assert set(rows) == expected
    # Raised once: what all sweeps of both workers say they created adds up to the rows.
    created = sum(
        int(n)
        for output in outputs
        for n in re.findall(r"reminder sweep: reminders_created=(\d+)", output)
    )
    assert created == len(rows), outputs
    # Mailed once: each reminder's line reached its recipient in exactly one mail.
    lines = mailed_reminder_lines(mail_dir)
    assert [line for line, count in lines.items() if count != 1] == []
    assert Counter(to.split("@")[0] for to, _line in lines) == Counter(
        username for _item, _level, username in rows
    )
    assert not Reminder.objects.filter(emailed_at=None).exists()
