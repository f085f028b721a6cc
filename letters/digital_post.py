"""Letters to the family's Digital Post: one ``LetterDelivery`` per recipient, sent by the worker
through the outbox (``core.outbox``) as a MeMo message with the letter's PDF as its main
document, in the shape of the national send interface (SF1601, KombiPostAfsend).

* Recipients: a closing letter goes to the family members who reviewed it; a decision letter to
  the parents with custody of the child and the young person from 15 (only the young person
  from 18). Digital Post needs a CPR number and is for people from 15: a member without a
  citizen record, a child under 15 and a citizen exempted from Digital Post
  (``DigitalPostExemption``) get the letter on paper, from the print queue
  (``letters:print_queue``).
* The deliveries and their outbox messages are written in the transaction that sends the letter
  (closing letter) or stores its PDF (decision letter); the outbox's worker calls
  ``send_delivery``, which builds the MeMo message (``memo_message``) and hands it to the
  backend of settings.DIGITAL_POST_BACKEND: ``file`` (development and tests: the message as
  ``<uuid>.xml`` and the PDF as ``<uuid>.pdf`` in MEDIA_ROOT/DIGITAL_POST_FILE_DIR) or
  ``serviceplatformen`` (``ServiceplatformenBackend``).
* The CPR number is only inside the MeMo message: the outbox row names the delivery, the logs
  name ids, and a failure's reason is redacted (``core.redaction``).
"""

import base64
import datetime as dt
import logging
import ssl
import urllib.request
import uuid
from pathlib import Path
from typing import Protocol
from xml.etree import ElementTree as ET  # builds our own XML; parses no input

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases.models import Citizen, FamilyMember, FamilyRelation, age_on
from core import outbox
from core.models import OutboxMessage
from core.redaction import redact_cpr
from letters.models import ClosingLetter, DecisionLetter, DigitalPostExemption, LetterDelivery

logger = logging.getLogger(__name__)

MEMO_NAMESPACE = "https://DigitalPost.dk/MeMo-1"
MEMO_VERSION = "1.1"
MEMO_SCHEMA_VERSION = "1.1.0"
DIGITAL_POST_AGE = 15  # Digital Post is for citizens from 15
ADULT_AGE = 18

Status = LetterDelivery.Status
Channel = LetterDelivery.Channel

ET.register_namespace("memo", MEMO_NAMESPACE)


# --- the MeMo message ------------------------------------------------------------------------


def _el(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{MEMO_NAMESPACE}}}{name}")
    if text is not None:
        element.text = text
    return element


