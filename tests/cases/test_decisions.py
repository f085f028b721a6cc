"""Decisions (cases/decisions.py): the draft, the party hearing, the decision's refusals, the
complaint and its reconsideration, the access log, and the Afgørelser pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from accounts.models import Team
from cases import decisions
from cases.models import Assessment, Complaint, Decision, LegalBasis


def today() -> dt.date:
    return timezone.localdate()


def draft(case, user, **kwargs) -> Decision:
    values = {
        "kind": Decision.Kind.APPLICATION_GRANT,
        "facts": "Mor har søgt om støtte.",
        "reasons": "Barnet har behov for støtte i hjemmet.",
        "conversation_on": today(),
        "conversation_place": "I hjemmet",
        "conversation_present": "Barnet og sagsbehandleren",
        "bisidder_offered": True,
    }
    values.update(kwargs)
    return decisions.decision_draft_create(case=case, user=user, **values)


def send(decision, user, *, parties="Mor\nFar", days=decisions.HEARING_MIN_DAYS):
    return decisions.hearing_send(
        decision=decision,
        user=user,
        respond_by=today() + dt.timedelta(days=days),
        parties=parties,
    )


def make(decision, user, **kwargs) -> Decision:
    return decisions.decision_make(decision=decision, user=user, **kwargs)


def unchanged(decision: Decision) -> bool:
    fresh = Decision.objects.get(pk=decision.pk)
    return fresh.status != Decision.Status.DECIDED and fresh.decided_at is None


def order_terms() -> dict:
    """The measure's terms an order must state (Barnets Lov § 32, stk. 2–3)."""
    return {
        "purpose": "Styrke forældrenes omsorg i hverdagen.",
        "expected_duration_months": 6,
        "start_date": today(),
        "provider_team": Team.objects.get(name="Familiehusets team"),
        "consent_given_on": today(),
    }


def section_32_order(case, user, **kwargs) -> Decision:
    values = {
        "kind": Decision.Kind.MEASURE_ORDER,
        "legal_basis": LegalBasis.objects.get(code="bl-32-1-5"),
        "consents": "Mor (eneforældremyndighed), mundtligt på møde den dag.",
        **order_terms(),
    }
    values.update(kwargs)
    return draft(case, user, **values)


def finish_assessment(case, user, kind=Assessment.Kind.CHILD_ASSESSMENT) -> Assessment:
    return Assessment.objects.create(
        case=case,
        kind=kind,
        started_on=today() - dt.timedelta(days=30),
        started_by=user,
        finished_on=today(),
        conclusion="Behov for støtte.",
    )


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["therapist", "colleague"])
def test_only_owner_or_team_lead_drafts(case, personas, persona):
    with pytest.raises(PermissionDenied):
        draft(case, getattr(personas, persona))
    assert not Decision.objects.filter(case=case).exists()


def test_team_lead_may_decide(case, personas):
    decision = make(draft(case, personas.owner), personas.team_lead)
    assert decision.decided_by == personas.team_lead


# --- the draft -------------------------------------------------------------------------------


def test_change_of_a_measure_names_the_measure(case, personas):
    with pytest.raises(ValidationError) as error:
        draft(case, personas.owner, kind=Decision.Kind.MEASURE_CHANGE)
    assert "measure" in error.value.message_dict
    decision = draft(
        case, personas.owner, kind=Decision.Kind.MEASURE_END, measure=case.measures.get()
    )
    assert decision.measure == case.measures.get()


# --- the party hearing -----------------------------------------------------------------------


def test_hearing_gives_the_parties_at_least_a_week(case, personas):
    decision = draft(case, personas.owner)
    with pytest.raises(ValidationError) as error:
        send(decision, personas.owner, days=decisions.HEARING_MIN_DAYS - 1)
    assert "mindst 7 dage" in error.value.message_dict["respond_by"][0]
    assert not decision.hearings.exists()
    assert Decision.objects.get(pk=decision.pk).status == Decision.Status.DRAFT

    send(decision, personas.owner)
    assert Decision.objects.get(pk=decision.pk).status == Decision.Status.IN_HEARING


