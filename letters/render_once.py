"""Rendering a PDF exactly once, for every row the worker renders: the closing letter's
``LetterRendering``, the decision letter (``DecisionLetter``) and the aktindsigt bundle
(``file_access.models.FileAccessBundle``). Each of those models is a
``letters.models.RenderedPdf`` (the claim's columns) with a ``file``.

The rule, one ``RenderJob`` per model:

- A task takes the row's id only and is idempotent. What must happen lives in Postgres, not
  in a message or a countdown held by Redis, so a lost message loses nothing (the beat's
  requeue task sends it again, ``RenderJob.stalled``) and a repeated one repeats nothing.
- The row moves queued/failed → rendering with a conditional update (the claim), and only the
  worker whose update matched renders.
- The PDF is stored under a name made of the row's id and the content's hash, and the row
  becomes done (with the file and its SHA-256) in one more conditional update that only the
  claim's holder can make. A task that runs twice, or twice at once, renders and stores one
  PDF.
- A worker killed mid-render leaves a "rendering" row that is claimable again once it is
  older than ``STALE_AFTER``.
- A failure is recorded on the row (in Danish, without personal data) and retried with
  exponential backoff; the row stays until it is done, so nothing is lost.
- What follows a stored PDF (``deliver``: a letter's Digital Post) runs after the row is
  done, and again when a task finds the row already done (its worker may have died before
  delivering); delivering is itself idempotent.
"""

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from celery import Task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.redaction import redact_cpr
from letters.models import RenderedPdf

logger = logging.getLogger(__name__)

# A render takes seconds; a "rendering" row older than this belongs to a worker that died.
STALE_AFTER = dt.timedelta(minutes=10)
MAX_RETRIES = 5
RETRY_BACKOFF = 30  # seconds, doubled on every retry (30 s, 1 min, 2 min, 4 min, 8 min)
# Rows that should have been picked up by now: queued but never run (the message was lost
# with the broker), failed after the last retry, or claimed by a worker that died.
REQUEUE_AFTER = dt.timedelta(minutes=5)
REQUEUE_MAX_ATTEMPTS = 20

Status = RenderedPdf.Status


def _store(name: str, pdf: bytes) -> str:
    """Store the PDF under ``name``; a file already there with that name holds the same bytes
    (the name carries the content's hash): it is kept rather than stored a second time."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(pdf))


def failure_reason(exc: BaseException, attempt: int) -> str:
    """What the row says after a failed attempt: in Danish, the kind of error, never its
    message (which may hold personal data)."""
    with translation.override("da"):
        reason = _("Brevet kunne ikke dannes (forsøg %(attempt)d): %(kind)s.") % {
            "attempt": attempt,
            "kind": type(exc).__name__,
        }
        if isinstance(exc, OSError):
            reason += " " + _("Filen kunne ikke gemmes.")
        reason += " " + _("Det bliver prøvet igen automatisk.")
    return redact_cpr(reason)


@dataclass(frozen=True)
class RenderJob:
    """How one model's rows are rendered: ``render`` makes the PDF of a row (loaded with
    ``related``), ``file_name`` names it from the row's id and the content's hash,
    ``deliver`` (optional) takes the done row's id. ``label`` names the row in the log."""

    label: str
    model: type[RenderedPdf]
    render: Callable[[Any], bytes]
    file_name: Callable[[int, str], str]
    related: tuple[str, ...] = ()
    deliver: Callable[[int], None] | None = None

    def _claim(self, pk: int) -> dt.datetime | None:
        """Take the row for this worker; the claim is the ``started_at`` it set (None when
        the row was not free: done, or being rendered by a live worker)."""
        now = timezone.now()
        claimable = (
            Q(status__in=(Status.QUEUED, Status.FAILED))
            | Q(status=Status.RENDERING, started_at__lt=now - STALE_AFTER)
            | Q(status=Status.RENDERING, started_at=None)
        )
        taken = self.model._default_manager.filter(claimable, pk=pk).update(
            status=Status.RENDERING, attempts=F("attempts") + 1, started_at=now, error=""
        )
        return now if taken else None

    def run(self, pk: int) -> str:
        """Render, store (and deliver) the row ``pk``; safe to call any number of times.
        Returns "rendered", "already-done", "busy" or "missing"; raises when rendering
        failed (the row is then "failed" with the reason)."""
        rows = self.model._default_manager
        claim = self._claim(pk)
        if claim is None:
            status = list(rows.filter(pk=pk).values_list("status", flat=True))
            if not status:
                return "missing"
            if status[0] != Status.DONE:
                return "busy"
            if self.deliver is not None:
                self.deliver(pk)
            return "already-done"
        # (select_related() without names would follow every foreign key.)
        row = (rows.select_related(*self.related) if self.related else rows.all()).get(pk=pk)
        mine = rows.filter(pk=pk, status=Status.RENDERING, started_at=claim)
        stored = ""
        try:
            pdf = self.render(row)
            sha256 = hashlib.sha256(pdf).hexdigest()
            stored = _store(self.file_name(pk, sha256), pdf)
            finished = mine.update(
                status=Status.DONE, file=stored, sha256=sha256, rendered_at=timezone.now(), error=""
            )
        except Exception as exc:
            attempts = row.attempts
            mine.update(status=Status.FAILED, error=failure_reason(exc, attempts))
            logger.warning(
                "%s %s failed (attempt %s): %s", self.label, pk, attempts, type(exc).__name__
            )
            raise
        if not finished:
            # Our claim went stale and another worker took over: leave the row to it, and
            # drop our file unless it is the very one the row now names.
            current = rows.filter(pk=pk).values_list("file", flat=True)
            if stored and stored not in current:
                default_storage.delete(stored)
            return "busy"
        logger.info("%s %s stored (%s bytes)", self.label, pk, len(pdf))
        if self.deliver is not None:
            self.deliver(pk)
        return "rendered"

    def stalled(self, now: dt.datetime | None = None) -> list[int]:
        """The rows to queue again: queued too long ago, failed with attempts left, or
        claimed by a worker that died."""
        now = now or timezone.now()
        stalled = (
            Q(status=Status.QUEUED, queued_at__lt=now - REQUEUE_AFTER)
            | Q(status=Status.FAILED, attempts__lt=REQUEUE_MAX_ATTEMPTS)
            | Q(status=Status.RENDERING, started_at__lt=now - STALE_AFTER)
        )
        return list(self.model._default_manager.filter(stalled).values_list("pk", flat=True))


def run_task(task: Task, run_once: Callable[[int], str], pk: int, label: str) -> str:
    """The body of a bound render task (``bind=True, acks_late=True``, ``MAX_RETRIES``):
    ``run_once(pk)``, retried with exponential backoff when it raises; while another worker
    holds the row, checked again once that worker's claim would have gone stale (so a worker
    killed mid-render does not strand it).

    Given up, or run in-process without a broker to retry through, the task returns "failed":
    the row says so with the reason and is queued again by the beat; raising would only fail
    the request that queued it."""
    request = task.request
    try:
        outcome = run_once(pk)
    except Exception as exc:
        if request.called_directly:
            raise
        if request.is_eager or request.retries >= task.max_retries:
            logger.error("%s %s failed and was not retried", label, pk)
            return "failed"
        raise task.retry(exc=exc, countdown=RETRY_BACKOFF * 2**request.retries) from exc
    in_worker = not (request.called_directly or request.is_eager)
    if outcome == "busy" and in_worker and request.retries < task.max_retries:
        raise task.retry(countdown=int(STALE_AFTER.total_seconds()) + 30)
    return outcome
