"""Fault: Redis (the broker) stops while a sweep is due.

A private Redis with a real worker and a real beat (a sweep every second) on it; the shared
Redis of the other tests is never touched. While the broker is down: the worker and the beat
keep running without spinning (bounded CPU and log output), no reminder is raised, a family
approving a letter is answered at once (the letter waits in Postgres for the requeue job), and
logins and the API, rate limited in Redis as in production, are answered too.
When Redis is back, the next sweeps raise every reminder exactly once and mail it once.
"""

import datetime as dt
import re
import time
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Deadline, DeadlineRule, FamilyMember
from demo import factories as f
from followups.models import Reminder
from letters.models import ClosingLetter, LetterRendering
from letters.render_once import REQUEUE_AFTER
from letters.tasks import stalled_renderings
from tests.celery_helpers import (
    app_broker,
    beat,
    cpu_seconds,
    private_redis,
    process_env,
    wait_for,
    worker,
)
from tests.faults.mail import mailed_reminder_lines

TIMEOUT = 40  # seconds for any one step; every wait is bounded
OUTAGE = 4  # seconds the broker stays down: several sweeps fall due in it


def sweeps_succeeded(log) -> int:
    return sum(
        1
        for line in log.read_text().splitlines()
        if "sweep_reminders[" in line and " succeeded " in line
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broker_outage_crashes_nothing_and_the_next_sweep_raises_every_reminder_once(
    case, personas, org, login, tmp_path, settings, caplog
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database server it can share with the test")
    for user in (personas.owner, personas.team_lead):
        user.email = f"{user.username}@kommune.example"
        user.save(update_fields=["email"])
    version = f.closing_letter_version(case.measures.get(), personas.therapist)
    letter = version.letter
    letter.reviewers.add(FamilyMember.objects.get(user=personas.family_user))
    mail_dir = tmp_path / "mail"
    wlog, blog = tmp_path / "worker.log", tmp_path / "beat.log"

    with private_redis(tmp_path / "redis.log") as broker, app_broker(broker.url):
        # The rate limits count in Redis too, as in production.
        settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": broker.url}}
        env = process_env(
            REDIS_URL=broker.url, REMINDER_SWEEP_SECONDS="1", EMAIL_URL=f"filemail:///{mail_dir}"
        )
        with (
            worker(env, "celery", wlog) as work,
            beat(env, blog, tmp_path / "beat-schedule") as scheduler,
        ):
            processes = (work, scheduler)
            # The pipeline works before the outage: a sweep went through.
            wait_for(
                lambda: sweeps_succeeded(wlog) >= 1,
                TIMEOUT,
                "a first sweep",
                processes=processes,
                logs=(wlog, blog),
            )
            broker.stop()
            down_at = time.monotonic()
            # Once the worker noticed, no sweep from before the outage is still running.
            wait_for(
                lambda: "Connection to broker lost" in wlog.read_text(),
                TIMEOUT,
                "the worker to notice the outage",
                processes=processes,
                logs=(wlog,),
            )
            cpu_before = [cpu_seconds(p.pid) for p in processes]
            lines_before = [len(log.read_text().splitlines()) for log in (wlog, blog)]

            # Due while the broker is down: overdue for 20 days (the owner's reminder and the
            # team lead's escalation) and coming due in three days (the owner's).
            receipt = DeadlineRule.objects.get(code="receipt")
            now = timezone.now()
            overdue = Deadline.objects.create(
                case=case, rule=receipt, due_at=now - dt.timedelta(days=20)
            )
            coming = Deadline.objects.create(
                case=case, rule=receipt, due_at=now + dt.timedelta(days=3)
            )

            # The family approves a letter: the request is answered promptly, no 500.
            client = login(personas.family_user)
            url = reverse("family:letter_approve", args=[letter.case_id, letter.pk])
            started_at = time.monotonic()
            response = client.post(url, {"confirm": "on"})
            assert time.monotonic() - started_at < 5  # the publish gives up within a second
            assert response.status_code == 302
            assert "render_closing_letter not queued, the broker is unreachable" in caplog.text
            letter.refresh_from_db()
            assert letter.status == ClosingLetter.Status.APPROVED
            # Not lost: the rendering waits in Postgres; the requeue job sends it again.
            rendering = LetterRendering.objects.get(version=version)
            assert rendering.status == LetterRendering.Status.QUEUED
            later = timezone.now() + REQUEUE_AFTER + dt.timedelta(seconds=1)
            assert stalled_renderings(later) == [rendering.pk]

            # Logins and the API (rate limited in Redis) are answered too, not failed.
            started_at = time.monotonic()
            response = Client().post("/login/", {"username": "owner", "password": "forkert"})
            assert response.status_code == 200 and "username" in response.content.decode()
            api = Client().get("/api/v1/cases/", headers={"Authorization": "Token forkert"})
            assert api.status_code == 401
            assert time.monotonic() - started_at < 6

            time.sleep(max(0.0, OUTAGE - (time.monotonic() - down_at)))
            elapsed = time.monotonic() - down_at
            for process, before in zip(processes, cpu_before, strict=True):
                assert process.poll() is None, "a process died while the broker was down"
                # Waiting, not spinning: a reconnect loop without pauses would use ~100 %.
                assert cpu_seconds(process.pid) - before < 0.5 * elapsed
            for log, before in zip((wlog, blog), lines_before, strict=True):
                assert len(log.read_text().splitlines()) - before < 20 * elapsed, log.read_text()
            assert not Reminder.objects.exists(), list(Reminder.objects.values("item", "level"))
            beat_output = blog.read_text()
            assert "not queued, the broker is unreachable" in beat_output, beat_output[-3000:]

            broker.start()
            sweeps_before = sweeps_succeeded(wlog)

            def raised() -> bool:
                return Reminder.objects.count() >= 3

            wait_for(
                raised,
                TIMEOUT,
                "the reminders after the outage",
                processes=processes,
                logs=(wlog, blog),
            )
            # And two more sweeps after that: they add nothing.
            wait_for(
                lambda: sweeps_succeeded(wlog) >= sweeps_before + 3,
                TIMEOUT,
                "further sweeps",
                processes=processes,
                logs=(wlog, blog),
            )
            wait_for(
                lambda: not Reminder.objects.filter(emailed_at=None).exists(),
                TIMEOUT,
                "the reminders to be mailed",
                processes=processes,
                logs=(wlog,),
            )

    output = wlog.read_text()
    reminders = set(Reminder.objects.values_list("item", "level", "recipient__username"))
    assert {
        (f"deadline:{overdue.pk}", "overdue", "owner"),
        (f"deadline:{overdue.pk}", "escalated", "lead"),
        (f"deadline:{coming.pk}", "coming_due", "owner"),
    } <= reminders
    assert Reminder.objects.count() == len(reminders)
    # Raised once: the reminders_created of all sweeps add up to the rows.
    created = sum(
        int(number) for number in re.findall(r"reminder sweep: reminders_created=(\d+)", output)
    )
    assert created == Reminder.objects.count(), output[-3000:]
    # Mailed once: one line per reminder in the mails, to its recipient.
    lines = mailed_reminder_lines(mail_dir)
    assert all(count == 1 for count in lines.values()), lines
    assert Counter(to for to, _line in lines) == Counter(
        Reminder.objects.exclude(recipient__email="").values_list("recipient__email", flat=True)
    )
    assert case.citizen.cpr not in output