def test_answer_is_from_a_party_heard(case, personas):
    hearing = send(draft(case, personas.owner), personas.owner)
    with pytest.raises(ValidationError) as error:
        decisions.hearing_answer_record(
            hearing=hearing, user=personas.owner, party="Moster", received_on=today(), text="Ja"
        )
    assert "party" in error.value.message_dict
    assert not hearing.answers.exists()


def test_decision_waits_for_the_answers_or_the_deadline(case, personas):
    decision = draft(case, personas.owner)
    hearing = send(decision, personas.owner)
    with pytest.raises(ValidationError) as error:
        make(decision, personas.owner)
    message = error.value.message_dict["hearing_waived_reason"][0]
    assert "Partshøringen er ikke afsluttet" in message and "Forvaltningsloven § 19" in message
    assert unchanged(decision)

    # One of two parties has answered: still not over.
    decisions.hearing_answer_record(
        hearing=hearing, user=personas.owner, party="Mor", received_on=today(), text="Enig."
    )
    with pytest.raises(ValidationError):
        make(decision, personas.owner)
    assert unchanged(decision)

    decisions.hearing_answer_record(
        hearing=hearing, user=personas.owner, party="Far", received_on=today(), text="Uenig."
    )
    assert make(decision, personas.owner).is_decided


def test_decision_may_be_made_when_the_deadline_has_passed(case, personas):
    decision = draft(case, personas.owner)
    hearing = send(decision, personas.owner)
    type(hearing).objects.filter(pk=hearing.pk).update(respond_by=today())
    with pytest.raises(ValidationError):  # the last day to answer is today: not passed yet
        make(decision, personas.owner)
    type(hearing).objects.filter(pk=hearing.pk).update(respond_by=today() - dt.timedelta(days=1))
    assert make(decision, personas.owner).is_decided


def test_hearing_may_be_waived_with_a_reason(case, personas):
    decision = draft(case, personas.owner)
    send(decision, personas.owner)
    made = make(decision, personas.owner, hearing_waived_reason="Barnets sikkerhed.")
    assert made.is_decided
    assert Decision.objects.get(pk=decision.pk).hearing_waived_reason == "Barnets sikkerhed."


# --- the decision's own rules ----------------------------------------------------------------


def test_no_decision_without_reasons(case, personas):
    decision = draft(case, personas.owner, reasons="")
    with pytest.raises(ValidationError) as error:
        make(decision, personas.owner)
    assert "Forvaltningsloven § 22" in error.value.message_dict["reasons"][0]
    assert unchanged(decision)
    with pytest.raises(ValidationError):
        make(decision, personas.owner, reasons="   ")
    assert unchanged(decision)
    assert make(decision, personas.owner, reasons="Behovet er dokumenteret.").is_decided


def test_no_decision_before_the_child_is_heard(case, personas):
    decision = draft(case, personas.owner, conversation_on=None)
    with pytest.raises(ValidationError) as error:
        make(decision, personas.owner)
    assert "Barnets Lov § 5" in error.value.message_dict["conversation"][0]
    assert unchanged(decision)


def test_a_reason_the_conversation_was_not_held_will_do(case, personas):
    decision = draft(
        case, personas.owner, conversation_on=None, conversation_not_held_reason="Barnet er 1 år."
    )
    assert make(decision, personas.owner).is_decided


def test_section_32_order_needs_a_finished_child_assessment(case, personas):
    decision = section_32_order(case, personas.owner)
    with pytest.raises(ValidationError) as error:
        make(decision, personas.owner)
    message = error.value.message_dict["acting_first_ground"][0]
    assert "afsluttet børnefaglig undersøgelse" in message and "§ 32" in message
    assert unchanged(decision)

    # An afdækning (§ 19) is not the assessment a § 32 measure rests on.
    finish_assessment(case, personas.owner, kind=Assessment.Kind.CLARIFICATION)
    with pytest.raises(ValidationError):
        make(decision, personas.owner)
    assert unchanged(decision)

    finish_assessment(case, personas.owner)
    assert make(decision, personas.owner).is_decided


