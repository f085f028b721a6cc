"""The closing letter as production sends it: the family approves, a real Celery worker on
Redis renders the PDF once, stores it and sends the letter (the approach of
tests/followups/test_sweep_celery.py)."""

import io
import secrets
import time
from pathlib import Path

import pytest
from django.db import connection
from pypdf import PdfReader

from cases.models import FamilyMember
from demo import factories as f
from letters import tasks
from letters.models import ClosingLetter, LetterRendering, LetterSection
from letters.services import letter_approve
from tests.celery_helpers import not_eager, process_env, redis_or_skip, worker  # noqa: F401

TIMEOUT = 90  # seconds for the worker to start, render and deliver; every wait is bounded


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("not_eager")
def test_approving_a_letter_makes_a_worker_render_store_and_send_it(
    case, personas, tmp_path, settings, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database server it can share with the test")
    redis_url = redis_or_skip()
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media

    version = f.closing_letter_version(case.measures.get(), personas.therapist)
    letter = version.letter
    letter.reviewers.add(FamilyMember.objects.get(user=personas.family_user))

    # A queue of its own: no other worker on this Redis takes the task.
    queue = f"test-letter-{secrets.token_hex(4)}"
    task = tasks.render_closing_letter
    monkeypatch.setattr(
        task, "delay", lambda rendering_id: task.apply_async(args=[rendering_id], queue=queue)
    )
    env = process_env(REDIS_URL=redis_url, MEDIA_ROOT=str(media))
    log = tmp_path / "worker.log"
    with worker(env, queue, log) as process:
        # Committed: the task is queued when the approval's transaction commits.
        rendering = letter_approve(letter=letter, user=personas.family_user)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            letter.refresh_from_db()
            if letter.status == ClosingLetter.Status.SENT:
                break
            if process.poll() is not None:
                pytest.fail(f"worker exited with {process.returncode}:\n{log.read_text()}")
            time.sleep(0.25)
    output = log.read_text()
    assert letter.status == ClosingLetter.Status.SENT, output[-3000:]
    assert "letters.tasks.render_closing_letter" in output, output[-3000:]

    rendering = LetterRendering.objects.get(pk=rendering.pk)
    assert rendering.status == LetterRendering.Status.DONE and rendering.attempts == 1
    files = [p for p in Path(media).rglob("*") if p.is_file()]
    assert [p.name for p in files] == [Path(rendering.file.name).name]
    pdf = files[0].read_bytes()
    import hashlib

    assert hashlib.sha256(pdf).hexdigest() == rendering.sha256
    text = "".join(
        "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    for label in LetterSection.labels:
        assert "".join(str(label).split()) in text
    assert "".join(f.LETTER_TEXTS["course"].split("\n\n")[0].split()) in text
    assert "".join(case.citizen.full_name.split()) in text
    assert case.citizen.cpr not in output
