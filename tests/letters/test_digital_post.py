"""Digital Post (issue 15, item 4): a decision letter or a closing letter goes to each
recipient's Digital Post through the outbox as a MeMo message with the PDF as its main
document (the file backend here), with the delivery status per recipient on the letter's page;
recipients who cannot get Digital Post go to the print queue; a failure is recorded with its
reason and retried; the CPR number is only inside the MeMo message, never in a log."""

import base64
import datetime as dt
import hashlib
import logging
import socket
import uuid
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from cases.models import Citizen, Decision, FamilyMember
from core import tasks as outbox_tasks
from core.models import OutboxMessage
from demo import factories as f
from letters import digital_post
from letters import services as letters
from letters.models import DecisionLetter, DigitalPostExemption, LetterDelivery

pytestmark = pytest.mark.django_db

NS = {"memo": "https://DigitalPost.dk/MeMo-1"}
PDF = b"%PDF-1.7\n% afgoerelse til test\n%%EOF\n"
Status = LetterDelivery.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DIGITAL_POST_BACKEND = "file"
    settings.DIGITAL_POST_FILE_DIR = "digital-post"


@pytest.fixture
def post_dir(tmp_path) -> Path:
    return tmp_path / "digital-post"


def adult(first_name: str = "Mette") -> Citizen:
    born = dt.date(1985, 3, 14)
    return f.CitizenFactory(first_name=first_name, birth_date=born, cpr=f.fictitious_cpr(born))


@pytest.fixture
def parent(case, personas) -> FamilyMember:
    """The child's parent with custody (conftest's ``case``), with a citizen record (a CPR)."""
    member = FamilyMember.objects.get(user=personas.family_user)
    member.citizen = adult()
    member.save(update_fields=["citizen"])
    return member


def decision_letter(case, personas) -> DecisionLetter:
    decision = Decision.objects.create(
        case=case,
        kind=Decision.Kind.MEASURE_ORDER,
        status=Decision.Status.DECIDED,
        created_by=personas.owner,
        decided_by=personas.owner,
        decided_at=timezone.now(),
    )
    letter = DecisionLetter(decision=decision, status=DecisionLetter.Status.DONE)
    letter.file.save("afgoerelse-test.pdf", ContentFile(PDF), save=False)
    letter.sha256 = hashlib.sha256(PDF).hexdigest()
    letter.rendered_at = timezone.now()
    letter.save()
    return letter


def deliver(letter, django_capture_on_commit_callbacks) -> list[LetterDelivery]:
    with django_capture_on_commit_callbacks(execute=True):
        digital_post.deliveries_create(letter)
    return list(LetterDelivery.objects.order_by("pk"))


def _text(root: ET.Element, path: str) -> str:
    element = root.find(path, NS)
    assert element is not None, path
    return element.text or ""


# --- the MeMo message through the file backend ------------------------------------------------


