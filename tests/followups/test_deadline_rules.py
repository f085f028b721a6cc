"""Every rule of the deadline table, end to end: the event that triggers it (through the case
services), its due time on the clock (time-machine), the event that meets it, and handling it
otherwise. The date arithmetic on its own is in test_deadlines.py."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases import services as case_services
from cases.deadlines import (
    after_18_decision_record,
    deadline_handle_otherwise,
    deadlines_schedule_birthdays,
    deadlines_schedule_on_opening,
)
from cases.models import Assessment, CaseStatus, Deadline, LegalBasis, Notification
from demo import factories as f
from followups.models import FollowUp
from followups.services import followup_complete
from plans.models import Plan
from plans.services import plan_update

CPH = ZoneInfo("Europe/Copenhagen")


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CPH)


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=CPH)


def deadline(case, code: str) -> Deadline:
    return Deadline.objects.get(case=case, rule__code=code)


@pytest.fixture
def child(db):
    return f.CitizenFactory()


def register(personas, citizen, received_at: dt.datetime, **kwargs) -> Notification:
    """A notification from a professional (a school), as the owner registers it."""
    with time_machine.travel(received_at + dt.timedelta(minutes=30), tick=False):
        return case_services.notification_register(
            user=personas.owner,
            citizen=citizen,
            received_at=received_at,
            reporter_kind=Notification.ReporterKind.PROFESSIONAL,
            reporter_name="Lærer Hansen",
            reporter_organisation="Kirkebakkeskolen",
            concern="Barnet kommer ofte sultent i skole.",
            **kwargs,
        )


def order_measure(personas, org, case, start: dt.date):
    with time_machine.travel(local(start.year, start.month, start.day, 10), tick=False):
        return case_services.measure_order(
            case=case,
            user=personas.owner,
            legal_basis=LegalBasis.objects.get(code="bl-32-1-2"),
            purpose="At forældrene får struktur på hverdagen.",
            expected_duration_months=6,
            start_date=start,
            planned_end_date=None,
            provider_team=org.family_house,
            consent_given_on=start,
            therapists=[personas.therapist],
            hours_steps=[(4, Decimal("6")), (None, Decimal("2"))],
        )


# --- 24 hours: the acute judgement -----------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due_local"),
    [
        # Saturday before summer time starts (29 March 2026, 02:00 → 03:00): 24 real hours
        # end at 13:00 local time on Sunday.
        (local(2026, 3, 28, 12, 0), dt.datetime(2026, 3, 29, 13, 0)),
        # Saturday before summer time ends (25 October 2026, 03:00 → 02:00): 11:00 on Sunday.
        (local(2026, 10, 24, 12, 0), dt.datetime(2026, 10, 25, 11, 0)),
        (local(2026, 1, 15, 10, 0), dt.datetime(2026, 1, 16, 10, 0)),
    ],
)
def test_acute_judgement_due_24_real_hours_after_registration(personas, child, received, due_local):
    notification = register(personas, child, received)
    acute = deadline(notification.case, "acute_judgement")
    assert acute.notification == notification
    assert acute.due_at.astimezone(CPH).replace(tzinfo=None) == due_local
    assert acute.due_at - received == dt.timedelta(hours=24)
    assert acute.rule.legal_reference
    with time_machine.travel(acute.due_at - dt.timedelta(seconds=1), tick=False):
        assert not acute.is_overdue
    with time_machine.travel(acute.due_at + dt.timedelta(seconds=1), tick=False):
        assert acute.is_overdue


def test_acute_judgement_is_met_by_the_judgement(personas, child):
    received = local(2026, 3, 28, 12, 0)
    notification = register(personas, child, received)
    judged = received + dt.timedelta(hours=23)
    with time_machine.travel(judged + dt.timedelta(minutes=5), tick=False):
        case_services.notification_judge_acute(
            notification=notification,
            user=personas.owner,
            outcome=Notification.AcuteOutcome.NO_ACUTE_NEED,
            note="Ingen akut fare.",
            judged_at=judged,
        )
    acute = deadline(notification.case, "acute_judgement")
    assert acute.met_at == judged
    assert acute.met_by_event == "Akut vurdering registreret"
    assert not acute.was_late and not acute.is_overdue


def test_an_application_has_no_acute_judgement(personas, child):
    notification = register(
        personas, child, local(2026, 3, 28, 12, 0), kind=Notification.Kind.APPLICATION
    )
    assert not notification.case.deadlines.filter(rule__code="acute_judgement").exists()


# --- 6 working days: the receipt to a professional -------------------------------------------


@pytest.mark.parametrize(
    ("received", "due_day"),
    [
        # Easter 2026: skærtorsdag 2 April, langfredag 3 April, 2. påskedag 6 April.
        (local(2026, 4, 1, 10, 0), dt.date(2026, 4, 14)),
        # Easter 2024: 28 March, 29 March, 1 April.
        (local(2024, 3, 26, 15, 0), dt.date(2024, 4, 8)),
        # Christmas 2025: juledag, 2. juledag and nytårsdag skipped; 24 and 31 December count.
        (local(2025, 12, 22, 9, 0), dt.date(2026, 1, 2)),
        # Store Bededag 5 May 2023 was a holiday ...
        (local(2023, 5, 1, 9, 0), dt.date(2023, 5, 10)),
        # ... and 26 April 2024 was an ordinary working day.
        (local(2024, 4, 22, 9, 0), dt.date(2024, 4, 30)),
        # Received on a Saturday: counting starts on Monday.
        (local(2026, 1, 17, 11, 0), dt.date(2026, 1, 26)),
    ],
)
def test_receipt_due_six_working_days_after_receipt(personas, child, received, due_day):
    notification = register(personas, child, received)
    assert notification.needs_receipt
    receipt = deadline(notification.case, "receipt")
    assert receipt.due_at == end_of(due_day)
    with time_machine.travel(end_of(due_day) - dt.timedelta(minutes=1), tick=False):
        assert not receipt.is_overdue
    with time_machine.travel(end_of(due_day) + dt.timedelta(minutes=1), tick=False):
        assert receipt.is_overdue


def test_receipt_is_met_by_sending_it(personas, child):
    notification = register(personas, child, local(2026, 4, 1, 10, 0))
    sent = local(2026, 4, 15, 9, 0)  # a day late
    with time_machine.travel(sent, tick=False):
        case_services.notification_send_receipt(
            notification=notification, user=personas.owner, sent_at=sent
        )
    receipt = deadline(notification.case, "receipt")
    assert receipt.met_at == sent
    assert receipt.met_by_event == "Kvittering sendt til underretter"
    assert receipt.was_late


def test_no_receipt_deadline_for_a_private_person_reporting(personas, child):
    with time_machine.travel(local(2026, 4, 1, 11, 0), tick=False):
        notification = case_services.notification_register(
            user=personas.owner,
            citizen=child,
            received_at=local(2026, 4, 1, 10, 0),
            reporter_kind=Notification.ReporterKind.PRIVATE,
            concern="Mor beder om hjælp.",
        )
    assert not notification.needs_receipt
    assert not notification.case.deadlines.filter(rule__code="receipt").exists()


def test_receipt_handled_otherwise_with_a_reason(personas, child):
    notification = register(personas, child, local(2026, 4, 1, 10, 0))
    receipt = deadline(notification.case, "receipt")
    with time_machine.travel(local(2026, 4, 2, 9, 0), tick=False):
        deadline_handle_otherwise(
            deadline=receipt, user=personas.owner, reason="Underretteren er anonym."
        )
    receipt.refresh_from_db()
    assert receipt.handled_otherwise_reason == "Underretteren er anonym."
    with time_machine.travel(local(2026, 5, 1, 9, 0), tick=False):
        assert not receipt.is_overdue
        # Sending the receipt afterwards does not turn it into "met".
        case_services.notification_send_receipt(
            notification=notification, user=personas.owner, sent_at=local(2026, 4, 30, 9, 0)
        )
    receipt.refresh_from_db()
    assert receipt.met_at is None


# --- 4 months: the child assessment ----------------------------------------------------------


def test_assessment_due_four_months_after_the_concern_and_met_when_finished(personas, child):
    notification = register(personas, child, local(2026, 1, 30, 10, 0))
    case = notification.case
    assessment_deadline = deadline(case, "assessment")
    assert assessment_deadline.due_at == end_of(dt.date(2026, 5, 30))
    with time_machine.travel(local(2026, 2, 5, 10, 0), tick=False):
        assessment = case_services.assessment_start(
            case=case,
            user=personas.owner,
            kind=Assessment.Kind.CHILD_ASSESSMENT,
            started_on=dt.date(2026, 2, 5),
        )
    with time_machine.travel(local(2026, 5, 31, 10, 0), tick=False):
        assert Deadline.objects.get(pk=assessment_deadline.pk).is_overdue
        case_services.assessment_finish(
            assessment=assessment,
            user=personas.owner,
            finished_on=dt.date(2026, 5, 31),
            conclusion="Behov for familiebehandling.",
            **f.assessment_content(dt.date(2026, 5, 31)),
        )
    assessment_deadline.refresh_from_db()
    assert assessment_deadline.met_by_event == "Undersøgelse afsluttet"
    assert assessment_deadline.was_late


def test_a_second_notification_does_not_restart_the_assessment_deadline(personas, child):
    first = register(personas, child, local(2026, 1, 30, 10, 0))
    second = register(personas, child, local(2026, 2, 20, 10, 0))
    assert first.case == second.case
    assert first.case.deadlines.filter(rule__code="assessment").count() == 1
    # Each notification gets its own acute judgement and receipt.
    assert first.case.deadlines.filter(rule__code="acute_judgement").count() == 2
    assert first.case.deadlines.filter(rule__code="receipt").count() == 2


# --- 3 months: the plan and the first follow-up ----------------------------------------------


@pytest.fixture
def measure_case(personas, child):
    notification = register(personas, child, local(2025, 11, 3, 10, 0))
    return notification.case


def test_measure_schedules_plan_and_first_followup_three_months_on(personas, org, measure_case):
    measure = order_measure(personas, org, measure_case, dt.date(2025, 11, 30))
    plan_deadline = deadline(measure_case, "plan")
    first = deadline(measure_case, "first_followup")
    assert plan_deadline.measure == first.measure == measure
    assert plan_deadline.due_at == first.due_at == end_of(dt.date(2026, 2, 28))
    followup = FollowUp.objects.get(measure=measure)
    assert followup.number == 1
    assert followup.deadline == first
    assert followup.due_on == dt.date(2026, 2, 28)
    # Ordering again (a retried request) schedules nothing twice.
    assert Deadline.objects.filter(measure=measure).count() == 3  # and the expected end


def test_first_followup_brought_forward_when_a_parallel_assessment_ends_earlier(
    personas, org, measure_case
):
    with time_machine.travel(local(2025, 11, 10, 10, 0), tick=False):
        assessment = case_services.assessment_start(
            case=measure_case,
            user=personas.owner,
            kind=Assessment.Kind.CHILD_ASSESSMENT,
            started_on=dt.date(2025, 11, 10),
        )
    measure = order_measure(personas, org, measure_case, dt.date(2025, 12, 1))
    followup = FollowUp.objects.get(measure=measure, number=1)
    assert followup.due_on == dt.date(2026, 3, 1)
    with time_machine.travel(local(2026, 1, 20, 15, 0), tick=False):
        case_services.assessment_finish(
            assessment=assessment,
            user=personas.owner,
            finished_on=dt.date(2026, 1, 20),
            conclusion="Indsatsen fortsætter.",
            **f.assessment_content(dt.date(2026, 1, 20)),
        )
    followup.refresh_from_db()
    assert followup.due_on == dt.date(2026, 1, 20)
    assert followup.deadline is not None
    assert followup.deadline.due_at == end_of(dt.date(2026, 1, 20))
    # The plan deadline is not a follow-up: it keeps its 3 months.
    assert deadline(measure_case, "plan").due_at == end_of(dt.date(2026, 3, 1))


def test_assessment_ending_after_three_months_does_not_move_the_followup(
    personas, org, measure_case
):
    with time_machine.travel(local(2025, 11, 10, 10, 0), tick=False):
        assessment = case_services.assessment_start(
            case=measure_case,
            user=personas.owner,
            kind=Assessment.Kind.CHILD_ASSESSMENT,
            started_on=dt.date(2025, 11, 10),
        )
    measure = order_measure(personas, org, measure_case, dt.date(2025, 12, 1))
    with time_machine.travel(local(2026, 3, 5, 15, 0), tick=False):
        case_services.assessment_finish(
            assessment=assessment,
            user=personas.owner,
            finished_on=dt.date(2026, 3, 5),
            conclusion="Indsatsen fortsætter.",
            **f.assessment_content(dt.date(2026, 3, 5)),
        )
    followup = FollowUp.objects.get(measure=measure, number=1)
    assert followup.due_on == dt.date(2026, 3, 1)
    assert deadline(measure_case, "first_followup").due_at == end_of(dt.date(2026, 3, 1))


def test_first_followup_met_by_holding_it_and_later_ones_scheduled_with_reasons(
    personas, org, measure_case
):
    measure = order_measure(personas, org, measure_case, dt.date(2025, 11, 30))
    followup = FollowUp.objects.get(measure=measure, number=1)
    with time_machine.travel(local(2026, 2, 20, 14, 0), tick=False):
        followup_complete(
            followup=followup,
            user=personas.owner,
            held_on=dt.date(2026, 2, 20),
            participants="Mor, far, familiebehandler",
            decision=FollowUp.Decision.CONTINUE,
            decision_reasons="Familien er godt i gang.",
            next_dates=[dt.date(2026, 4, 20), dt.date(2026, 7, 20)],
            schedule_reasons="Oftere i starten, så sjældnere.",
        )
    first = deadline(measure_case, "first_followup")
    assert first.met_at == local(2026, 2, 20, 12, 0)
    assert first.met_by_event == "Første opfølgning holdt 20.02.2026"
    assert not first.was_late
    later = list(FollowUp.objects.filter(measure=measure, number__gt=1))
    assert [(x.number, x.due_on, x.deadline) for x in later] == [
        (2, dt.date(2026, 4, 20), None),
        (3, dt.date(2026, 7, 20), None),
    ]
    # The plan deadline is met by the plan, not by a follow-up.
    assert deadline(measure_case, "plan").is_open


def test_first_followup_without_a_later_schedule_is_refused(personas, org, measure_case):
    measure = order_measure(personas, org, measure_case, dt.date(2025, 11, 30))
    followup = FollowUp.objects.get(measure=measure, number=1)
    with (
        time_machine.travel(local(2026, 2, 20, 14, 0), tick=False),
        pytest.raises(ValidationError) as exc,
    ):
        followup_complete(
            followup=followup,
            user=personas.owner,
            held_on=dt.date(2026, 2, 20),
            participants="Mor",
            decision=FollowUp.Decision.CONTINUE,
            decision_reasons="Godt i gang.",
        )
    assert "next_dates" in exc.value.message_dict
    assert deadline(measure_case, "first_followup").is_open


# --- the 16th and 18th birthdays -------------------------------------------------------------


def youth_case(personas, born: dt.date, **kwargs):
    citizen = f.CitizenFactory(cpr=f.fictitious_cpr(born))
    return f.CaseFactory(citizen=citizen, owner=personas.owner, **kwargs)


TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def on_today():
    with time_machine.travel(local(2026, 6, 1, 3, 0), tick=False):
        yield


def test_ungeplan_scheduled_once_its_due_date_is_within_the_horizon(personas, on_today):
    # 16 on 1 Jan 2027: due 1 Apr 2027, ten months ahead: not yet.
    later = youth_case(personas, dt.date(2011, 1, 1))
    # 16 on 1 Sept 2026: due 1 Dec 2026, six months ahead: now.
    soon = youth_case(personas, dt.date(2010, 9, 1))
    assert deadlines_schedule_birthdays(today=TODAY) == 1
    ungeplan = deadline(soon, "ungeplan")
    assert ungeplan.due_at == end_of(dt.date(2026, 12, 1))
    assert ungeplan.notification is None and ungeplan.measure is None
    assert not later.deadlines.exists()
    # Every sweep runs it: once per case.
    assert deadlines_schedule_birthdays(today=TODAY) == 0
    assert deadlines_schedule_birthdays(today=dt.date(2026, 6, 2)) == 0
    assert soon.deadlines.filter(rule__code="ungeplan").count() == 1
    # A few months on, the other case's deadline comes within the horizon.
    with time_machine.travel(local(2026, 10, 15, 3, 0), tick=False):
        assert deadlines_schedule_birthdays() == 1
    assert deadline(later, "ungeplan").due_at == end_of(dt.date(2027, 4, 1))


def test_after_18_scheduled_six_months_before_the_birthday(personas, on_today):
    # 18 on 20 May 2027: decision due 20 Nov 2026.
    case = youth_case(personas, dt.date(2009, 5, 20))
    # 18 on 1 Sept 2027: decision due 1 March 2027, nine months ahead: not yet.
    later = youth_case(personas, dt.date(2009, 9, 1))
    created = deadlines_schedule_birthdays(today=TODAY)
    assert deadline(case, "after_18").due_at == end_of(dt.date(2026, 11, 20))
    assert not later.deadlines.filter(rule__code="after_18").exists()
    # The ungeplans (due 20.08.2025 and 01.12.2025) fell due before these cases opened today:
    # not the sweep's, the opening's, due the day the case opens (test_deadline_corrections).
    assert not Deadline.objects.filter(rule__code="ungeplan").exists()
    assert created == 1
    assert deadlines_schedule_birthdays(today=TODAY) == 0
    assert deadlines_schedule_on_opening(case=case) == 1
    assert deadline(case, "ungeplan").due_at == end_of(TODAY)


def test_no_birthday_deadlines_for_closed_cases_adults_or_existing_youth_plans(
    personas, org, on_today
):
    youth_case(personas, dt.date(2010, 9, 1), status=CaseStatus.CLOSED)
    youth_case(personas, dt.date(2008, 5, 1))  # already 18
    with_plan = youth_case(personas, dt.date(2010, 9, 1), status=CaseStatus.MEASURE)
    Plan.objects.create(case=with_plan, kind=Plan.Kind.YOUTH_PLAN, created_by=personas.owner)
    assert deadlines_schedule_birthdays(today=TODAY) == 0
    assert not Deadline.objects.exists()


def test_ungeplan_met_when_the_plan_becomes_an_ungeplan(personas, org, on_today):
    case = youth_case(personas, dt.date(2010, 9, 1), status=CaseStatus.MEASURE)
    plan = Plan.objects.create(case=case, kind=Plan.Kind.CHILDS_PLAN, created_by=personas.owner)
    deadlines_schedule_birthdays(today=TODAY)
    ungeplan = deadline(case, "ungeplan")
    plan_update(plan=plan, purpose="Mere skole.")
    ungeplan.refresh_from_db()
    assert ungeplan.is_open
    plan_update(plan=plan, kind=Plan.Kind.YOUTH_PLAN)
    ungeplan.refresh_from_db()
    assert ungeplan.met_at == local(2026, 6, 1, 3, 0)
    assert ungeplan.met_by_event == "Ungeplan oprettet"
    # A youth plan from the start meets it too (the plan is made for a 16-year-old).
    assert deadlines_schedule_birthdays(today=TODAY) == 0


def test_after_18_met_by_the_recorded_decision(personas, on_today):
    case = youth_case(personas, dt.date(2009, 5, 20), status=CaseStatus.MEASURE)
    deadlines_schedule_on_opening(case=case)  # the ungeplan, due today
    deadlines_schedule_birthdays(today=TODAY)
    after_18 = deadline(case, "after_18")

    with pytest.raises(ValidationError) as exc:
        after_18_decision_record(
            case=case, user=personas.owner, decided_on=dt.date(2026, 6, 2), decision="  "
        )
    assert set(exc.value.message_dict) == {"decision", "decided_on"}
    after_18.refresh_from_db()
    assert after_18.is_open

    note = after_18_decision_record(
        case=case,
        user=personas.owner,
        decided_on=dt.date(2026, 5, 28),
        decision="Efterværn med kontaktperson til 20 år.",
    )
    assert "28.05.2026" in note.text and "kontaktperson" in note.text
    after_18.refresh_from_db()
    assert after_18.met_at == local(2026, 5, 28, 12, 0)
    assert after_18.met_by_event == "Afgørelse om støtte efter 18 år registreret"
    # The ungeplan is a different decision and stays open.
    assert deadline(case, "ungeplan").is_open


def test_after_18_handled_otherwise_with_a_reason(personas, on_today):
    case = youth_case(personas, dt.date(2009, 5, 20), status=CaseStatus.MEASURE)
    deadlines_schedule_birthdays(today=TODAY)
    after_18 = deadline(case, "after_18")
    with pytest.raises(ValidationError):
        deadline_handle_otherwise(deadline=after_18, user=personas.owner, reason=" ")
    deadline_handle_otherwise(
        deadline=after_18, user=personas.owner, reason="Familien fraflytter kommunen."
    )
    after_18.refresh_from_db()
    assert not after_18.is_open and after_18.met_at is None
    # Handled otherwise is never scheduled again.
    assert deadlines_schedule_birthdays(today=TODAY) == 0
