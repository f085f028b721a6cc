"""The decision letter (afgørelsesbrev, issue 17 item 3): a decision made (``cases.decisions``)
sends ``cases.signals.decision_made``; letters creates the letter and queues its rendering
once, on commit; the task renders the PDF with WeasyPrint, exactly once, with its SHA-256; the
PDF says what was decided, why, on which legal basis, and how to complain by when. Staff read
it from the decision's page (the decision page's access), the family in its portal (those who
may see the case)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from access.models import AccessLogEntry
from accounts.models import Role
from cases.models import Decision, FamilyMember, FamilyRelation, LegalBasis
from demo import factories as f
from letters import render_once, tasks
from letters.decision_pdf import render_decision_html
from letters.models import DecisionLetter

pytestmark = pytest.mark.django_db

REASONS = "Kommunen vurderer, at familiebehandling kan hjælpe Noah med at falde til ro i skolen."


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squash(text: str) -> str:
    """Text extracted from a PDF breaks lines (and hyphenates) where the layout did."""
    return "".join(text.replace("-\n", "").split())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def queued(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(tasks.render_decision_letter, "delay", calls.append)
    return calls


@pytest.fixture
def made(case, personas, org, queued, django_capture_on_commit_callbacks):
    """A § 32, stk. 1, nr. 5 measure ordered on ``case`` (acting first, consents recorded)."""
    org.authority.municipality = "Fjordby Kommune"
    org.authority.save()
    personas.owner.first_name, personas.owner.last_name = "Sara", "Sagsbehandler"
    personas.owner.phone = "44 55 66 77"
    personas.owner.email = "sara@fjordby.invalid"
    personas.owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        decision = f.decision_made(
            case,
            personas.owner,
            kind=Decision.Kind.MEASURE_ORDER,
            legal_basis=LegalBasis.objects.get(code="bl-32-1-5"),
            reasons=REASONS,
            consents="Mor, mundtligt på mødet.",
            acting_first_ground="Barnets Lov § 32: akut behov.",
        )
    return decision


def test_a_decision_made_queues_its_letter_once_on_commit(made, queued):
    letter = DecisionLetter.objects.get(decision=made)
    assert letter.status == DecisionLetter.Status.QUEUED
    assert queued == [letter.pk]
    assert made.letter_ready is False


def test_a_draft_has_no_letter(case, personas, queued):
    decision = Decision.objects.create(
        case=case, kind=Decision.Kind.PLAN, created_by=personas.owner
    )
    assert not DecisionLetter.objects.filter(decision=decision).exists()


def test_the_task_renders_the_letter_once_with_its_sha256(made):
    letter = DecisionLetter.objects.get(decision=made)
    assert tasks.render_decision_letter.apply(args=[letter.pk]).get() == "rendered"
    letter.refresh_from_db()
    assert letter.status == DecisionLetter.Status.DONE
    pdf = letter.file.read()
    assert pdf.startswith(b"%PDF")
    import hashlib

    assert letter.sha256 == hashlib.sha256(pdf).hexdigest()
    text = squash(pdf_text(pdf))
    decided_on = timezone.localdate(made.decided_at)
    deadline = decided_on + dt.timedelta(weeks=4)
    for expected in (
        "Afgørelse",
        "Familiebehandling",  # what was decided (the legal basis's title)
        "Barnets Lov § 32, stk. 1, nr. 5",
        REASONS,
        "Barnet vil gerne have hjælp til lektierne.",  # the child's view
        "Klagevejledning",
        "Fjordby Kommune",
        "inden 4 uger",
        f"senest den {deadline:%d.%m.%Y}",
        "Ankestyrelsen",
        "Digital Post",
        "Sara Sagsbehandler",
        "44 55 66 77",
        f"truffet den {decided_on:%d.%m.%Y}",
    ):
        assert squash(expected) in text, expected

    # A second run changes nothing: the same row, file and hash.
    before = (letter.file.name, letter.sha256, letter.rendered_at, letter.attempts)
    assert tasks.decision_letter_render_once(letter.pk) == "already-done"
    letter.refresh_from_db()
    assert (letter.file.name, letter.sha256, letter.rendered_at, letter.attempts) == before
    assert DecisionLetter.objects.filter(decision=made).count() == 1
    made.refresh_from_db()
    assert Decision.objects.get(pk=made.pk).letter_ready


def test_the_letter_speaks_danish_whatever_the_language(made):
    from django.utils import translation

    with translation.override("en"):
        html = render_decision_html(made)
    assert "Klagevejledning" in html
    assert 'lang="da"' in html
    assert "cdn" not in html.lower()


def test_a_stalled_decision_letter_is_queued_again(made, monkeypatch):
    letter = DecisionLetter.objects.get(decision=made)
    later = timezone.now() + render_once.REQUEUE_AFTER + dt.timedelta(minutes=1)
    assert tasks.stalled_decision_letters(later) == [letter.pk]
    again: list[int] = []
    monkeypatch.setattr(tasks.render_closing_letter, "delay", lambda pk: None)
    monkeypatch.setattr(tasks.render_decision_letter, "delay", again.append)
    monkeypatch.setattr(tasks, "stalled_decision_letters", lambda: [letter.pk])
    tasks.requeue_stalled_renderings()
    assert again == [letter.pk]


def test_a_failed_render_is_recorded_and_retried_later(made, monkeypatch):
    letter = DecisionLetter.objects.get(decision=made)

    def broken(decision):
        raise RuntimeError("weasyprint exploded")

    monkeypatch.setattr("letters.decision_pdf.render_decision_pdf", broken)
    with pytest.raises(RuntimeError):
        tasks.decision_letter_render_once(letter.pk)
    letter.refresh_from_db()
    assert letter.status == DecisionLetter.Status.FAILED
    assert "RuntimeError" in letter.error
    assert tasks.stalled_decision_letters() == [letter.pk]


# --- where it is shown ------------------------------------------------------------------------


@pytest.fixture
def rendered(made):
    f.decision_letter_done(made)
    return made


def test_the_decision_page_links_the_pdf_once_rendered(made, case, personas, login):
    client = login(personas.owner)
    page = client.get(made.get_absolute_url()).content.decode()
    url = reverse("letters:decision_letter_pdf", args=[case.pk, made.pk])
    assert url not in page
    assert client.get(url).status_code == 404
    f.decision_letter_done(made)
    page = client.get(made.get_absolute_url()).content.decode()
    assert url in page and "Afgørelsesbrev (PDF)" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.owner, action="view", target__contains="afgørelsesbrev"
    ).exists()


@pytest.mark.parametrize(
    "persona,status",
    [
        ("owner", 200),
        ("team_lead", 200),
        ("therapist", 404),
        ("colleague", 404),
        ("family_user", 404),
    ],
)
def test_staff_pdf_access(persona, status, rendered, case, personas, login):
    user = getattr(personas, persona)
    url = reverse("letters:decision_letter_pdf", args=[case.pk, rendered.pk])
    assert login(user).get(url).status_code == status
    if status == 404:
        assert AccessLogEntry.objects.filter(
            case=case, user=user, action="denied", target=url
        ).exists()


def test_a_decision_of_another_case_is_404(rendered, org, personas, login):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status="measure")
    url = reverse("letters:decision_letter_pdf", args=[other.pk, rendered.pk])
    assert login(personas.owner).get(url).status_code == 404


def test_the_family_portal_lists_the_decision_with_its_letter(rendered, case, personas, login):
    client = login(personas.family_user)
    page = client.get(reverse("family:home")).content.decode()
    url = reverse("family:decision_pdf", args=[case.pk, rendered.pk])
    assert "Afgørelser" in page
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.family_user, action="view", target__contains="familieportalen"
    ).exists()


def test_a_parent_without_custody_gets_a_logged_404(rendered, case, personas, login):
    member = FamilyMember.objects.get(user=personas.family_user)
    child = FamilyMember.objects.get(family=member.family, is_child=True)
    far_user = f.UserFactory(username="far", role=Role.FAMILY)
    far = FamilyMember.objects.create(
        family=member.family, first_name="Far", last_name="Holm", user=far_user
    )
    FamilyRelation.objects.create(
        member=far, child=child, kind=FamilyRelation.Kind.PARENT_NO_CUSTODY
    )
    url = reverse("family:decision_pdf", args=[case.pk, rendered.pk])
    client = login(far_user)
    assert client.get(url).status_code == 404
    assert AccessLogEntry.objects.filter(
        case=case, user=far_user, action="denied", target=url
    ).exists()
    assert url not in client.get(reverse("family:home")).content.decode()


def test_the_portal_404s_a_letter_not_rendered_yet(made, case, personas, login):
    url = reverse("family:decision_pdf", args=[case.pk, made.pk])
    client = login(personas.family_user)
    assert client.get(url).status_code == 404
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.family_user, action="denied", target=url
    ).exists()
    page = client.get(reverse("family:home")).content.decode()
    assert "Brevet er på vej." in page and url not in page
