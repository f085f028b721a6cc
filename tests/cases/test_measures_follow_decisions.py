"""Measures follow decisions (cases/decisions.py, cases/services.py): a measure is ordered,
changed and ended only by a decision made; a follow-up that decides to adjust or end leads to
the draft of that decision; the measure's expected end and a complaint's reconsideration are
deadlines."""

import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team
from cases import decisions
from cases.models import Complaint, Deadline, Decision, LegalBasis, Measure
from demo import factories as f
from followups.models import FollowUp, Reminder
from followups.reminders import raise_reminders
from followups.services import followup_complete


def today() -> dt.date:
    return timezone.localdate()


def heard() -> dict:
    return {
        "reasons": "Barnet har behov for støtte i hjemmet.",
        "conversation_on": today(),
        "conversation_place": "Hjemme",
    }


def order(case, user, **terms) -> Decision:
    values = {
        "legal_basis": LegalBasis.objects.get(code="bl-32-1-5"),
        "purpose": "Faste rutiner om morgenen.",
        "expected_duration_months": 6,
        "start_date": today(),
        "provider_team": Team.objects.get(name="Familiehusets team"),
        "consent_given_on": today(),
        "consents": "Mor, mundtligt.",
        "acting_first_ground": "Akut behov.",
        "hours_steps": [(4, Decimal("6")), (None, Decimal("3"))],
        **heard(),
        **terms,
    }
    draft = decisions.decision_draft_create(
        case=case, user=user, kind=Decision.Kind.MEASURE_ORDER, **values
    )
    return decisions.decision_make(decision=draft, user=user)


def expected_end(measure: Measure) -> Deadline:
    return Deadline.objects.get(measure=measure, rule__code="measure_expected_end")


def test_the_order_decision_orders_the_measure_with_its_terms(case, personas):
    decision = order(case, personas.owner)
    measure = decision.measure
    assert measure is not None and measure.case == case
    assert measure.purpose == "Faste rutiner om morgenen."
    assert measure.decided_at == decision.decided_at and measure.decided_by == personas.owner
    assert list(measure.hours_steps.values_list("weeks", "hours_per_week")) == [
        (4, Decimal("6")),
        (None, Decimal("3")),
    ]
    # Past its expected duration (6 months from the start) the caseworker is reminded.
    due = timezone.localtime(expected_end(measure).due_at).date()
    assert due == measure.start_date + relativedelta(months=6)


def test_a_draft_orders_nothing_and_a_refused_order_saves_nothing(case, personas):
    before = Measure.objects.count()
    draft = decisions.decision_draft_create(
        case=case,
        user=personas.owner,
        kind=Decision.Kind.MEASURE_ORDER,
        legal_basis=LegalBasis.objects.get(code="bl-32-1-5"),
        consents="Mor.",
        acting_first_ground="Akut.",
        **heard(),
    )
    assert Measure.objects.count() == before
    with pytest.raises(ValidationError) as error:
        decisions.decision_make(decision=draft, user=personas.owner)
    assert set(error.value.message_dict) >= {
        "purpose",
        "expected_duration_months",
        "start_date",
        "provider_team",
        "consent_given_on",
    }
    draft.refresh_from_db()
    assert not draft.is_decided and draft.measure is None
    assert Measure.objects.count() == before


def test_the_change_decision_changes_hours_from_its_day_and_moves_the_expected_end(case, personas):
    start = today() - dt.timedelta(weeks=10)
    measure = order(case, personas.owner, start_date=start, hours_steps=[(None, Decimal("6"))])
    measure = measure.measure
    old_due = expected_end(measure).due_at
    change = decisions.decision_draft_create(
        case=case,
        user=personas.owner,
        kind=Decision.Kind.MEASURE_CHANGE,
        measure=measure,
        changes_from=today(),
        expected_duration_months=9,
        hours_steps=[(None, Decimal("2"))],
        **heard(),
    )
    measure.refresh_from_db()
    assert measure.expected_duration_months == 6  # the draft changes nothing
    decisions.decision_make(decision=change, user=personas.owner)
    measure.refresh_from_db()
    assert measure.expected_duration_months == 9
    # The weeks before the change keep their 6 hours; from the change, 2 for the rest.
    assert list(measure.hours_steps.values_list("weeks", "hours_per_week")) == [
        (10, Decimal("6")),
        (None, Decimal("2")),
    ]
    assert expected_end(measure).due_at > old_due


