"""Celery tasks of the file_access app: rendering a request's bundle (``FileAccessBundle``)
exactly once and queueing stuck bundles again, by ``letters.render_once``'s rule (the claim,
the content-addressed file, retries with backoff, the beat's requeue), as the letters are.
"""

import logging

from celery import shared_task

from file_access.models import FileAccessBundle
from letters.render_once import MAX_RETRIES, RenderJob, run_task

logger = logging.getLogger(__name__)


def file_name(bundle_id: int, sha256: str) -> str:
    return f"file_access/aktindsigt-{bundle_id}-{sha256[:16]}.pdf"


def _render_bundle(bundle: FileAccessBundle) -> bytes:
    from file_access.pdf import render_bundle_pdf

    return render_bundle_pdf(bundle.request)


BUNDLE = RenderJob(
    label="file access bundle",
    model=FileAccessBundle,
    render=_render_bundle,
    file_name=file_name,
    related=("request",),
)


def bundle_render_once(bundle_id: int) -> str:
    """Render and store one bundle; safe to call any number of times (``RenderJob.run``:
    "rendered", "already-done", "busy" or "missing")."""
    return BUNDLE.run(bundle_id)


@shared_task(
    name="file_access.tasks.render_file_access_bundle",
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
)
def render_file_access_bundle(self, bundle_id: int) -> str:  # type: ignore[no-untyped-def]
    """Render the bundle ``bundle_id`` to PDF once and store it; retried as the letters are."""
    return run_task(self, bundle_render_once, bundle_id, BUNDLE.label)


def stalled_bundles() -> list[int]:
    return BUNDLE.stalled()


@shared_task(name="file_access.tasks.requeue_stalled_bundles")
def requeue_stalled_bundles() -> int:
    """Queue again every bundle that is stuck (the claim keeps each rendered once)."""
    ids = stalled_bundles()
    for bundle_id in ids:
        render_file_access_bundle.delay(bundle_id)
    if ids:
        logger.info("queued %s stalled file access bundles again", len(ids))
    return len(ids)
