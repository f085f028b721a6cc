"""Fault: the worker rendering a closing letter is killed with SIGKILL in the middle of it.

A real worker on a private Redis takes the letter the family approved; the test kills it (the
whole process, no warm shutdown) the moment the rendering row says "rendering", before any PDF
exists. The claim it left behind goes stale after ``STALE_AFTER``; the requeue job of the beat
sends the letter again, and a new worker renders it: one PDF file, one hash, state done, one
letter sent. The killed worker's own message, delivered again later (acks_late), changes
nothing.
"""

import datetime as dt
import hashlib
import os
import signal
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import F

from cases.models import FamilyMember
from demo import factories as f
from letters import render_once, tasks
from letters.models import ClosingLetter, LetterRendering
from letters.services import letter_approve
from tests.celery_helpers import app_broker, private_redis, process_env, wait_for, worker
from tests.faults.mail import mails

TIMEOUT = 40  # seconds for any one step: a worker starting, a letter rendered and sent
Status = LetterRendering.Status

# A long letter (about ten pages): the render takes long enough that the kill lands in it.
PARAGRAPH = (
    "Vi har arbejdet med morgenrutiner, lektier og samarbejdet med skolen. Familien har selv "
    "foreslået de små skridt, og de har holdt fast i dem, også i de uger, hvor det var svært. "
)
LONG_LETTER = {key: (PARAGRAPH * 6 + "\n\n") * 8 for key in f.LETTER_TEXTS}


def files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_letter_is_rendered_exactly_once_after_its_worker_was_killed(
    case, personas, tmp_path, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database server it can share with the test")
    media, mail_dir = tmp_path / "media", tmp_path / "mail"
    settings.MEDIA_ROOT = media
    addresses = {"owner": "sagsbehandler@kommune.example", "parent": "foraelder@example.dk"}
    for user in (personas.owner, personas.family_user):
        user.email = addresses[user.username]
        user.save(update_fields=["email"])
    version = f.closing_letter_version(case.measures.get(), personas.therapist, LONG_LETTER)
    letter = version.letter
    letter.reviewers.add(FamilyMember.objects.get(user=personas.family_user))
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]

    with private_redis(tmp_path / "redis.log") as broker, app_broker(broker.url):
        env = process_env(
            REDIS_URL=broker.url, MEDIA_ROOT=str(media), EMAIL_URL=f"filemail:///{mail_dir}"
        )
        with worker(env, "celery", logs[0]) as first:
            wait_for(
                lambda: "ready" in logs[0].read_text(),
                TIMEOUT,
                "the first worker",
                processes=(first,),
                logs=(logs[0],),
            )
            # Committed: the task is queued when the approval's transaction commits.
            rendering = letter_approve(letter=letter, user=personas.family_user)
            claimed = LetterRendering.objects.filter(pk=rendering.pk, status=Status.RENDERING)
            wait_for(
                claimed.exists,
                TIMEOUT,
                "the worker to claim the letter",
                processes=(first,),
                logs=(logs[0],),
                interval=0.01,
            )
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=5)
        assert first.returncode == -signal.SIGKILL

        # Killed in the middle: claimed, nothing stored, nothing sent.
        rendering.refresh_from_db()
        assert rendering.status == Status.RENDERING and rendering.attempts == 1, (
            "the kill came too late: " + logs[0].read_text()[-2000:]
        )
        assert files(media) == [] and rendering.sha256 == ""
        letter.refresh_from_db()
        assert letter.status == ClosingLetter.Status.APPROVED

        # The dead worker's claim is what a live one would hold for STALE_AFTER; let that
        # time pass for the row, then the beat's requeue job sends the letter again.
        LetterRendering.objects.filter(pk=rendering.pk).update(
            started_at=F("started_at") - render_once.STALE_AFTER - dt.timedelta(seconds=1)
        )
        assert tasks.stalled_renderings() == [rendering.pk]
        with worker(env, "celery", logs[1]) as second:
            tasks.requeue_stalled_renderings.delay()

            def sent() -> bool:
                letter.refresh_from_db()
                return letter.status == ClosingLetter.Status.SENT

            wait_for(
                sent,
                TIMEOUT,
                "the letter to be rendered and sent",
                processes=(second,),
                logs=(logs[1],),
            )
            # The killed worker's message comes back (acks_late, after the broker's visibility
            # timeout): the letter is done, nothing is rendered or sent again.
            tasks.render_closing_letter.delay(rendering.pk)
            wait_for(
                lambda: "'already-done'" in logs[1].read_text(),
                TIMEOUT,
                "the repeated message to be handled",
                processes=(second,),
                logs=(logs[1],),
            )

    rendering.refresh_from_db()
    assert rendering.status == Status.DONE and rendering.attempts == 2
    stored = files(media)
    assert [p.name for p in stored] == [Path(rendering.file.name).name]
    assert hashlib.sha256(stored[0].read_bytes()).hexdigest() == rendering.sha256
    assert tasks.stalled_renderings() == []
    output = logs[1].read_text()
    assert output.count("'rendered'") == 1, output[-3000:]
    # One "letter sent" mail to each side, however often the task ran.
    recipients = sorted(to for m in mails(mail_dir) for to in m.get_all("To", []))
    assert recipients == sorted(addresses.values()), output[-3000:]
    assert case.citizen.cpr not in output