def test_section_32_order_may_act_first_with_the_ground_recorded(case, personas):
    decision = section_32_order(case, personas.owner)
    ground = "Akut behov; undersøgelsen gennemføres sideløbende."
    made = make(decision, personas.owner, acting_first_ground=ground)
    assert made.is_decided
    assert Decision.objects.get(pk=decision.pk).acting_first_ground == ground


def test_section_32_order_needs_the_consents(case, personas):
    finish_assessment(case, personas.owner)
    decision = section_32_order(case, personas.owner, consents="")
    with pytest.raises(ValidationError) as error:
        make(decision, personas.owner)
    assert "§ 32, stk. 2" in error.value.message_dict["consents"][0]
    assert unchanged(decision)


def test_a_preventive_section_30_measure_needs_no_assessment(case, personas):
    decision = draft(
        case,
        personas.owner,
        kind=Decision.Kind.MEASURE_ORDER,
        legal_basis=LegalBasis.objects.get(code="bl-30"),
        **order_terms(),
    )
    assert make(decision, personas.owner).is_decided


def test_a_decision_is_made_once(case, personas):
    decision = make(draft(case, personas.owner), personas.owner)
    with pytest.raises(ValidationError):
        make(decision, personas.owner)
    with pytest.raises(ValidationError):
        send(decision, personas.owner)


# --- complaints ------------------------------------------------------------------------------


def test_complaint_only_of_a_decision_made(case, personas):
    decision = draft(case, personas.owner)
    with pytest.raises(ValidationError):
        decisions.complaint_register(
            decision=decision, user=personas.owner, received_on=today(), complainant="Mor", text="X"
        )
    assert not Complaint.objects.exists()


def test_complaint_is_reconsidered_within_4_weeks(case, personas):
    decision = make(draft(case, personas.owner), personas.owner)
    complaint = decisions.complaint_register(
        decision=decision, user=personas.owner, received_on=today(), complainant="Mor", text="X"
    )
    assert complaint.reconsider_by == today() + dt.timedelta(days=28)
    assert complaint.late is False


def test_late_complaint_is_registered_and_marked_late(case, personas):
    decision = make(draft(case, personas.owner), personas.owner)
    decided = timezone.now() - dt.timedelta(days=40)
    Decision.objects.filter(pk=decision.pk).update(decided_at=decided)
    decision.refresh_from_db()
    on_time = timezone.localdate(decided) + dt.timedelta(days=28)
    first = decisions.complaint_register(
        decision=decision, user=personas.owner, received_on=on_time, complainant="Mor", text="X"
    )
    late = decisions.complaint_register(
        decision=decision,
        user=personas.owner,
        received_on=on_time + dt.timedelta(days=1),
        complainant="Far",
        text="Y",
    )
    assert first.late is False
    assert late.late is True
    assert late.reconsider_by == on_time + dt.timedelta(days=29)


def _complaint(case, personas) -> Complaint:
    decision = make(draft(case, personas.owner), personas.owner)
    return decisions.complaint_register(
        decision=decision, user=personas.owner, received_on=today(), complainant="Mor", text="X"
    )


def test_upheld_complaint_needs_the_day_it_was_sent_to_ankestyrelsen(case, personas):
    complaint = _complaint(case, personas)
    with pytest.raises(ValidationError) as error:
        decisions.complaint_reconsider(
            complaint=complaint,
            user=personas.owner,
            outcome=Complaint.Outcome.UPHELD,
            reconsidered_on=today(),
        )
    assert "sent_to_ankestyrelsen_on" in error.value.message_dict
    assert Complaint.objects.get(pk=complaint.pk).outcome == ""


