"""Rendering the closing letter exactly once (letters/tasks.py): the claim in Postgres, the
stored file, failures and retries, a worker that died mid-render."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.utils import timezone

from cases.models import FamilyMember
from demo import factories as f
from followups.models import Reminder
from letters import tasks
from letters.models import ClosingLetter, LetterRendering
from letters.render_once import STALE_AFTER
from letters.services import letter_approve
from letters.tasks import letter_render_once, render_closing_letter


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def rendering(case, personas):
    version = f.closing_letter_version(case.measures.get(), personas.therapist)
    letter = version.letter
    letter.reviewers.add(FamilyMember.objects.get(user=personas.family_user))
    return letter_approve(letter=letter, user=personas.family_user)


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


def test_running_the_task_twice_renders_and_stores_once(rendering, media, monkeypatch):
    calls = []
    real = tasks.render_letter_pdf
    monkeypatch.setattr(tasks, "render_letter_pdf", lambda v: calls.append(v) or real(v))

    assert render_closing_letter(rendering.pk) == "rendered"
    rendering.refresh_from_db()
    first = (rendering.file.name, rendering.sha256, rendering.rendered_at)
    assert render_closing_letter(rendering.pk) == "already-done"

    rendering.refresh_from_db()
    assert len(calls) == 1
    assert (rendering.file.name, rendering.sha256, rendering.rendered_at) == first
    assert rendering.status == LetterRendering.Status.DONE and rendering.attempts == 1
    files = stored_files(media)
    assert len(files) == 1
    assert files[0].read_bytes().startswith(b"%PDF")
    assert str(rendering.pk) in files[0].name and rendering.sha256[:16] in files[0].name
    import hashlib

    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == rendering.sha256


def test_the_rendered_letter_is_sent_once(rendering, case):
    render_closing_letter(rendering.pk)
    render_closing_letter(rendering.pk)
    letter = ClosingLetter.objects.get(pk=rendering.version.letter_id)
    assert letter.status == ClosingLetter.Status.SENT and letter.sent_at is not None
    assert Reminder.objects.filter(item=f"letter:{letter.pk}").count() == 1
    # Sending the letter ends nothing: the measure ends by the caseworker's decision.
    assert case.measures.get().ended_on is None


def test_a_failure_is_recorded_in_danish_and_a_retry_succeeds(rendering, media, monkeypatch):
    real = tasks.render_letter_pdf

    def broken(version):
        raise RuntimeError(f"fonts missing for {version.letter.case.citizen.cpr}")

    monkeypatch.setattr(tasks, "render_letter_pdf", broken)
    with pytest.raises(RuntimeError):
        letter_render_once(rendering.pk)
    rendering.refresh_from_db()
    assert rendering.status == LetterRendering.Status.FAILED
    assert rendering.attempts == 1
    assert "Brevet kunne ikke dannes" in rendering.error and "RuntimeError" in rendering.error
    assert rendering.version.letter.case.citizen.cpr not in rendering.error
    assert not stored_files(media)
    letter = ClosingLetter.objects.get(pk=rendering.version.letter_id)
    assert letter.status == ClosingLetter.Status.APPROVED  # not lost, not sent

    monkeypatch.setattr(tasks, "render_letter_pdf", real)
    assert letter_render_once(rendering.pk) == "rendered"
    rendering.refresh_from_db()
    assert rendering.status == LetterRendering.Status.DONE
    assert rendering.attempts == 2 and rendering.error == ""
    assert len(stored_files(media)) == 1


class Retried(Exception):
    pass


def run_as_worker(rendering_id: int, retries: int):
    """The task's body as a worker runs it on its ``retries``-th retry."""
    render_closing_letter.push_request(retries=retries, called_directly=False, is_eager=False)
    try:
        return render_closing_letter.run(rendering_id)
    finally:
        render_closing_letter.pop_request()


def test_the_celery_task_retries_with_backoff_then_gives_up_without_losing_it(
    rendering, monkeypatch
):
    def broken(version):
        raise OSError("disk full")

    monkeypatch.setattr(tasks, "render_letter_pdf", broken)
    countdowns = []

    def retry(*, exc=None, countdown=None, **kwargs):
        countdowns.append(countdown)
        return Retried()

    monkeypatch.setattr(render_closing_letter, "retry", retry)
    for retries in range(5):
        with pytest.raises(Retried):
            run_as_worker(rendering.pk, retries)
    assert countdowns == [30, 60, 120, 240, 480]
    assert run_as_worker(rendering.pk, 5) == "failed"
    rendering.refresh_from_db()
    assert rendering.status == LetterRendering.Status.FAILED
    assert rendering.attempts == 6
    assert "Filen kunne ikke gemmes" in rendering.error
    assert ClosingLetter.objects.get(pk=rendering.version.letter_id).status == "approved"


