"""The outbox: e-mails and Digital Post messages leave the system from here, and only from here.

Writing: ``email_queue`` and ``digital_post_queue`` add an ``OutboxMessage`` in the caller's
transaction (the change that causes the message and the message commit together, or neither
does) and, once that transaction commits, queue the worker's ``core.tasks.send_outbox_message``.

Sending (``send_once``), never inside a transaction that holds row locks:

1. claim: in a short transaction of its own, the row is taken with ``SELECT … FOR UPDATE SKIP
   LOCKED`` and marked "sending" (attempts + 1), and that transaction commits;
2. send: with the backend's timeout (``EMAIL_TIMEOUT``, ``DIGITAL_POST_TIMEOUT``), never with
   ``fail_silently``;
3. record: "sent" with the time, or "failed" with the reason (in Danish, without a CPR number)
   and the next attempt after an exponential backoff. The beat's ``core.tasks.requeue_outbox``
   queues every message that is due again, so mails wait while SMTP is down and go out once it
   is back; after ``MAX_ATTEMPTS`` a message stays "failed" for a person to look at
   (``/udgaaende/``, team leads and administrators).

A message is sent at most once per claim: a second task for the same row finds it sent or
being sent. A worker killed while sending leaves a "sending" row that is claimable again after
``STALE_AFTER`` (so a message can, rarely, go out twice; never zero times).

Apps above core add the senders of other kinds with ``register_sender`` from their
AppConfig.ready() (letters: Digital Post).
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import OutboxMessage
from core.redaction import redact_cpr

logger = logging.getLogger(__name__)

Kind = OutboxMessage.Kind
Status = OutboxMessage.Status

MAX_ATTEMPTS = 12
BACKOFF = 30  # seconds before the 2nd attempt, doubled each time (30 s, 1 min, 2 min, …)
BACKOFF_MAX = 60 * 60
# Sending takes seconds (the timeouts); a "sending" row older than this belongs to a dead worker.
STALE_AFTER = dt.timedelta(minutes=10)
REASON_MAX = 500

Sender = Callable[[OutboxMessage], None]


def send_email(message: OutboxMessage) -> None:
    """One e-mail through settings.EMAIL_BACKEND, with EMAIL_TIMEOUT; errors are raised."""
    connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
    EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        connection=connection,
    ).send(fail_silently=False)


SENDERS: dict[str, Sender] = {Kind.EMAIL: send_email}


def register_sender(kind: str, sender: Sender) -> None:
    """``sender(message)`` sends messages of ``kind``; it raises when sending failed."""
    SENDERS[kind] = sender


# --- writing ---------------------------------------------------------------------------------


def enqueue(message_id: int) -> None:
    """Queue the worker's send task (called once the writing transaction has committed)."""
    from core import tasks

    tasks.send_outbox_message.delay(message_id)


def _on_commit(message_ids: Iterable[int]) -> None:
    ids = list(message_ids)

    # Looked up at commit time, so a test (or a caller) replacing ``enqueue`` is honoured.
    def queue() -> None:
        for pk in ids:
            enqueue(pk)

    transaction.on_commit(queue)


def email_queue(
    *, to: str, subject: str, body: str, body_is_secret: bool = False
) -> OutboxMessage | None:
    """An e-mail to ``to``, written in the current transaction and sent after it commits.
    No address, no message (None). ``body`` is the system's own text: a subject, a case
    number and a link, never free text typed by staff. ``body_is_secret``: the body (a
    single-use link) is emptied once the mail is sent or given up on."""
    to = (to or "").strip()
    if not to:
        return None
    message = OutboxMessage.objects.create(
        kind=Kind.EMAIL,
        recipient=to,
        subject=subject[:200],
        body=body,
        body_is_secret=body_is_secret,
    )
    _on_commit([message.pk])
    return message


def emails_queue(messages: Iterable[tuple[str, str, str]]) -> list[OutboxMessage]:
    """Several e-mails at once, ``(to, subject, body)`` each, written in one statement and not
    queued: the caller sends them itself (``send_many``) after its transaction commits, and
    the beat's requeue job picks up whatever it did not send."""
    rows = [
        OutboxMessage(kind=Kind.EMAIL, recipient=to.strip(), subject=subject[:200], body=body)
        for to, subject, body in messages
        if to and to.strip()
    ]
    return OutboxMessage.objects.bulk_create(rows)


def digital_post_queue(*, reference: str, subject: str) -> OutboxMessage:
    """A Digital Post message for the delivery ``reference`` ("letterdelivery:<id>"): the
    sender builds the message from that row when it sends; no CPR number is stored here."""
    message = OutboxMessage.objects.create(
        kind=Kind.DIGITAL_POST, recipient=reference, subject=subject[:200]
    )
    _on_commit([message.pk])
    return message


