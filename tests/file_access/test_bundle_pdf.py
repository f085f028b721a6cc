"""The bundle's PDF (file_access.pdf, file_access.tasks): the cover letter says what was asked,
what is exempt, why and on which legal basis; the documents follow without the exempted ones
and without a confidential reporter; the worker renders and stores it once with its SHA-256."""

import hashlib
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cases.models import JournalNote, Notification
from demo import factories as f
from file_access import services, tasks
from file_access.models import FileAccessBundle
from file_access.pdf import render_bundle_pdf

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with WeasyPrint's hyphenation undone and lines joined."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return text.replace("\u2010\n", "").replace("\n", " ")


@pytest.fixture
def prepared(case, personas, parent):
    """A request on a case with a confidential reporter, two journal notes (one exempted) and a
    decision made."""
    Notification.objects.filter(case=case).update(
        reporter_confidential=True, reporter_name="Naboen Birte Skjult"
    )
    kept = JournalNote.objects.get(case=case)
    kept.text = "Hjemmebesøg: familien var glad for samarbejdet."
    kept.save()
    secret = f.JournalNoteFactory(case=case, text="Intern drøftelse af sagen i teamet.")
    f.decision_made(case, personas.owner)
    request = services.request_register(
        case=case,
        user=personas.owner,
        requester=parent,
        received_on=timezone.localdate(),
        asked_for="Alle sagens dokumenter.",
    )
    services.exemption_add(
        request=request,
        user=personas.owner,
        document=f"journal_note:{secret.pk}",
        reason="Notatet er et internt arbejdsdokument.",
        legal_basis="Forvaltningsloven § 12",
    )
    return request


def test_the_pdf_lists_the_exemptions_and_leaves_them_out(prepared, case):
    text = pdf_text(render_bundle_pdf(prepared))
    assert "Aktindsigt" in text and case.number in text
    assert "Alle sagens dokumenter." in text
    assert "Det har vi undtaget" in text
    assert "Notatet er et internt arbejdsdokument." in text
    assert "Forvaltningsloven § 12" in text and "Forvaltningsloven § 15 b" in text
    assert "Intern drøftelse" not in text
    assert "Hjemmebesøg: familien var glad for samarbejdet." in text
    assert "Birte Skjult" not in text and "Undtaget fra aktindsigt" in text
    assert "Barnet kommer ofte sultent i skole." in text  # the notification, without its reporter
    assert f.DECISION_REASONS.split(".")[0] in text
    assert case.citizen.cpr not in text.replace("-", "")


def test_the_worker_renders_and_stores_it_once(prepared, personas, queued):
    bundle = services.bundle_prepare(request=prepared, user=personas.owner)
    assert tasks.bundle_render_once(bundle.pk) == "rendered"
    bundle.refresh_from_db()
    assert bundle.status == FileAccessBundle.Status.DONE and bundle.attempts == 1
    content = bundle.file.read()
    assert hashlib.sha256(content).hexdigest() == bundle.sha256
    assert content.startswith(b"%PDF")
    assert tasks.bundle_render_once(bundle.pk) == "already-done"
    bundle.refresh_from_db()
    assert bundle.attempts == 1
    assert tasks.bundle_render_once(10**9) == "missing"


def test_a_failed_render_is_recorded_and_queued_again(prepared, personas, queued, monkeypatch):
    bundle = services.bundle_prepare(request=prepared, user=personas.owner)

    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr("file_access.pdf.render_bundle_pdf", broken)
    with pytest.raises(RuntimeError):
        tasks.bundle_render_once(bundle.pk)
    bundle.refresh_from_db()
    assert bundle.status == FileAccessBundle.Status.FAILED and "RuntimeError" in bundle.error
    assert tasks.stalled_bundles() == [bundle.pk]
    assert tasks.requeue_stalled_bundles() == 1
    assert queued[-1] == bundle.pk