def test_in_process_without_a_broker_a_failure_does_not_break_the_caller(rendering, monkeypatch):
    monkeypatch.setattr(tasks, "render_letter_pdf", lambda v: 1 / 0)
    assert render_closing_letter.apply(args=[rendering.pk]).get() == "failed"
    rendering.refresh_from_db()
    assert rendering.status == LetterRendering.Status.FAILED


def test_a_busy_rendering_is_looked_at_again_after_the_stale_time(rendering, monkeypatch):
    LetterRendering.objects.filter(pk=rendering.pk).update(
        status=LetterRendering.Status.RENDERING, started_at=timezone.now(), attempts=1
    )
    countdowns = []

    def retry(*, exc=None, countdown=None, **kwargs):
        countdowns.append(countdown)
        return Retried()

    monkeypatch.setattr(render_closing_letter, "retry", retry)
    with pytest.raises(Retried):
        run_as_worker(rendering.pk, 0)
    assert countdowns == [STALE_AFTER.total_seconds() + 30]


def test_a_rendering_held_by_a_live_worker_is_left_alone(rendering, monkeypatch):
    LetterRendering.objects.filter(pk=rendering.pk).update(
        status=LetterRendering.Status.RENDERING, started_at=timezone.now(), attempts=1
    )
    monkeypatch.setattr(tasks, "render_letter_pdf", lambda v: pytest.fail("rendered twice"))
    assert letter_render_once(rendering.pk) == "busy"
    rendering.refresh_from_db()
    assert rendering.status == LetterRendering.Status.RENDERING and rendering.attempts == 1


def test_a_stale_rendering_of_a_dead_worker_is_taken_over(rendering, media):
    started = timezone.now()
    LetterRendering.objects.filter(pk=rendering.pk).update(
        status=LetterRendering.Status.RENDERING, started_at=started, attempts=1
    )
    with time_machine.travel(started + STALE_AFTER - dt.timedelta(seconds=5)):
        assert letter_render_once(rendering.pk) == "busy"
    with time_machine.travel(started + STALE_AFTER + dt.timedelta(seconds=5)):
        assert letter_render_once(rendering.pk) == "rendered"
    rendering.refresh_from_db()
    assert rendering.status == LetterRendering.Status.DONE and rendering.attempts == 2
    assert len(stored_files(media)) == 1


def test_a_worker_whose_claim_went_stale_does_not_overwrite_the_new_one(
    rendering, media, monkeypatch
):
    """Worker A is slow; worker B takes over the stale claim and finishes. A's result is
    dropped."""
    real = tasks.render_letter_pdf

    def slow_then_taken_over(version):
        pdf = real(version)
        # Meanwhile the claim went stale and B took it and finished.
        with time_machine.travel(timezone.now() + STALE_AFTER + dt.timedelta(minutes=1)):
            monkeypatch.setattr(tasks, "render_letter_pdf", real)
            assert letter_render_once(rendering.pk) == "rendered"
        return pdf + b"\n% A's copy differs"

    monkeypatch.setattr(tasks, "render_letter_pdf", slow_then_taken_over)
    assert letter_render_once(rendering.pk) == "busy"
    rendering.refresh_from_db()
    assert rendering.status == LetterRendering.Status.DONE and rendering.attempts == 2
    files = stored_files(media)
    assert [p.name for p in files] == [Path(rendering.file.name).name]


def test_a_done_rendering_is_delivered_but_not_rendered_again(rendering, monkeypatch):
    """A worker died after storing the PDF but before sending the letter."""
    name = default_storage.save("letters/x.pdf", __import__("io").BytesIO(b"%PDF-1.7 x"))
    LetterRendering.objects.filter(pk=rendering.pk).update(
        status=LetterRendering.Status.DONE, file=name, sha256="a" * 64, rendered_at=timezone.now()
    )
    monkeypatch.setattr(tasks, "render_letter_pdf", lambda v: pytest.fail("rendered again"))
    assert render_closing_letter(rendering.pk) == "already-done"
    letter = ClosingLetter.objects.get(pk=rendering.version.letter_id)
    assert letter.status == ClosingLetter.Status.SENT


def test_an_unknown_rendering_is_ignored(db):
    assert render_closing_letter(999_999) == "missing"


def test_the_task_takes_only_an_id():
    assert render_closing_letter.name == "letters.tasks.render_closing_letter"
    assert render_closing_letter.acks_late is True
    assert render_closing_letter.max_retries == 5
