"""Celery tasks of the letters app: rendering the closing status letter and the decision letter
(afgørelsesbrev, ``DecisionLetter``) exactly once, and queueing stuck renderings again. A
letter rendered is delivered: its recipients' Digital Post messages (or print-queue rows) are
written with the outbox (``letters.digital_post``, ``core.outbox``).

How a row is rendered exactly once, retried and requeued is ``letters.render_once``'s rule
(one ``RenderJob`` per model); this module names the jobs and the tasks that run them.
"""

import datetime as dt
import logging

from celery import shared_task

from letters import digital_post
from letters.models import DecisionLetter, LetterRendering
from letters.pdf import render_letter_pdf
from letters.render_once import MAX_RETRIES, RenderJob, run_task

logger = logging.getLogger(__name__)


# --- the closing status letter ---------------------------------------------------------------


def file_name(rendering_id: int, sha256: str) -> str:
    return f"letters/statusskrivelse-{rendering_id}-{sha256[:16]}.pdf"


def _render_closing_letter(rendering: LetterRendering) -> bytes:
    return render_letter_pdf(rendering.version)


def _deliver_closing_letter(rendering_id: int) -> None:
    """The rendered letter sent (``letters.services.letter_deliver``, once)."""
    from letters.services import letter_deliver

    rendering = LetterRendering.objects.select_related("version__letter").get(pk=rendering_id)
    letter_deliver(rendering=rendering)


CLOSING_LETTER = RenderJob(
    label="letter rendering",
    model=LetterRendering,
    render=_render_closing_letter,
    file_name=file_name,
    related=("version__letter",),
    deliver=_deliver_closing_letter,
)


def letter_render_once(rendering_id: int) -> str:
    """Render, store and deliver one closing letter; safe to call any number of times
    (``RenderJob.run``: "rendered", "already-done", "busy" or "missing")."""
    return CLOSING_LETTER.run(rendering_id)


@shared_task(
    name="letters.tasks.render_closing_letter",
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
)
def render_closing_letter(self, rendering_id: int) -> str:  # type: ignore[no-untyped-def]
    """Render the closing letter of ``rendering_id`` to PDF once, store it and send the letter
    (``letters.render_once.run_task``: retried with backoff, a busy row looked at again)."""
    return run_task(self, letter_render_once, rendering_id, CLOSING_LETTER.label)


# --- the decision letter (afgørelsesbrev) ----------------------------------------------------


def decision_file_name(letter_id: int, sha256: str) -> str:
    return f"letters/afgoerelse-{letter_id}-{sha256[:16]}.pdf"


def _render_decision_letter(letter: DecisionLetter) -> bytes:
    from letters.decision_pdf import render_decision_pdf

    return render_decision_pdf(letter.decision)


def _deliver_decision_letter(letter_id: int) -> None:
    """The stored decision letter to its recipients' Digital Post (or the print queue), once:
    the deliveries and their outbox messages are written in one transaction."""
    letter = DecisionLetter.objects.select_related("decision__case__citizen").get(pk=letter_id)
    digital_post.deliveries_create(letter)


DECISION_LETTER = RenderJob(
    label="decision letter",
    model=DecisionLetter,
    render=_render_decision_letter,
    file_name=decision_file_name,
    related=("decision",),
    deliver=_deliver_decision_letter,
)


def decision_letter_render_once(letter_id: int) -> str:
    """Render, store and deliver one decision letter, as ``letter_render_once`` does."""
    return DECISION_LETTER.run(letter_id)


@shared_task(
    name="letters.tasks.render_decision_letter",
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
)
def render_decision_letter(self, letter_id: int) -> str:  # type: ignore[no-untyped-def]
    """Render the decision letter ``letter_id`` to PDF once and store it; retried as
    ``render_closing_letter`` is."""
    return run_task(self, decision_letter_render_once, letter_id, DECISION_LETTER.label)


# --- queueing stuck renderings again ---------------------------------------------------------


def stalled_renderings(now: dt.datetime | None = None) -> list[int]:
    return CLOSING_LETTER.stalled(now)


def stalled_decision_letters(now: dt.datetime | None = None) -> list[int]:
    return DECISION_LETTER.stalled(now)


@shared_task(name="letters.tasks.requeue_stalled_renderings")
def requeue_stalled_renderings() -> int:
    """Queue again every rendering (closing letters and decision letters) that is stuck; the
    claim (``RenderJob.run``) keeps a letter rendered once however often it is queued.
    Returns how many were queued."""
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
