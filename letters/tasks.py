"""Celery tasks of the letters app: rendering the closing status letter and the decision letter
(afgørelsesbrev, ``DecisionLetter``, by the same claim), exactly once, and queueing stuck
renderings again. A letter rendered is delivered: its recipients' Digital Post messages (or
print-queue rows) are written with the outbox (``letters.digital_post``, ``core.outbox``).

Tasks take ids only and are idempotent. What must happen lives in Postgres, not in a message
or a countdown held by Redis, so a lost message loses nothing (``requeue_stalled_renderings``
sends it again) and a repeated one repeats nothing. ``LetterRendering`` moves queued/failed →
rendering with a conditional update, and only the worker whose update matched renders. The PDF
is stored under a name made of the rendering's id and the content's hash, and the row becomes
done (with the file and its SHA-256) in one more conditional update that only the claim's
holder can make. A task that runs twice, or twice at once, renders and stores one
letter; a worker killed mid-render leaves a "rendering" row that becomes claimable again once
it is older than ``STALE_AFTER``; a failure is recorded (in Danish, without personal data) and
retried with exponential backoff, and the letter is never lost: the row stays until it is done.
"""

import datetime as dt
import hashlib
import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.redaction import redact_cpr
from letters import digital_post
from letters.models import DecisionLetter, LetterRendering
from letters.pdf import render_letter_pdf

logger = logging.getLogger(__name__)

# A render takes seconds; a "rendering" row older than this belongs to a worker that died.
STALE_AFTER = dt.timedelta(minutes=10)
MAX_RETRIES = 5
RETRY_BACKOFF = 30  # seconds, doubled on every retry (30 s, 1 min, 2 min, 4 min, 8 min)

Status = LetterRendering.Status


def _claim(
    rendering_id: int, model: type[LetterRendering] | type[DecisionLetter] = LetterRendering
) -> dt.datetime | None:
    """Take the rendering (a ``LetterRendering``, or a ``DecisionLetter``) for this worker;
    the claim is the ``started_at`` it set (None when the row was not free: done, or being
    rendered by a live worker)."""
    now = timezone.now()
    claimable = (
        Q(status__in=(Status.QUEUED, Status.FAILED))
        | Q(status=Status.RENDERING, started_at__lt=now - STALE_AFTER)
        | Q(status=Status.RENDERING, started_at=None)
    )
    taken = model.objects.filter(claimable, pk=rendering_id).update(
        status=Status.RENDERING, attempts=F("attempts") + 1, started_at=now, error=""
    )
    return now if taken else None


def file_name(rendering_id: int, sha256: str) -> str:
    return f"letters/statusskrivelse-{rendering_id}-{sha256[:16]}.pdf"


