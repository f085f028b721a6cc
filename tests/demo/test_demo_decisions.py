"""The demo's decisions (demo.builders.decisions, issue 17 item 9): made through
``cases.decisions`` on demo cases, of several kinds; one in party hearing with an answer; one
complaint under reconsideration and one sent to Ankestyrelsen; and ``familie`` has its decision
letter, rendered, in the portal (and ``familie-far``, without custody, does not)."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from cases.models import Case, CaseStatus, Complaint, Decision, Measure
from letters.models import DecisionLetter

# The demo is seeded once for tests/demo (tests/demo/conftest.py), as for test_seed_demo.py.
pytestmark = [pytest.mark.django_db, pytest.mark.seed, pytest.mark.xdist_group("seed_demo")]

Kind = Decision.Kind


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_decisions_of_several_kinds_made_through_the_services(seeded):
    decided = Decision.objects.filter(status=Decision.Status.DECIDED)
    kinds = set(decided.values_list("kind", flat=True))
    assert {
        Kind.APPLICATION_GRANT,
        Kind.APPLICATION_REFUSAL,
        Kind.MEASURE_ORDER,
        Kind.MEASURE_CHANGE,
        Kind.MEASURE_END,
        Kind.PLAN,
        Kind.AFTER_18,
    } <= kinds
    for decision in decided:
        assert decision.reasons and decision.decided_by_id and decision.decided_at
        assert decision.conversation_on is not None or decision.conversation_not_held_reason
        assert decision.decided_at <= timezone.now()
        # Every decision made has its letter (rendered by the task on commit, or here).
        assert DecisionLetter.objects.filter(decision=decision).exists()
    order = decided.get(kind=Kind.MEASURE_ORDER)
    assert order.consents and order.legal_basis.paragraph.startswith("§ 32")
    assert order.case.assessments.filter(finished_on__isnull=False).exists()


def test_the_demo_measures_follow_decisions(seeded):
    """The order decision ordered its measure (starting next week, its therapist assigned, its
    plan deadline set); every measure ended was ended by a decision; sagsbehandler has a case
    whose assessment is finished and whose decision is still to be made."""
    order = Decision.objects.get(kind=Kind.MEASURE_ORDER, status=Decision.Status.DECIDED)
    measure = order.measure
    assert measure is not None and measure.start_date > timezone.localdate()
    assert measure.purpose == order.purpose and measure.decided_at == order.decided_at
    assert measure.assignments.filter(user__username="familiebehandler").exists()
    assert measure.deadlines.filter(rule__code="plan").exists()
    ended = Measure.objects.exclude(ended_on=None)
    assert ended.exists()
    for measure in ended:
        end = measure.decisions.get(kind=Kind.MEASURE_END, status=Decision.Status.DECIDED)
        assert end.ends_on == measure.ended_on
    ready = Case.objects.filter(
        owner__username="sagsbehandler",
        status=CaseStatus.ASSESSMENT,
        assessments__kind="child_assessment",
        assessments__finished_on__isnull=False,
        measures__isnull=True,
    )
    assert ready.exists()


def test_one_decision_is_in_party_hearing_with_one_answer(seeded):
    in_hearing = Decision.objects.get(status=Decision.Status.IN_HEARING)
    hearing = in_hearing.hearings.get()
    assert hearing.respond_by > timezone.localdate()
    assert len(hearing.party_names) == 2
    assert hearing.answers.count() == 1


def test_one_complaint_under_reconsideration_and_one_sent_to_ankestyrelsen(seeded):
    running = Complaint.objects.get(outcome="")
    assert running.reconsider_by > timezone.localdate() and not running.late
    sent = Complaint.objects.get(outcome=Complaint.Outcome.UPHELD)
    assert sent.sent_to_ankestyrelsen_on is not None
    assert sent.reconsidered_on <= sent.reconsider_by and not sent.late


def test_familie_has_its_decision_letter_in_the_portal(seeded):
    familie = User.objects.get(username="familie")
    letter = DecisionLetter.objects.get(
        decision__case__citizen__family_memberships__family__members__user=familie,
        status=DecisionLetter.Status.DONE,
    )
    decision = letter.decision
    assert len(letter.sha256) == 64
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.file.read())).pages)
    assert "Klagevejledning" in text and "Ankestyrelsen" in text

    client = logged_in("familie")
    page = client.get(reverse("family:home")).content.decode()
    url = reverse("family:decision_pdf", args=[decision.case_id, decision.pk])
    assert "Afgørelser" in page and url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    # The children's father, without custody, sees neither the case nor its letter.
    far = logged_in("familie-far")
    assert far.get(url).status_code == 404
    assert url not in far.get(reverse("family:home")).content.decode()
