"""The outbox (issue 15, item 5): a message is written in the transaction of the change that
causes it (rolled back: no message), sent by the worker after the commit with a timeout and
retries, never inside a transaction and never with fail_silently; with SMTP unreachable it
waits, failed with the reason, and goes out once SMTP answers; no text typed by staff goes
into an e-mail."""

import datetime as dt
import re
import socket
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from cases import invitations
from cases.models import FamilyMember
from core import outbox
from core import tasks as outbox_tasks
from core.models import OutboxMessage
from demo import factories as f
from letters import services as letters

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "accounts", "access", "cases", "plans", "network", "followups", "letters"]
APPS += ["portal", "demo", "familievaerft"]
Status = OutboxMessage.Status


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _smtp_down(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2


# --- written with the change, or not at all ----------------------------------------------------


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_message(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.email_queue(to="a@example.org", subject="Emne", body="Tekst")
        raise RuntimeError("the change fails")
    assert not OutboxMessage.objects.exists()
    assert callbacks == [] and mail.outbox == []


@pytest.mark.django_db
def test_a_committed_change_sends_its_message_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox.email_queue(to="a@example.org", subject="Emne", body="Tekst")
    assert message is not None
    assert mail.outbox == [] and len(callbacks) == 1  # nothing sent before the commit
    callbacks[0]()
    message.refresh_from_db()
    assert message.status == Status.SENT and message.sent_at is not None
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


@pytest.mark.django_db
def test_a_refused_invitation_writes_no_mail(case, personas, django_capture_on_commit_callbacks):
    member = FamilyMember.objects.get(user=personas.family_user)
    member.user = None
    member.save(update_fields=["user"])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        invitations.invitation_create(
            case=case, member=member, user=personas.owner, email="ikke-en-adresse"
        )
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_the_invitation_link_leaves_the_outbox_once_sent(case, personas):
    member = FamilyMember.objects.get(user=personas.family_user)
    member.user = None
    member.save(update_fields=["user"])
    _invitation, token = f.invitation_with_token(
        case=case, member=member, user=personas.owner, email="ny@example.org"
    )
    message = OutboxMessage.objects.get()
    assert message.status == Status.SENT and message.body == ""
    assert not OutboxMessage.objects.filter(body__contains=token).exists()


# --- sending -----------------------------------------------------------------------------------


# serialized_rollback: as every transactional test here, so the flush after it keeps the
# content types a later serialized test reloads.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sending_happens_outside_any_transaction():
    seen: list[bool] = []
    saved = dict(outbox.SENDERS)
    outbox.register_sender(
        OutboxMessage.Kind.EMAIL, lambda message: seen.append(connection.in_atomic_block)
    )
    try:
        message = OutboxMessage.objects.create(kind="email", recipient="a@example.org", subject="S")
        assert outbox.send_once(message.pk) == "sent"
    finally:
        outbox.SENDERS.clear()
        outbox.SENDERS.update(saved)
    assert seen == [False]
    assert outbox.send_once(message.pk) == "busy"  # sent once, never again


@pytest.mark.django_db
def test_smtp_unreachable_then_back(settings):
    _smtp_down(settings)
    message = outbox.email_queue(to="a@example.org", subject="Emne", body="Tekst")
    assert message is not None
    assert outbox.send_once(message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 1
    assert "ConnectionRefusedError" in message.reason
    assert message.next_attempt_at > timezone.now()
    assert outbox.due_ids() == []  # waits out the backoff

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + outbox.backoff(1) + dt.timedelta(seconds=1)):
        assert outbox_tasks.requeue_outbox() == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


@pytest.mark.django_db
def test_the_backoff_doubles_and_a_message_is_given_up_after_the_last_attempt(settings):
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert outbox.backoff(30).total_seconds() == outbox.BACKOFF_MAX
    _smtp_down(settings)
    message = OutboxMessage.objects.create(
        kind="email",
        recipient="a@example.org",
        subject="S",
        body="hemmeligt link",
        body_is_secret=True,
        attempts=outbox.MAX_ATTEMPTS - 1,
    )
    assert outbox.send_once(message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == outbox.MAX_ATTEMPTS
    assert "Opgivet" in message.reason and message.body == ""
    assert message.pk not in outbox.due_ids(timezone.now() + dt.timedelta(days=1))


@pytest.mark.django_db
def test_a_dead_workers_claim_is_taken_again():
    message = OutboxMessage.objects.create(
        kind="email",
        recipient="a@example.org",
        subject="S",
        status=Status.SENDING,
        attempts=1,
        claimed_at=timezone.now() - outbox.STALE_AFTER - dt.timedelta(minutes=1),
    )
    assert outbox.due_ids() == [message.pk]
    assert outbox.send_once(message.pk) == "sent"


def test_the_requeue_job_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-outbox"]
    assert entry["task"] == outbox_tasks.requeue_outbox.name
    assert entry["options"]["expires"] <= entry["schedule"]


def test_email_timeout_is_a_setting(settings):
    assert isinstance(settings.EMAIL_TIMEOUT, int) and 0 < settings.EMAIL_TIMEOUT <= 60


# --- nothing leaves any other way --------------------------------------------------------------


def _app_sources() -> list[Path]:
    return [p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def test_no_fail_silently_anywhere():
    offenders = [
        str(p.relative_to(ROOT))
        for p in _app_sources()
        if re.search(r"fail_silently\s*=\s*True", p.read_text())
    ]
    assert offenders == []


def test_mail_is_sent_by_the_outbox_only():
    sending = re.compile(
        r"(?<!def )\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|"
        r"EmailMultiAlternatives)\("
    )
    offenders = {str(p.relative_to(ROOT)) for p in _app_sources() if sending.search(p.read_text())}
    # The password reset mail (issue 15, item 6) is sent at once by its own view, which logs
    # a failure; every other mail goes through the outbox.
    assert offenders <= {"core/outbox.py", "accounts/views/password_reset.py"}
    assert "core/outbox.py" in offenders


@pytest.mark.django_db
def test_no_text_typed_by_staff_goes_into_a_mail(
    measure, personas, monkeypatch, django_capture_on_commit_callbacks
):
    reason = "Mor har ikke svaret, og far er syg – fortroligt."
    f.fake_rendering_task(monkeypatch)
    personas.family_user.email = "mor@example.org"
    personas.family_user.save(update_fields=["email"])
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    rendering = letters.letter_send_without_approval(
        letter=letter, user=personas.therapist, reason=reason
    )
    f.rendering_done(rendering)
    with django_capture_on_commit_callbacks(execute=True):
        letters.letter_deliver(rendering=rendering)
    bodies = [m.body for m in mail.outbox]
    assert bodies and all(reason not in body for body in bodies)
    assert not OutboxMessage.objects.filter(body__contains="fortroligt").exists()
    assert any("begrundelse står i familieportalen" in body for body in bodies)


@pytest.fixture
def measure(case):
    return case.measures.get()