# --- sending ---------------------------------------------------------------------------------


def claimable(now: dt.datetime) -> Q:
    return Q(
        status__in=(Status.QUEUED, Status.FAILED),
        attempts__lt=MAX_ATTEMPTS,
        next_attempt_at__lte=now,
    ) | Q(status=Status.SENDING, claimed_at__lt=now - STALE_AFTER)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    return dt.timedelta(seconds=min(BACKOFF * 2 ** max(attempts - 1, 0), BACKOFF_MAX))


def _claim(message_ids: list[int], now: dt.datetime) -> list[OutboxMessage]:
    """Take the messages that are free for this worker, in a transaction of its own that has
    committed when this returns (no row lock is held while sending)."""
    with transaction.atomic():
        messages = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(claimable(now), pk__in=message_ids)
            .order_by("pk")
        )
        if messages:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
                status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
            )
    for message in messages:
        message.status, message.attempts, message.claimed_at = (
            Status.SENDING,
            message.attempts + 1,
            now,
        )
    return messages


def failure_reason(exc: BaseException, attempt: int, retry_at: dt.datetime | None) -> str:
    detail = str(exc).strip().replace("\n", " ")
    with translation.override("da"):
        reason = _("Kunne ikke sendes (forsøg %(attempt)d): %(kind)s") % {
            "attempt": attempt,
            "kind": type(exc).__name__,
        }
        if detail:
            reason += f": {detail[:200]}"
        reason += "."
        if retry_at is not None:
            local = timezone.localtime(retry_at)
            reason += " " + _("Prøves igen %(date)s kl. %(time)s.") % {
                "date": f"{local:%d.%m.%Y}",
                "time": f"{local:%H.%M}",
            }
        else:
            reason += " " + _("Opgivet efter %(count)d forsøg.") % {"count": attempt}
    return redact_cpr(reason)[:REASON_MAX]


def _send_claimed(message: OutboxMessage) -> str:
    """Send a message this worker has claimed and record the outcome: "sent" or "failed"."""
    mine = OutboxMessage.objects.filter(
        pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at
    )
    try:
        SENDERS[message.kind](message)
    except Exception as exc:
        retry_at = (
            timezone.now() + backoff(message.attempts) if message.attempts < MAX_ATTEMPTS else None
        )
        failed = {
            "status": Status.FAILED,
            "reason": failure_reason(exc, message.attempts, retry_at),
            "next_attempt_at": retry_at or timezone.now(),
        }
        if retry_at is None and message.body_is_secret:
            failed["body"] = ""
        mine.update(**failed)
        logger.warning(
            "outbox message %s (%s) failed, attempt %s: %s",
            message.pk,
            message.kind,
            message.attempts,
            type(exc).__name__,
        )
        return "failed"
    sent = {"status": Status.SENT, "sent_at": timezone.now(), "reason": ""}
    if message.body_is_secret:
        sent["body"] = ""
    mine.update(**sent)
    logger.info("outbox message %s (%s) sent", message.pk, message.kind)
    return "sent"


def send_once(message_id: int) -> str:
    """Claim, send and record one message; safe to call any number of times. Returns "sent",
    "failed" (recorded, with the next attempt), "busy" (sent, being sent, or not due) or
    "missing"."""
    claimed = _claim([message_id], timezone.now())
    if not claimed:
        return "busy" if OutboxMessage.objects.filter(pk=message_id).exists() else "missing"
    return _send_claimed(claimed[0])


def send_many(message_ids: Iterable[int]) -> int:
    """Send messages one by one (by a caller that is itself the worker, after its commit):
    claimed together, sent in order, and at the first failure the rest are put back as they
    were, to wait for the requeue job rather than each waiting out the same timeout. Returns
    how many were sent."""
    claimed = _claim(list(message_ids), timezone.now())
    sent = 0
    for index, message in enumerate(claimed):
        if _send_claimed(message) == "failed":
            rest = claimed[index + 1 :]
            if rest:
                OutboxMessage.objects.filter(
                    pk__in=[m.pk for m in rest], status=Status.SENDING
                ).update(status=Status.QUEUED, attempts=F("attempts") - 1, claimed_at=None)
            break
        sent += 1
    return sent


# A message queued less than this ago still has its own task on the way.
REQUEUE_GRACE = dt.timedelta(minutes=1)


def due_ids(now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Messages to queue again: not sent, due for an attempt, and not given up on."""
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(claimable(now))
        .exclude(status=Status.QUEUED, attempts=0, created_at__gt=now - REQUEUE_GRACE)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