def _store(name: str, pdf: bytes) -> str:
    """Store the PDF under ``name``; a file already there with that name holds the same bytes
    (the name carries the content's hash): it is kept rather than stored a second time."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(pdf))


def _failure_reason(exc: BaseException, attempt: int) -> str:
    with translation.override("da"):
        reason = _("Brevet kunne ikke dannes (forsøg %(attempt)d): %(kind)s.") % {
            "attempt": attempt,
            "kind": type(exc).__name__,
        }
        if isinstance(exc, OSError):
            reason += " " + _("Filen kunne ikke gemmes.")
        reason += " " + _("Det bliver prøvet igen automatisk.")
    return redact_cpr(reason)


def letter_render_once(rendering_id: int) -> str:
    """Render, store and deliver one letter; safe to call any number of times. Returns what
    happened ("rendered", "already-done", "busy" or "missing"); raises when rendering failed
    (the row is then "failed" with the reason)."""
    from letters.services import letter_deliver

    claim = _claim(rendering_id)
    if claim is None:
        rendering = (
            LetterRendering.objects.select_related("version__letter")
            .filter(pk=rendering_id)
            .first()
        )
        if rendering is None:
            return "missing"
        if rendering.status == Status.DONE:
            # Rendered before (perhaps by a worker that died before delivering): deliver, once.
            letter_deliver(rendering=rendering)
            return "already-done"
        return "busy"

    rendering = LetterRendering.objects.select_related("version__letter").get(pk=rendering_id)
    mine = LetterRendering.objects.filter(
        pk=rendering_id, status=Status.RENDERING, started_at=claim
    )
    stored = ""
    try:
        pdf = render_letter_pdf(rendering.version)
        sha256 = hashlib.sha256(pdf).hexdigest()
        stored = _store(file_name(rendering_id, sha256), pdf)
        finished = mine.update(
            status=Status.DONE,
            file=stored,
            sha256=sha256,
            rendered_at=timezone.now(),
            error="",
        )
    except Exception as exc:
        mine.update(status=Status.FAILED, error=_failure_reason(exc, rendering.attempts))
        logger.warning(
            "letter rendering %s failed (attempt %s): %s",
            rendering_id,
            rendering.attempts,
            type(exc).__name__,
        )
        raise
    if not finished:
        # Our claim went stale and another worker took over: leave the letter to it, and drop
        # our file unless it is the very one the row now names.
        current = LetterRendering.objects.filter(pk=rendering_id).values_list("file", flat=True)
        if stored and stored not in current:
            default_storage.delete(stored)
        return "busy"
    rendering.refresh_from_db()
    logger.info("letter rendering %s stored (%s bytes)", rendering_id, len(pdf))
    letter_deliver(rendering=rendering)
    return "rendered"


@shared_task(
    name="letters.tasks.render_closing_letter",
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
)
def render_closing_letter(self, rendering_id: int) -> str:  # type: ignore[no-untyped-def]
    """Render the closing letter of ``rendering_id`` to PDF once, store it and send the letter.

    Retried with exponential backoff when rendering or storing fails; while another worker
    holds the letter, checked again once that worker's claim would have gone stale (so a
    worker killed mid-render does not strand the letter)."""
    try:
        outcome = letter_render_once(rendering_id)
    except Exception as exc:
        if self.request.called_directly:
            raise
        if self.request.is_eager or self.request.retries >= self.max_retries:
            # Given up (or running in-process, without a broker to retry through): the row
            # says "failed" with the reason and the letter can be queued again; raising here
            # would only fail the request that queued it.
            logger.error("letter rendering %s failed and was not retried", rendering_id)
            return "failed"
        raise self.retry(exc=exc, countdown=RETRY_BACKOFF * 2**self.request.retries) from exc
    in_worker = not (self.request.called_directly or self.request.is_eager)
    if outcome == "busy" and in_worker and self.request.retries < self.max_retries:
        # Look again once the other worker's claim would be stale.
        raise self.retry(countdown=int(STALE_AFTER.total_seconds()) + 30)
    return outcome


# --- the decision letter (afgørelsesbrev) ----------------------------------------------------


def decision_file_name(letter_id: int, sha256: str) -> str:
    return f"letters/afgoerelse-{letter_id}-{sha256[:16]}.pdf"


def decision_letter_render_once(letter_id: int) -> str:
    """Render and store one decision letter, by the same claim as ``letter_render_once``; safe
    to call any number of times. Returns "rendered", "already-done", "busy" or "missing";
    raises when rendering failed (the row is then "failed" with the reason)."""
    from letters.decision_pdf import render_decision_pdf

    claim = _claim(letter_id, DecisionLetter)
    if claim is None:
        status = DecisionLetter.objects.filter(pk=letter_id).values_list("status", flat=True)
        if not status:
            return "missing"
        if status[0] != Status.DONE:
            return "busy"
        # Stored before (perhaps by a worker that died before delivering): deliver, once.
        _deliver_decision_letter(letter_id)
        return "already-done"
    letter = DecisionLetter.objects.select_related("decision").get(pk=letter_id)
    mine = DecisionLetter.objects.filter(pk=letter_id, status=Status.RENDERING, started_at=claim)
    stored = ""
    try:
        pdf = render_decision_pdf(letter.decision)
        sha256 = hashlib.sha256(pdf).hexdigest()
        stored = _store(decision_file_name(letter_id, sha256), pdf)
        finished = mine.update(
            status=Status.DONE, file=stored, sha256=sha256, rendered_at=timezone.now(), error=""
        )
    except Exception as exc:
        mine.update(status=Status.FAILED, error=_failure_reason(exc, letter.attempts))
        logger.warning(
            "decision letter %s failed (attempt %s): %s",
            letter_id,
            letter.attempts,
            type(exc).__name__,
        )
        raise
    if not finished:
        current = DecisionLetter.objects.filter(pk=letter_id).values_list("file", flat=True)
        if stored and stored not in current:
            default_storage.delete(stored)
        return "busy"
    logger.info("decision letter %s stored (%s bytes)", letter_id, len(pdf))
    _deliver_decision_letter(letter_id)
    return "rendered"


def _deliver_decision_letter(letter_id: int) -> None:
    """The stored decision letter to its recipients' Digital Post (or the print queue), once:
    the deliveries and their outbox messages are written in one transaction."""
    letter = DecisionLetter.objects.select_related("decision__case__citizen").get(pk=letter_id)
    digital_post.deliveries_create(letter)


@shared_task(
    name="letters.tasks.render_decision_letter",
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
)
def render_decision_letter(self, letter_id: int) -> str:  # type: ignore[no-untyped-def]
    """Render the decision letter ``letter_id`` to PDF once and store it; retried as
    ``render_closing_letter`` is."""
    try:
        outcome = decision_letter_render_once(letter_id)
    except Exception as exc:
        if self.request.called_directly:
            raise
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.error("decision letter %s failed and was not retried", letter_id)
            return "failed"
        raise self.retry(exc=exc, countdown=RETRY_BACKOFF * 2**self.request.retries) from exc
    in_worker = not (self.request.called_directly or self.request.is_eager)
    if outcome == "busy" and in_worker and self.request.retries < self.max_retries:
        raise self.retry(countdown=int(STALE_AFTER.total_seconds()) + 30)
    return outcome


# Renderings that should have been picked up by now: queued but never run (the message was lost
# with the broker), failed after the last retry, or claimed by a worker that died.
REQUEUE_AFTER = dt.timedelta(minutes=5)
REQUEUE_MAX_ATTEMPTS = 20


def _stalled(now: dt.datetime) -> Q:
    return (
        Q(status=Status.QUEUED, queued_at__lt=now - REQUEUE_AFTER)
        | Q(status=Status.FAILED, attempts__lt=REQUEUE_MAX_ATTEMPTS)
        | Q(status=Status.RENDERING, started_at__lt=now - STALE_AFTER)
    )


def stalled_renderings(now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(LetterRendering.objects.filter(_stalled(now)).values_list("pk", flat=True))


def stalled_decision_letters(now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(DecisionLetter.objects.filter(_stalled(now)).values_list("pk", flat=True))


@shared_task(name="letters.tasks.requeue_stalled_renderings")
def requeue_stalled_renderings() -> int:
    """Queue again every rendering (closing letters and decision letters) that is stuck; the
    claim in ``letter_render_once`` and ``decision_letter_render_once`` keeps a letter rendered
    once however often it is queued. Returns how many were queued."""
    ids = stalled_renderings()
    for rendering_id in ids:
        render_closing_letter.delay(rendering_id)
    decision_ids = stalled_decision_letters()
    for letter_id in decision_ids:
        render_decision_letter.delay(letter_id)
    if ids or decision_ids:
        logger.info(
            "queued %s stalled letter renderings and %s decision letters again",
            len(ids),
            len(decision_ids),
        )
    return len(ids) + len(decision_ids)