def memo_message(
    *,
    message_uuid: uuid.UUID,
    title: str,
    cpr: str,
    pdf: bytes,
    filename: str,
    created: dt.datetime,
) -> bytes:
    """A MeMo 1.1 message (``memo:Message``) to the citizen ``cpr``: the header (type, UUID,
    label, sender by CVR, recipient by CPR) and the body with the PDF as the main document.
    Element names and order as the MeMo schema (MeMo_core.xsd) has them."""
    message = ET.Element(
        f"{{{MEMO_NAMESPACE}}}Message",
        {"memoVersion": MEMO_VERSION, "memoSchVersion": MEMO_SCHEMA_VERSION},
    )
    header = _el(message, "MessageHeader")
    _el(header, "messageType", "DIGITALPOST")
    _el(header, "messageUUID", str(message_uuid))
    _el(header, "label", title[:150])
    _el(header, "mandatory", "false")
    _el(header, "legalNotification", "false")
    sender = _el(header, "Sender")
    _el(sender, "senderID", settings.DIGITAL_POST_SENDER_CVR)
    _el(sender, "idType", "CVR")
    _el(sender, "label", settings.DIGITAL_POST_SENDER_LABEL)
    recipient = _el(header, "Recipient")
    _el(recipient, "recipientID", cpr)
    _el(recipient, "idType", "CPR")
    body = _el(message, "MessageBody")
    _el(body, "createdDateTime", created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    main = _el(body, "MainDocument")
    _el(main, "label", title[:150])
    file = _el(main, "File")
    _el(file, "encodingFormat", "application/pdf")
    _el(file, "filename", filename)
    _el(file, "language", "da")
    _el(file, "content", base64.b64encode(pdf).decode("ascii"))
    return ET.tostring(message, encoding="utf-8", xml_declaration=True)


# --- backends --------------------------------------------------------------------------------


class Backend(Protocol):
    def send(self, *, message_uuid: uuid.UUID, memo: bytes, pdf: bytes) -> None: ...


class FileBackend:
    """Development and tests: ``<uuid>.xml`` (the MeMo message) and ``<uuid>.pdf`` (the main
    document, as sent) in MEDIA_ROOT/DIGITAL_POST_FILE_DIR."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or Path(settings.MEDIA_ROOT) / settings.DIGITAL_POST_FILE_DIR

    def send(self, *, message_uuid: uuid.UUID, memo: bytes, pdf: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / f"{message_uuid}.pdf").write_bytes(pdf)
        # The message last: a reader that finds the .xml finds its PDF too.
        partial = self.directory / f".{message_uuid}.xml.part"
        partial.write_bytes(memo)
        partial.replace(self.directory / f"{message_uuid}.xml")


class ServiceplatformenBackend:
    """SF1601 (KombiPostAfsend) on Serviceplatformen: the MeMo message in a ``kombi_request``,
    POSTed to DIGITAL_POST_URL over TLS with the municipality's client certificate
    (DIGITAL_POST_CERT_FILE, DIGITAL_POST_KEY_FILE) and the DIGITAL_POST_TIMEOUT; any answer
    other than 2xx raises. Not exercised against the real service (its test environment needs
    an agreement and a certificate issued to the municipality); the service's STS token, which
    the production set-up adds in front, is not built here."""

    def __init__(
        self,
        url: str | None = None,
        cert_file: str | None = None,
        key_file: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.url = url if url is not None else settings.DIGITAL_POST_URL
        self.cert_file = cert_file if cert_file is not None else settings.DIGITAL_POST_CERT_FILE
        self.key_file = key_file if key_file is not None else settings.DIGITAL_POST_KEY_FILE
        self.timeout = timeout if timeout is not None else settings.DIGITAL_POST_TIMEOUT
        if not self.url.startswith("https://"):
            raise ValueError("DIGITAL_POST_URL must be an https:// address")

    def request_body(self, memo: bytes) -> bytes:
        declaration = b"<?xml version='1.0' encoding='utf-8'?>"
        inner = memo.removeprefix(declaration).lstrip()
        return (
            b"<?xml version='1.0' encoding='utf-8'?>\n<kombi_request>"
            b"<KombiValgKode>Digital Post</KombiValgKode>" + inner + b"</kombi_request>"
        )

    def context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.cert_file:
            context.load_cert_chain(self.cert_file, self.key_file or None)
        return context

    def send(self, *, message_uuid: uuid.UUID, memo: bytes, pdf: bytes) -> None:
        request = urllib.request.Request(  # noqa: S310  (https only, checked in __init__)
            self.url,
            data=self.request_body(memo),
            method="POST",
            headers={
                "Content-Type": "application/xml",
                "Accept": "application/xml",
                "x-TransaktionsId": str(message_uuid),
                "x-TransaktionsTid": timezone.now().astimezone(dt.UTC).isoformat(),
            },
        )
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=self.timeout, context=self.context()
        ) as response:
            if not 200 <= response.status < 300:
                raise OSError(f"Serviceplatformen answered {response.status}")


def get_backend() -> Backend:
    name = settings.DIGITAL_POST_BACKEND
    if name == "file":
        return FileBackend()
    if name == "serviceplatformen":
        return ServiceplatformenBackend()
    raise ValueError(f"unknown DIGITAL_POST_BACKEND {name!r}")


# --- who gets the letter, and how ------------------------------------------------------------


def _one_per_person(members: list[FamilyMember]) -> list[FamilyMember]:
    """A person in two households has two member rows: one letter each."""
    seen: set[object] = set()
    result = []
    for member in members:
        key = member.citizen_id or f"member:{member.pk}"
        if key not in seen:
            seen.add(key)
            result.append(member)
    return result


def decision_recipients(letter: DecisionLetter) -> list[FamilyMember]:
    """The parents with custody of the case's child and the young person from 15; from 18 the
    young person only."""
    child = letter.decision.case.citizen
    age = age_on(child.birth_date, timezone.localdate())
    child_rows = list(
        FamilyMember.objects.filter(citizen=child).select_related("citizen").order_by("id")
    )
    parents: list[FamilyMember] = []
    if age < ADULT_AGE:
        parents = list(
            FamilyMember.objects.filter(
                relations__child__citizen=child,
                relations__kind=FamilyRelation.Kind.PARENT_CUSTODY,
            )
            .select_related("citizen")
            .distinct()
            .order_by("id")
        )
    young = child_rows[:1] if age >= DIGITAL_POST_AGE else []
    return _one_per_person(parents + young)


def closing_recipients(letter: ClosingLetter) -> list[FamilyMember]:
    """Those who read the letter before it was sent."""
    return _one_per_person(list(letter.reviewers.select_related("citizen").order_by("id")))


def print_reason(member: FamilyMember) -> str:
    """Why ``member`` gets the letter on paper ("" when Digital Post can reach them)."""
    citizen: Citizen | None = member.citizen
    if citizen is None:
        return _("Intet CPR-nummer registreret.")
    if DigitalPostExemption.objects.filter(citizen=citizen).exists():
        return _("Fritaget for Digital Post.")
    if age_on(citizen.birth_date, timezone.localdate()) < DIGITAL_POST_AGE:
        return _("Under 15 år: ingen Digital Post.")
    return ""


def letter_title(letter: ClosingLetter | DecisionLetter) -> str:
    with override(settings.LANGUAGE_CODE):
        if isinstance(letter, DecisionLetter):
            return _("Afgørelse: %(kind)s") % {"kind": letter.decision.get_kind_display()}
        return str(_("Afsluttende statusskrivelse"))


@transaction.atomic
def deliveries_create(letter: ClosingLetter | DecisionLetter) -> list[LetterDelivery]:
    """The letter's deliveries, once per recipient (a second call adds nothing): Digital Post
    ones with their outbox message (sent after this transaction commits), the others in the
    print queue."""
    which: dict[str, ClosingLetter | DecisionLetter]
    if isinstance(letter, DecisionLetter):
        recipients = decision_recipients(letter)
        case_id = letter.decision.case_id
        which = {"decision_letter": letter}
    else:
        recipients = closing_recipients(letter)
        case_id = letter.case_id
        which = {"closing_letter": letter}
    title = letter_title(letter)
    existing = set(LetterDelivery.objects.filter(**which).values_list("member_id", flat=True))
    made = []
    for member in recipients:
        if member.pk in existing:
            continue
        with override(settings.LANGUAGE_CODE):
            reason = print_reason(member)
        delivery = LetterDelivery.objects.create(
            **which,
            case_id=case_id,
            member=member,
            channel=Channel.PRINT if reason else Channel.DIGITAL_POST,
            status=Status.PRINT if reason else Status.QUEUED,
            reason=reason,
        )
        if not reason:
            outbox.digital_post_queue(reference=delivery.reference, subject=title)
        made.append(delivery)
    return made


# --- sending (the outbox's sender for Digital Post) ------------------------------------------


def _pdf_of(delivery: LetterDelivery) -> tuple[bytes, str]:
    if delivery.decision_letter is not None:
        letter = delivery.decision_letter
        name = f"afgoerelse-{delivery.case.number}.pdf"
        with letter.file.open("rb") as stored:
            return stored.read(), name
    closing = delivery.closing_letter
    assert closing is not None and closing.approved_version is not None
    rendering = closing.approved_version.rendering
    with rendering.file.open("rb") as stored:
        return stored.read(), f"statusskrivelse-{delivery.case.number}.pdf"


def _delivery_of(message: OutboxMessage) -> LetterDelivery:
    kind, _sep, pk = message.recipient.partition(":")
    if kind != "letterdelivery" or not pk.isdigit():
        raise ValueError("not a letter delivery")
    return LetterDelivery.objects.select_related(
        "case",
        "member__citizen",
        "decision_letter__decision",
        "closing_letter__approved_version__rendering",
    ).get(pk=int(pk))


def send_delivery(message: OutboxMessage) -> None:
    """Send the delivery the outbox ``message`` names; record the outcome on the delivery and
    raise on failure (the outbox records it too, and retries)."""
    delivery = _delivery_of(message)
    if delivery.status == Status.SENT:
        return
    attempt = Q(pk=delivery.pk) & ~Q(status=Status.SENT)
    LetterDelivery.objects.filter(attempt).update(
        status=Status.RETRIED if delivery.attempts else Status.QUEUED,
        attempts=delivery.attempts + 1,
    )
    try:
        citizen = delivery.member.citizen
        if citizen is None:
            raise ValueError("the recipient has no CPR number")
        pdf, filename = _pdf_of(delivery)
        memo = memo_message(
            message_uuid=delivery.message_uuid,
            title=message.subject,
            cpr=citizen.cpr,
            pdf=pdf,
            filename=filename,
            created=timezone.now(),
        )
        get_backend().send(message_uuid=delivery.message_uuid, memo=memo, pdf=pdf)
    except Exception as exc:
        detail = str(exc).strip().replace("\n", " ")[:200]
        error = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        with override("da"):
            reason = redact_cpr(_("Kunne ikke sendes: %(error)s") % {"error": error})
        LetterDelivery.objects.filter(attempt).update(status=Status.FAILED, reason=reason)
        logger.warning(
            "digital post delivery %s failed (attempt %s): %s",
            delivery.pk,
            delivery.attempts + 1,
            type(exc).__name__,
        )
        raise
    LetterDelivery.objects.filter(attempt).update(
        status=Status.SENT, sent_at=timezone.now(), reason=""
    )
    logger.info("digital post delivery %s sent (%s)", delivery.pk, settings.DIGITAL_POST_BACKEND)


# --- the print queue -------------------------------------------------------------------------


def delivery_mark_printed(*, delivery: LetterDelivery, user: object) -> bool:
    """Mark a delivery of the print queue printed (once: a double click keeps the first)."""
    return bool(
        LetterDelivery.objects.filter(pk=delivery.pk, status=Status.PRINT).update(
            status=Status.PRINTED, printed_at=timezone.now(), printed_by=user
        )
    )