def test_a_change_must_change_something(case, personas):
    measure = order(case, personas.owner).measure
    change = decisions.decision_draft_create(
        case=case,
        user=personas.owner,
        kind=Decision.Kind.MEASURE_CHANGE,
        measure=measure,
        changes_from=today(),
        **heard(),
    )
    with pytest.raises(ValidationError) as error:
        decisions.decision_make(decision=change, user=personas.owner)
    assert "Angiv, hvad der ændres" in str(error.value)
    assert not Decision.objects.get(pk=change.pk).is_decided


def test_the_end_decision_ends_the_measure_and_meets_its_expected_end(case, personas):
    measure = order(case, personas.owner).measure
    end = decisions.decision_draft_create(
        case=case,
        user=personas.owner,
        kind=Decision.Kind.MEASURE_END,
        measure=measure,
        ends_on=today(),
        **heard(),
    )
    measure.refresh_from_db()
    assert measure.ended_on is None
    decisions.decision_make(decision=end, user=personas.owner)
    measure.refresh_from_db()
    assert measure.ended_on == today()
    assert expected_end(measure).met_at is not None


def test_an_end_in_the_future_is_refused_until_the_day(case, personas):
    measure = order(case, personas.owner).measure
    end = decisions.decision_draft_create(
        case=case,
        user=personas.owner,
        kind=Decision.Kind.MEASURE_END,
        measure=measure,
        ends_on=today() + dt.timedelta(days=14),
        **heard(),
    )
    with pytest.raises(ValidationError) as error:
        decisions.decision_make(decision=end, user=personas.owner)
    assert "ligger i fremtiden" in error.value.message_dict["ends_on"][0]
    measure.refresh_from_db()
    assert measure.ended_on is None


def test_the_sweep_reminds_of_a_measure_past_its_expected_duration(case, personas):
    measure = order(case, personas.owner, expected_duration_months=1).measure
    deadline = expected_end(measure)
    raise_reminders(now=deadline.due_at + dt.timedelta(days=1))
    reminder = Reminder.objects.get(recipient=personas.owner, item=f"deadline:{deadline.pk}")
    assert reminder.level == Reminder.Level.OVERDUE and reminder.due_at == deadline.due_at


def test_a_followup_deciding_to_end_leads_to_the_end_decision(case, personas, login):
    measure = order(case, personas.owner).measure
    followup = FollowUp.objects.filter(measure=measure).first() or f.FollowUpFactory(
        measure=measure, case=case
    )
    done = followup_complete(
        followup=followup,
        user=personas.owner,
        held_on=today(),
        participants="Mor og Emma",
        decision=FollowUp.Decision.END,
        decision_reasons="Målene er nået.",
    )
    draft = done.measure_decision
    assert draft is not None
    assert draft.kind == Decision.Kind.MEASURE_END and draft.measure == measure
    assert not draft.is_decided and "Målene er nået." in draft.facts
    measure.refresh_from_db()
    assert measure.ended_on is None  # the follow-up decides nothing about the measure itself

    # The caseworker completes the draft (the child heard, the reasons) and makes it.
    decisions.decision_draft_update(decision=draft, user=personas.owner, **heard())
    decisions.decision_make(decision=draft, user=personas.owner)
    measure.refresh_from_db()
    assert measure.ended_on == today()


def test_the_followup_page_leads_to_the_draft(case, personas, login):
    measure = order(case, personas.owner).measure
    followup = FollowUp.objects.filter(measure=measure).first()
    assert followup is not None
    response = login(personas.owner).post(
        reverse("followups:followup_complete", args=[case.pk, followup.pk]),
        {
            "held_on": today().isoformat(),
            "participants": "Mor",
            "decision": FollowUp.Decision.ADJUST,
            "decision_reasons": "Færre timer.",
            "next_date_1": (today() + dt.timedelta(days=60)).isoformat(),
            "schedule_reasons": "Om to måneder.",
        },
    )
    followup.refresh_from_db()
    assert followup.measure_decision is not None, response.content.decode()[:2000]
    assert followup.measure_decision.kind == Decision.Kind.MEASURE_CHANGE
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "cases:decision_edit", args=[case.pk, followup.measure_decision_id]
    )


