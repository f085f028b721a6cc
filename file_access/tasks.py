"""Celery tasks of the file_access app: rendering a request's bundle (``FileAccessBundle``)
exactly once, by the closing letters' claim (``letters.tasks``), and queueing stuck bundles
again.

The task takes an id and is idempotent: the row moves queued/failed → rendering with a
conditional update and only the worker whose update matched renders; the PDF is stored under a
name made of the row's id and the content's hash, and the row becomes done (with the file and
its SHA-256) in one more conditional update only the claim's holder can make. A worker killed
mid-render leaves a "rendering" row that is claimable again after ``STALE_AFTER``; a failure is
recorded (in Danish, without personal data) and retried with exponential backoff.
"""

import datetime as dt
import hashlib
import logging

from celery import shared_task
from django.core.files.storage import default_storage
from django.db.models import F, Q
from django.utils import timezone

from file_access.models import FileAccessBundle
from letters.tasks import (
    MAX_RETRIES,
    REQUEUE_AFTER,
    REQUEUE_MAX_ATTEMPTS,
    RETRY_BACKOFF,
    STALE_AFTER,
    _failure_reason,
    _store,
)

logger = logging.getLogger(__name__)

Status = FileAccessBundle.Status


def file_name(bundle_id: int, sha256: str) -> str:
    return f"file_access/aktindsigt-{bundle_id}-{sha256[:16]}.pdf"


def _claim(bundle_id: int) -> dt.datetime | None:
    now = timezone.now()
    claimable = (
        Q(status__in=(Status.QUEUED, Status.FAILED))
        | Q(status=Status.RENDERING, started_at__lt=now - STALE_AFTER)
        | Q(status=Status.RENDERING, started_at=None)
    )
    taken = FileAccessBundle.objects.filter(claimable, pk=bundle_id).update(
        status=Status.RENDERING, attempts=F("attempts") + 1, started_at=now, error=""
    )
    return now if taken else None


def bundle_render_once(bundle_id: int) -> str:
    """Render and store one bundle; safe to call any number of times. Returns "rendered",
    "already-done", "busy" or "missing"; raises when rendering failed (the row is then
    "failed" with the reason)."""
    from file_access.pdf import render_bundle_pdf

    claim = _claim(bundle_id)
    if claim is None:
        status = FileAccessBundle.objects.filter(pk=bundle_id).values_list("status", flat=True)
        if not status:
            return "missing"
        return "already-done" if status[0] == Status.DONE else "busy"
    bundle = FileAccessBundle.objects.select_related("request").get(pk=bundle_id)
    mine = FileAccessBundle.objects.filter(pk=bundle_id, status=Status.RENDERING, started_at=claim)
    stored = ""
    try:
        pdf = render_bundle_pdf(bundle.request)
        sha256 = hashlib.sha256(pdf).hexdigest()
        stored = _store(file_name(bundle_id, sha256), pdf)
        finished = mine.update(
            status=Status.DONE, file=stored, sha256=sha256, rendered_at=timezone.now(), error=""
        )
    except Exception as exc:
        mine.update(status=Status.FAILED, error=_failure_reason(exc, bundle.attempts))
        logger.warning(
            "file access bundle %s failed (attempt %s): %s",
            bundle_id,
            bundle.attempts,
            type(exc).__name__,
        )
        raise
    if not finished:
        current = FileAccessBundle.objects.filter(pk=bundle_id).values_list("file", flat=True)
        if stored and stored not in current:
            default_storage.delete(stored)
        return "busy"
    logger.info("file access bundle %s stored (%s bytes)", bundle_id, len(pdf))
    return "rendered"


@shared_task(
    name="file_access.tasks.render_file_access_bundle",
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
)
def render_file_access_bundle(self, bundle_id: int) -> str:  # type: ignore[no-untyped-def]
    """Render the bundle ``bundle_id`` to PDF once and store it; retried as the letters are."""
    try:
        outcome = bundle_render_once(bundle_id)
    except Exception as exc:
        if self.request.called_directly:
            raise
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.error("file access bundle %s failed and was not retried", bundle_id)
            return "failed"
        raise self.retry(exc=exc, countdown=RETRY_BACKOFF * 2**self.request.retries) from exc
    in_worker = not (self.request.called_directly or self.request.is_eager)
    if outcome == "busy" and in_worker and self.request.retries < self.max_retries:
        raise self.retry(countdown=int(STALE_AFTER.total_seconds()) + 30)
    return outcome


def stalled_bundles(now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    stalled = (
        Q(status=Status.QUEUED, queued_at__lt=now - REQUEUE_AFTER)
        | Q(status=Status.FAILED, attempts__lt=REQUEUE_MAX_ATTEMPTS)
        | Q(status=Status.RENDERING, started_at__lt=now - STALE_AFTER)
    )
    return list(FileAccessBundle.objects.filter(stalled).values_list("pk", flat=True))


@shared_task(name="file_access.tasks.requeue_stalled_bundles")
def requeue_stalled_bundles() -> int:
    """Queue again every bundle that is stuck (the claim keeps each rendered once)."""
    ids = stalled_bundles()
    for bundle_id in ids:
        render_file_access_bundle.delay(bundle_id)
    if ids:
        logger.info("queued %s stalled file access bundles again", len(ids))
    return len(ids)