def test_changed_complaint_links_a_new_decision(case, personas):
    complaint = _complaint(case, personas)
    with pytest.raises(ValidationError) as error:
        decisions.complaint_reconsider(
            complaint=complaint,
            user=personas.owner,
            outcome=Complaint.Outcome.CHANGED,
            reconsidered_on=today(),
        )
    assert "new_decision" in error.value.message_dict
    still_draft = draft(case, personas.owner, kind=Decision.Kind.APPLICATION_REFUSAL)
    with pytest.raises(ValidationError):
        decisions.complaint_reconsider(
            complaint=complaint,
            user=personas.owner,
            outcome=Complaint.Outcome.CHANGED,
            reconsidered_on=today(),
            new_decision=still_draft,
        )
    assert Complaint.objects.get(pk=complaint.pk).outcome == ""

    new = make(still_draft, personas.owner)
    decisions.complaint_reconsider(
        complaint=complaint,
        user=personas.owner,
        outcome=Complaint.Outcome.CHANGED,
        reconsidered_on=today(),
        new_decision=new,
    )
    complaint.refresh_from_db()
    assert complaint.new_decision == new and complaint.sent_to_ankestyrelsen_on is None


def test_ankestyrelsen_result_only_for_a_complaint_sent_there(case, personas):
    complaint = _complaint(case, personas)
    with pytest.raises(ValidationError):
        decisions.complaint_ankestyrelsen_result(
            complaint=complaint,
            user=personas.owner,
            result=Complaint.AnkestyrelsenResult.UPHELD,
            result_on=today(),
        )
    assert Complaint.objects.get(pk=complaint.pk).ankestyrelsen_result == ""


# --- the whole way, with the access log ------------------------------------------------------


def test_happy_path_draft_hearing_answer_decide_complain_ankestyrelsen(case, personas):
    owner = personas.owner
    finish_assessment(case, owner)
    decision = section_32_order(case, owner, reasons="")
    hearing = send(decision, owner, parties="Mor")
    decisions.hearing_answer_record(
        hearing=hearing, user=owner, party="Mor", received_on=today(), text="Mor er enig."
    )
    make(decision, owner, reasons="Familiebehandling styrker forældrenes omsorg.")
    complaint = decisions.complaint_register(
        decision=decision, user=owner, received_on=today(), complainant="Mor", text="Fortryder."
    )
    decisions.complaint_reconsider(
        complaint=complaint,
        user=owner,
        outcome=Complaint.Outcome.UPHELD,
        reconsidered_on=today(),
        sent_to_ankestyrelsen_on=today(),
    )
    decisions.complaint_ankestyrelsen_result(
        complaint=complaint,
        user=owner,
        result=Complaint.AnkestyrelsenResult.UPHELD,
        result_on=today(),
    )

    decision.refresh_from_db()
    complaint.refresh_from_db()
    assert decision.status == Decision.Status.DECIDED
    assert decision.decided_by == owner and decision.decided_at is not None
    assert decision.reasons == "Familiebehandling styrker forældrenes omsorg."
    assert complaint.outcome == Complaint.Outcome.UPHELD
    assert complaint.sent_to_ankestyrelsen_on == today()
    assert complaint.ankestyrelsen_result == Complaint.AnkestyrelsenResult.UPHELD

    targets = list(
        AccessLogEntry.objects.filter(case=case, user=owner, action="change")
        .order_by("id")
        .values_list("target", flat=True)
    )
    assert targets == [
        "afgørelse oprettet som udkast: Iværksættelse af indsats",
        f"afgørelse sendt i partshøring, svarfrist {hearing.respond_by:%d.%m.%Y}",
        "høringssvar registreret fra Mor",
        "afgørelse truffet: Iværksættelse af indsats",
        f"klage registreret fra Mor, genvurderes senest {complaint.reconsider_by:%d.%m.%Y}",
        "klage genvurderet: Fastholdt – sendt til Ankestyrelsen",
        "Ankestyrelsens afgørelse: Stadfæstet",
    ]


def test_refusal_writes_no_access_log_row(case, personas):
    decision = draft(case, personas.owner, reasons="")
    before = AccessLogEntry.objects.filter(case=case, action="change").count()
    with pytest.raises(ValidationError):
        make(decision, personas.owner)
    assert AccessLogEntry.objects.filter(case=case, action="change").count() == before


# --- pages -----------------------------------------------------------------------------------


