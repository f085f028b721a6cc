"""Celery tasks of the outbox (``core.outbox``): sending one message, and queueing again the
messages that are due (the beat's ``requeue-outbox``, settings.CELERY_BEAT_SCHEDULE).

The state lives in Postgres: a lost task message loses nothing (the requeue job sends it again)
and a repeated one sends nothing twice (the claim)."""

import logging

from celery import shared_task

from core import outbox

logger = logging.getLogger(__name__)

MAX_RETRIES = 5


@shared_task(name="core.tasks.send_outbox_message", bind=True, acks_late=True)
def send_outbox_message(self, message_id: int) -> str:  # type: ignore[no-untyped-def]
    """Send outbox message ``message_id`` once. A failure is recorded on the row (reason, next
    attempt) and retried with exponential backoff; after this task's retries the beat's
    requeue job carries on until ``outbox.MAX_ATTEMPTS``."""
    outcome = outbox.send_once(message_id)
    in_worker = not (self.request.called_directly or self.request.is_eager)
    if outcome == "failed" and in_worker and self.request.retries < MAX_RETRIES:
        attempts = (
            outbox.OutboxMessage.objects.filter(pk=message_id)
            .values_list("attempts", flat=True)
            .first()
        )
        countdown = outbox.backoff(attempts or 1).total_seconds() + 1
        raise self.retry(countdown=countdown, max_retries=MAX_RETRIES)
    return outcome


@shared_task(name="core.tasks.requeue_outbox")
def requeue_outbox() -> int:
    """Queue every message that is due (queued and never sent, failed and due for another
    attempt, or stuck "sending"); returns how many."""
    ids = outbox.due_ids()
    for message_id in ids:
        outbox.enqueue(message_id)
    if ids:
        logger.info("queued %s outbox messages again", len(ids))
    return len(ids)