def test_a_complaint_starts_its_reconsideration_deadline_met_by_the_reconsideration(case, personas):
    decision = order(case, personas.owner)
    complaint = decisions.complaint_register(
        decision=decision, user=personas.owner, received_on=today(), complainant="Mor", text="Nej."
    )
    deadline = Deadline.objects.get(complaint=complaint)
    assert deadline.rule.code == "complaint_reconsideration"
    assert timezone.localtime(deadline.due_at).date() == complaint.reconsider_by
    assert deadline.is_open
    decisions.complaint_reconsider(
        complaint=complaint,
        user=personas.owner,
        outcome=Complaint.Outcome.UPHELD,
        reconsidered_on=today(),
        sent_to_ankestyrelsen_on=today(),
    )
    deadline.refresh_from_db()
    assert deadline.met_at is not None and "Fastholdt" in deadline.met_by_event


def test_young_adult_support_is_ordered_only_on_its_own_basis_and_age(case, personas):
    with pytest.raises(ValidationError) as error:
        decisions.decision_draft_create(
            case=case,
            user=personas.owner,
            kind=Decision.Kind.YOUNG_ADULT,
            legal_basis=LegalBasis.objects.get(code="bl-32-1-5"),
        )
    assert "§§ 114–121" in error.value.message_dict["legal_basis"][0]
    draft = decisions.decision_draft_create(
        case=case,
        user=personas.owner,
        kind=Decision.Kind.YOUNG_ADULT,
        legal_basis=LegalBasis.objects.get(code="bl-114"),
        purpose="Egen bolig.",
        expected_duration_months=12,
        start_date=today(),
        provider_team=Team.objects.get(name="Familiehusets team"),
        consent_given_on=today(),
        **heard(),
    )
    with pytest.raises(ValidationError) as error:  # the case's child is not 18
        decisions.decision_make(decision=draft, user=personas.owner)
    assert "§ 114" in error.value.message_dict["start_date"][0]


def test_the_decision_on_support_after_18_meets_its_deadline(case, personas):
    from cases import deadlines

    rule_start = timezone.now() - dt.timedelta(days=1)
    deadline = deadlines.deadline_schedule(case=case, rule_code="after_18", start=rule_start)
    assert deadline is not None and deadline.is_open
    draft = decisions.decision_draft_create(
        case=case, user=personas.owner, kind=Decision.Kind.AFTER_18, **heard()
    )
    decisions.decision_make(decision=draft, user=personas.owner)
    deadline.refresh_from_db()
    assert deadline.met_at is not None


# --- the pages -------------------------------------------------------------------------------


def test_a_new_decision_starts_by_choosing_its_kind(case, personas, login):
    client = login(personas.owner)
    address = reverse("cases:decision_create", args=[case.pk])
    page = client.get(address).content.decode()
    assert 'type="radio"' in page and "Iværksættelse af indsats" in page
    assert 'id="form-errors"' not in page  # first visit: no complaint yet
    page = client.get(address + "?art=nope").content.decode()
    assert 'id="form-errors"' in page  # an unknown kind: asked again
    # "Fortsæt" with no kind ticked says what is missing.
    page = client.get(address + "?valgt=1").content.decode()
    assert 'id="form-errors"' in page and "Vælg afgørelsens art." in page
    page = client.get(address + "?art=measure_end").content.decode()
    assert "Indsatsen ophører den" in page and "Formål" not in page
    page = client.get(address + "?art=measure_order").content.decode()
    assert "Forventet varighed i måneder" in page and "Indsatsen ophører den" not in page


def test_a_draft_is_edited_until_it_is_made(case, personas, login):
    client = login(personas.owner)
    draft = decisions.decision_draft_create(
        case=case,
        user=personas.owner,
        kind=Decision.Kind.MEASURE_ORDER,
        legal_basis=LegalBasis.objects.get(code="bl-32-1-5"),
        purpose="Første udkast.",
        hours_steps=[(3, Decimal("5.5"))],
    )
    address = reverse("cases:decision_edit", args=[case.pk, draft.pk])
    page = client.get(address).content.decode()
    assert "Første udkast." in page and 'value="5.5"' in page
    response = client.post(
        address,
        {
            "decision-legal_basis": draft.legal_basis_id,
            "decision-purpose": "Rettet formål.",
            "decision-expected_duration_months": "4",
            "decision-hours_1": "5.5",
            "decision-weeks_1": "3",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.purpose == "Rettet formål." and draft.expected_duration_months == 4
    assert draft.hours_step_pairs == [(3, Decimal("5.5"))]

    decisions.decision_draft_update(decision=draft, user=personas.owner, **heard())
    Decision.objects.filter(pk=draft.pk).update(
        status=Decision.Status.DECIDED, decided_at=timezone.now(), decided_by=personas.owner
    )
    response = client.get(address)
    assert response.status_code == 302  # a decision made is not edited