def test_pages_render_for_the_owner(case, personas, login):
    decision = draft(case, personas.owner)
    hearing = send(decision, personas.owner)
    client = login(personas.owner)
    listing = client.get(reverse("cases:case_decisions", args=[case.pk]))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert '<h2 id="tab-heading">Afgørelser</h2>' in html
    assert decision.get_absolute_url() in html
    assert 'id="tab-decisions"' in html

    detail = client.get(decision.get_absolute_url()).content.decode()
    assert "Bevilling af ansøgning" in detail
    assert hearing.respond_by.strftime("%d.%m.%Y") in detail
    assert reverse("cases:decision_make", args=[case.pk, decision.pk]) in detail

    for name, args in [
        ("decision_create", [case.pk]),
        ("hearing_send", [case.pk, decision.pk]),
        ("hearing_answer_record", [case.pk, decision.pk, hearing.pk]),
        ("decision_make", [case.pk, decision.pk]),
        ("complaint_register", [case.pk, decision.pk]),
    ]:
        response = client.get(reverse(f"cases:{name}", args=args))
        assert response.status_code == 200, name
        assert "<label" in response.content.decode(), name


def test_a_decision_on_a_measure_names_the_measures_legal_basis(case, personas, login):
    """Forvaltningsloven § 24: a change or end of a measure is made under the measure's rule,
    and the list and the decision's page say which, not "Ikke angivet"."""
    measure = case.measures.select_related("legal_basis").get()
    decision = draft(case, personas.owner, kind=Decision.Kind.MEASURE_END, measure=measure)
    assert decision.legal_basis is None
    assert decision.applicable_legal_basis == measure.legal_basis
    client = login(personas.owner)
    listing = client.get(reverse("cases:case_decisions", args=[case.pk])).content.decode()
    cell = listing.split('data-label="Lovgrundlag"><div>', 1)[1].split("</div>", 1)[0]
    assert cell == measure.legal_basis.reference
    detail = client.get(decision.get_absolute_url()).content.decode()
    assert _legal_basis_on(detail).startswith(f"{measure.legal_basis.reference} – ")


def _legal_basis_on(detail_page: str) -> str:
    return detail_page.split(">Lovgrundlag</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_a_decision_without_a_legal_basis_says_so(case, personas, login):
    decision = draft(case, personas.owner)  # a grant, no legal basis chosen
    assert decision.applicable_legal_basis is None
    html = login(personas.owner).get(decision.get_absolute_url()).content.decode()
    assert _legal_basis_on(html) == "Ikke angivet"


def test_therapist_gets_404_for_decisions_and_no_tab(case, personas, login):
    decision = draft(case, personas.owner)
    client = login(personas.therapist)
    assert client.get(reverse("cases:case_decisions", args=[case.pk])).status_code == 404
    assert client.get(decision.get_absolute_url()).status_code == 404
    overview = client.get(case.get_absolute_url()).content.decode()
    assert 'id="tab-decisions"' not in overview


def test_decide_form_shows_the_refusal_and_saves_nothing(case, personas, login):
    decision = draft(case, personas.owner)
    send(decision, personas.owner)
    url = reverse("cases:decision_make", args=[case.pk, decision.pk])
    response = login(personas.owner).post(url, {"decide-reasons": "Begrundet."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Formularen kunne ikke gemmes" in html
    assert "Partshøringen er ikke afsluttet" in html
    assert unchanged(decision)


def test_forms_go_from_draft_to_decided(case, personas, login):
    client = login(personas.owner)
    response = client.post(
        reverse("cases:decision_create", args=[case.pk]),
        {
            "art": Decision.Kind.APPLICATION_REFUSAL,
            "decision-reasons": "Behovet dækkes af almene tilbud.",
            "decision-conversation_on": today().isoformat(),
            "decision-conversation_place": "Skolen",
        },
    )
    decision = Decision.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == decision.get_absolute_url()
    response = client.post(
        reverse("cases:decision_make", args=[case.pk, decision.pk]),
        {"decide-reasons": "Behovet dækkes af almene tilbud."},
    )
    assert response.status_code == 302
    assert Decision.objects.get(pk=decision.pk).is_decided