def test_the_file_backend_writes_a_memo_message_with_the_pdf_as_main_document(
    case, personas, parent, post_dir, django_capture_on_commit_callbacks
):
    letter = decision_letter(case, personas)
    (delivery,) = deliver(letter, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert (delivery.channel, delivery.status) == (
        LetterDelivery.Channel.DIGITAL_POST,
        Status.SENT,
    )
    assert delivery.member == parent and delivery.sent_at is not None
    xml = (post_dir / f"{delivery.message_uuid}.xml").read_bytes()
    root = ET.fromstring(xml)  # noqa: S314  (our own file, written by the test)
    assert root.tag == "{https://DigitalPost.dk/MeMo-1}Message"
    assert root.get("memoVersion") == "1.1"
    # The header, in the schema's element names.
    header = "memo:MessageHeader/"
    assert _text(root, header + "memo:messageType") == "DIGITALPOST"
    assert uuid.UUID(_text(root, header + "memo:messageUUID")) == delivery.message_uuid
    assert _text(root, header + "memo:label") == "Afgørelse: Iværksættelse af indsats"
    assert _text(root, header + "memo:Sender/memo:idType") == "CVR"
    assert _text(root, header + "memo:Recipient/memo:recipientID") == parent.citizen.cpr
    assert _text(root, header + "memo:Recipient/memo:idType") == "CPR"
    # The body: the PDF as the main document.
    file = "memo:MessageBody/memo:MainDocument/memo:File/"
    assert _text(root, file + "memo:encodingFormat") == "application/pdf"
    assert _text(root, file + "memo:filename") == f"afgoerelse-{case.number}.pdf"
    assert _text(root, file + "memo:language") == "da"
    content = base64.b64decode(_text(root, file + "memo:content"))
    assert hashlib.sha256(content).hexdigest() == letter.sha256
    assert (post_dir / f"{delivery.message_uuid}.pdf").read_bytes() == PDF
    # The CPR number is in the message body only: not in the outbox, not in the delivery row.
    message = OutboxMessage.objects.get()
    assert message.kind == OutboxMessage.Kind.DIGITAL_POST
    assert message.status == OutboxMessage.Status.SENT
    assert message.recipient == f"letterdelivery:{delivery.pk}"
    assert parent.citizen.cpr not in f"{message.recipient} {message.subject} {message.body}"


def test_the_header_has_the_fields_the_memo_specification_names_in_its_order():
    xml = digital_post.memo_message(
        message_uuid=uuid.uuid4(),
        title="Afsluttende statusskrivelse",
        cpr="0101901234",
        pdf=PDF,
        filename="brev.pdf",
        created=timezone.now(),
    )
    root = ET.fromstring(xml)  # noqa: S314
    header = root.find("memo:MessageHeader", NS)
    assert header is not None
    names = [child.tag.split("}")[1] for child in header]
    assert names == [
        "messageType",
        "messageUUID",
        "label",
        "mandatory",
        "legalNotification",
        "Sender",
        "Recipient",
    ]
    main = root.find("memo:MessageBody/memo:MainDocument", NS)
    assert main is not None
    file = main.find("memo:File", NS)
    assert file is not None
    assert [c.tag.split("}")[1] for c in file] == [
        "encodingFormat",
        "filename",
        "language",
        "content",
    ]


def test_the_cpr_number_is_never_logged(
    case, personas, parent, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    letter = decision_letter(case, personas)
    deliver(letter, django_capture_on_commit_callbacks)
    assert "digital post delivery" in caplog.text and "sent" in caplog.text
    assert parent.citizen.cpr not in caplog.text
    assert case.citizen.cpr not in caplog.text


# --- who gets it, and how ----------------------------------------------------------------------


def test_an_exempted_recipient_goes_to_the_print_queue(
    case, personas, parent, post_dir, login, django_capture_on_commit_callbacks
):
    DigitalPostExemption.objects.create(citizen=parent.citizen)
    letter = decision_letter(case, personas)
    (delivery,) = deliver(letter, django_capture_on_commit_callbacks)
    assert (delivery.channel, delivery.status) == (LetterDelivery.Channel.PRINT, Status.PRINT)
    assert delivery.reason == "Fritaget for Digital Post."
    assert not OutboxMessage.objects.exists()
    assert not post_dir.exists()

    client = login(personas.owner)
    page = client.get(reverse("post:print_queue")).content.decode()
    assert f'id="delivery-{delivery.pk}"' in page and "Fritaget for Digital Post." in page
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.owner, target=reverse("post:print_queue")
    ).exists()
    response = client.post(reverse("post:print_mark", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Status.PRINTED and delivery.printed_by == personas.owner
    assert (
        f'id="delivery-{delivery.pk}"'
        not in client.get(reverse("post:print_queue")).content.decode()
    )


def test_no_cpr_or_under_15_goes_to_print_and_the_young_person_from_15_gets_it(
    case, personas, django_capture_on_commit_callbacks
):
    # The parent has no citizen record; the child is under 15 (the factory's children are).
    letter = decision_letter(case, personas)
    deliveries = deliver(letter, django_capture_on_commit_callbacks)
    assert [(d.status, d.reason) for d in deliveries] == [
        (Status.PRINT, "Intet CPR-nummer registreret.")
    ]
    child = case.citizen
    child.birth_date = timezone.localdate().replace(year=timezone.localdate().year - 16)
    child.save(update_fields=["birth_date"])
    letter2 = decision_letter(case, personas)
    deliver(letter2, django_capture_on_commit_callbacks)
    rows = LetterDelivery.objects.filter(decision_letter=letter2)
    assert {(d.member.citizen_id, d.status) for d in rows} == {
        (None, Status.PRINT),
        (child.pk, Status.SENT),
    }


def test_deliveries_are_made_once(case, personas, parent, django_capture_on_commit_callbacks):
    letter = decision_letter(case, personas)
    deliver(letter, django_capture_on_commit_callbacks)
    deliver(letter, django_capture_on_commit_callbacks)
    assert LetterDelivery.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_a_closing_letter_sent_goes_to_its_readers_digital_post(
    case,
    measure_of_case,
    personas,
    parent,
    post_dir,
    monkeypatch,
    login,
    django_capture_on_commit_callbacks,
):
    f.fake_rendering_task(monkeypatch)
    letter = f.letter_in_review(measure_of_case, personas.therapist, personas.family_user)
    rendering = f.rendering_done(
        letters.letter_approve(letter=letter, user=personas.family_user), content=PDF
    )
    with django_capture_on_commit_callbacks(execute=True):
        letters.letter_deliver(rendering=rendering)
    delivery = LetterDelivery.objects.get(closing_letter=letter)
    assert delivery.member == parent and delivery.status == Status.SENT
    root = ET.fromstring((post_dir / f"{delivery.message_uuid}.xml").read_bytes())  # noqa: S314
    assert _text(root, "memo:MessageHeader/memo:label") == "Afsluttende statusskrivelse"
    content = _text(root, "memo:MessageBody/memo:MainDocument/memo:File/memo:content")
    assert base64.b64decode(content) == PDF
    page = login(personas.owner).get(
        reverse("letters:closing_letter_detail", args=[case.pk, letter.pk])
    )
    local = timezone.localtime(delivery.sent_at)
    assert f"Sendt {local:%d.%m.%Y} kl. {local:%H.%M}" in page.content.decode()


@pytest.fixture
def measure_of_case(case):
    return case.measures.get()


# --- failure, retry, and the letter's page -------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_failure_is_recorded_with_its_reason_then_retried(
    case, personas, parent, settings, post_dir, login, django_capture_on_commit_callbacks
):
    settings.DIGITAL_POST_BACKEND = "serviceplatformen"
    settings.DIGITAL_POST_URL = f"https://127.0.0.1:{_closed_port()}/kombi"
    settings.DIGITAL_POST_TIMEOUT = 2
    letter = decision_letter(case, personas)
    (delivery,) = deliver(letter, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED and delivery.attempts == 1
    assert "URLError" in delivery.reason or "ConnectionRefused" in delivery.reason
    assert parent.citizen.cpr not in delivery.reason
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.FAILED and message.attempts == 1
    assert message.reason.startswith("Kunne ikke sendes (forsøg 1)")

    page = login(personas.owner).get(
        reverse("cases:decision_detail", args=[case.pk, letter.decision_id])
    )
    assert "Fejlet: " in page.content.decode()

    # The service answers again: the requeue job sends it once it is due.
    settings.DIGITAL_POST_BACKEND = "file"
    assert outbox_tasks.requeue_outbox() == 0  # not due yet (backoff)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        assert outbox_tasks.requeue_outbox() == 1
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT and delivery.attempts == 2 and delivery.reason == ""
    assert (post_dir / f"{delivery.message_uuid}.xml").exists()


def test_the_letter_page_shows_sent_with_the_time_and_to_print(
    case, personas, parent, login, django_capture_on_commit_callbacks
):
    letter = decision_letter(case, personas)
    sent_at = dt.datetime(2026, 12, 7, 10, 14, tzinfo=dt.UTC).astimezone(
        timezone.get_current_timezone()
    )
    with time_machine.travel(sent_at, tick=False):
        deliver(letter, django_capture_on_commit_callbacks)
    other = FamilyMember.objects.create(
        family=parent.family, first_name="Anden", last_name="Voksen"
    )
    LetterDelivery.objects.create(
        decision_letter=letter,
        case=case,
        member=other,
        channel=LetterDelivery.Channel.PRINT,
        status=Status.PRINT,
        reason="Intet CPR-nummer registreret.",
    )
    page = (
        login(personas.owner)
        .get(reverse("cases:decision_detail", args=[case.pk, letter.decision_id]))
        .content.decode()
    )
    local = timezone.localtime(sent_at)
    assert f"Sendt {local:%d.%m.%Y} kl. {local:%H.%M}" in page
    assert "Til print" in page


# --- the serviceplatformen client (not run against the real service) ---------------------------


def test_the_serviceplatformen_client_wraps_the_message_and_needs_https():
    with pytest.raises(ValueError):
        digital_post.ServiceplatformenBackend(url="http://example.invalid/kombi")
    client = digital_post.ServiceplatformenBackend(
        url="https://example.invalid/kombi", cert_file="", key_file="", timeout=3
    )
    memo = digital_post.memo_message(
        message_uuid=uuid.uuid4(),
        title="T",
        cpr="0101901234",
        pdf=PDF,
        filename="b.pdf",
        created=timezone.now(),
    )
    body = client.request_body(memo)
    root = ET.fromstring(body)  # noqa: S314
    assert root.tag == "kombi_request"
    assert root.find("KombiValgKode").text == "Digital Post"  # type: ignore[union-attr]
    assert root.find("memo:Message", NS) is not None
    assert client.timeout == 3


# --- the pages' access ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "queue", "outbox"),
    [
        ("owner", 200, 404),
        ("team_lead", 200, 200),
        ("colleague", 200, 404),
        ("therapist", 404, 404),
        ("family_user", 404, 404),
    ],
)
def test_who_sees_the_print_queue_and_the_outbox(case, personas, login, who, queue, outbox):
    client = login(getattr(personas, who))
    assert client.get(reverse("post:print_queue")).status_code == queue
    assert client.get(reverse("post:outbox_list")).status_code == outbox
    # The header's menu links to exactly the pages the user may open.
    page = client.get(reverse("followups:deadline_list" if who != "family_user" else "home"))
    header = page.content.decode().split("</header>")[0]
    assert (f'href="{reverse("post:print_queue")}"' in header) is (queue == 200)
    assert (f'href="{reverse("post:outbox_list")}"' in header) is (outbox == 200)


def test_another_caseworker_neither_sees_nor_marks_the_delivery(
    case, personas, login, django_capture_on_commit_callbacks
):
    letter = decision_letter(case, personas)
    (delivery,) = deliver(letter, django_capture_on_commit_callbacks)
    client = login(personas.colleague)
    assert (
        f'id="delivery-{delivery.pk}"'
        not in client.get(reverse("post:print_queue")).content.decode()
    )
    assert client.post(reverse("post:print_mark", args=[delivery.pk])).status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == Status.PRINT
    assert AccessLogEntry.objects.filter(
        user=personas.colleague, target=reverse("post:print_mark", args=[delivery.pk])
    ).exists()


def test_the_outbox_page_shows_the_status_and_the_reason_never_a_cpr(
    case, personas, parent, settings, login, django_capture_on_commit_callbacks
):
    settings.DIGITAL_POST_BACKEND = "serviceplatformen"
    settings.DIGITAL_POST_URL = f"https://127.0.0.1:{_closed_port()}/kombi"
    settings.DIGITAL_POST_TIMEOUT = 2
    deliver(decision_letter(case, personas), django_capture_on_commit_callbacks)
    OutboxMessage.objects.create(
        kind="email",
        recipient="sendt@example.org",
        subject="Sendt mail",
        status="sent",
        sent_at=timezone.now(),
    )
    client = login(personas.team_lead)
    page = client.get(reverse("post:outbox_list")).content.decode()
    assert "Fejlet: Kunne ikke sendes (forsøg 1)" in page and "sendt@example.org" in page
    assert parent.citizen.cpr not in page
    failed_only = client.get(reverse("post:outbox_list"), {"status": "failed"}).content.decode()
    assert "Fejlet: " in failed_only and "sendt@example.org" not in failed_only
    # An unknown status is no filter, not an error.
    assert client.get(reverse("post:outbox_list"), {"status": "x"}).status_code == 200


def test_the_worker_delivers_a_decision_letter_once_it_is_stored(
    case, personas, parent, monkeypatch, post_dir, django_capture_on_commit_callbacks
):
    """The rendering task stores the PDF and writes the deliveries; run again, it adds none."""
    from letters import decision_pdf, tasks

    monkeypatch.setattr(decision_pdf, "render_decision_pdf", lambda decision: PDF)
    letter = decision_letter(case, personas)
    DecisionLetter.objects.filter(pk=letter.pk).update(status="queued", file="", sha256="")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.decision_letter_render_once(letter.pk) == "rendered"
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.decision_letter_render_once(letter.pk) == "already-done"
    (delivery,) = LetterDelivery.objects.all()
    assert delivery.status == Status.SENT and OutboxMessage.objects.count() == 1
    assert (post_dir / f"{delivery.message_uuid}.pdf").read_bytes() == PDF
