"""The deadline engine: working days, statutory periods, scheduling and meeting deadlines."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.deadlines import (
    deadline_handle_otherwise,
    deadline_schedule,
    deadlines_close_for_case,
    deadlines_meet,
)
from cases.models import Deadline, DeadlineRule, Notification
from cases.working_days import add_working_days, compute_due, is_working_day
from demo import factories as f

CPH = ZoneInfo("Europe/Copenhagen")


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CPH)


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=CPH)


def rule(code: str) -> DeadlineRule:
    return DeadlineRule.objects.get(code=code)


# --- working days ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2026, 1, 1), False),  # nytårsdag
        (dt.date(2026, 1, 2), True),
        (dt.date(2026, 1, 3), False),  # Saturday
        (dt.date(2026, 1, 4), False),  # Sunday
        (dt.date(2026, 4, 2), False),  # skærtorsdag
        (dt.date(2026, 4, 3), False),  # langfredag
        (dt.date(2026, 4, 6), False),  # 2. påskedag
        (dt.date(2026, 4, 7), True),
        (dt.date(2026, 5, 14), False),  # Kristi himmelfartsdag
        (dt.date(2026, 5, 25), False),  # 2. pinsedag
        (dt.date(2026, 12, 25), False),  # juledag
        (dt.date(2024, 12, 26), False),  # 2. juledag
        # Not public holidays under the Danish holiday act (see report: a domain question).
        (dt.date(2024, 12, 24), True),
        (dt.date(2024, 12, 31), True),
        (dt.date(2026, 6, 5), True),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_store_bededag_is_a_holiday_in_2023_and_a_working_day_from_2024():
    # The fourth Friday after Easter: 5 May 2023, 26 April 2024, 1 May 2026.
    assert is_working_day(dt.date(2023, 5, 5)) is False
    assert is_working_day(dt.date(2024, 4, 26)) is True
    assert is_working_day(dt.date(2026, 5, 1)) is True
    # Thursday + 1 working day jumps the long weekend in 2023, not in 2024.
    assert add_working_days(dt.date(2023, 5, 4), 1) == dt.date(2023, 5, 8)
    assert add_working_days(dt.date(2024, 4, 25), 1) == dt.date(2024, 4, 26)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2026, 1, 12), 0, dt.date(2026, 1, 12)),
        (dt.date(2026, 1, 12), 1, dt.date(2026, 1, 13)),  # Monday → Tuesday
        (dt.date(2026, 1, 16), 1, dt.date(2026, 1, 19)),  # Friday → Monday
        (dt.date(2026, 1, 17), 1, dt.date(2026, 1, 19)),  # Saturday → Monday
        (dt.date(2026, 1, 12), 6, dt.date(2026, 1, 20)),
        # The Friday before Easter 2026: Thursday, Good Friday and Easter Monday are skipped.
        (dt.date(2026, 3, 27), 6, dt.date(2026, 4, 9)),
        # Good Friday itself.
        (dt.date(2026, 4, 3), 6, dt.date(2026, 4, 14)),
        # Christmas and New Year 2024/25, across the turn of the year.
        (dt.date(2024, 12, 23), 6, dt.date(2025, 1, 3)),
        (dt.date(2026, 12, 23), 2, dt.date(2026, 12, 28)),
        # Ascension Day and Whitsun 2026.
        (dt.date(2026, 5, 13), 1, dt.date(2026, 5, 15)),
        (dt.date(2026, 5, 22), 1, dt.date(2026, 5, 26)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


# --- computing due dates from the rule table -------------------------------------------------


def test_rule_table_matches_domain_brief(db):
    rules = {r.code: (r.offset, r.unit) for r in DeadlineRule.objects.all()}
    assert rules["acute_judgement"] == (24, "hours")
    assert rules["receipt"] == (6, "working_days")
    assert rules["assessment"] == (4, "months")
    assert rules["plan"] == (3, "months")
    assert rules["first_followup"] == (3, "months")
    assert rules["ungeplan"] == (3, "months")
    assert rules["after_18"] == (-6, "months")


def test_receipt_for_a_notification_received_on_the_friday_before_easter(db):
    received = local(2026, 3, 27, 14, 30)
    assert compute_due(rule("receipt"), received) == end_of(dt.date(2026, 4, 9))


def test_receipt_uses_the_danish_date_not_the_utc_date(db):
    # Monday 00:30 in Copenhagen is still Sunday in UTC.
    received = local(2026, 1, 12, 0, 30)
    assert compute_due(rule("receipt"), received.astimezone(dt.UTC)) == end_of(dt.date(2026, 1, 20))


@pytest.mark.parametrize(
    "received",
    [
        local(2026, 1, 15, 10, 0),
        # Across the change to summer time (29 March 2026) and back (25 October 2026):
        # 24 hours are 24 real hours, not "the same time tomorrow".
        local(2026, 3, 28, 12, 0),
        local(2026, 10, 24, 12, 0),
    ],
)
def test_acute_judgement_is_due_24_hours_after_receipt(db, received):
    due = compute_due(rule("acute_judgement"), received)
    assert due - received == dt.timedelta(hours=24)
    assert due.astimezone(dt.UTC) - received.astimezone(dt.UTC) == dt.timedelta(hours=24)


def test_acute_judgement_across_summer_time_in_local_time(db):
    due = compute_due(rule("acute_judgement"), local(2026, 3, 28, 12, 0))
    assert due.astimezone(CPH).replace(tzinfo=None) == dt.datetime(2026, 3, 29, 13, 0)


@pytest.mark.parametrize(
    ("received", "due_day"),
    [
        (local(2026, 1, 15, 10, 0), dt.date(2026, 5, 15)),
        (local(2025, 10, 31, 9, 0), dt.date(2026, 2, 28)),  # no 31 February
        (local(2023, 10, 31, 9, 0), dt.date(2024, 2, 29)),  # leap year
        (local(2026, 10, 30, 9, 0), dt.date(2027, 2, 28)),
        (local(2026, 8, 31, 9, 0), dt.date(2026, 12, 31)),
        (local(2026, 1, 31, 0, 30), dt.date(2026, 5, 31)),  # 30 January in UTC
    ],
)
def test_assessment_is_due_4_months_after_the_concern(db, received, due_day):
    assert compute_due(rule("assessment"), received) == end_of(due_day)


@pytest.mark.parametrize("code", ["plan", "first_followup"])
@pytest.mark.parametrize(
    ("started", "due_day"),
    [
        (local(2026, 2, 2, 9, 0), dt.date(2026, 5, 2)),
        (local(2026, 11, 30, 9, 0), dt.date(2027, 2, 28)),
        (local(2026, 5, 31, 9, 0), dt.date(2026, 8, 31)),
    ],
)
def test_plan_and_first_followup_are_due_3_months_after_the_measure_starts(
    db, code, started, due_day
):
    assert compute_due(rule(code), started) == end_of(due_day)


def test_support_after_18_is_due_6_months_before_the_birthday(db):
    assert compute_due(rule("after_18"), local(2027, 8, 31, 0, 0)) == end_of(dt.date(2027, 2, 28))


def test_days_unit(db):
    days_rule = DeadlineRule(code="days", offset=14, unit=DeadlineRule.Unit.DAYS)
    assert compute_due(days_rule, local(2026, 2, 20, 8, 0)) == end_of(dt.date(2026, 3, 6))


# --- scheduling ------------------------------------------------------------------------------


@pytest.fixture
def notification(db):
    case = f.CaseFactory()
    return f.NotificationFactory(case=case, received_at=local(2026, 3, 27, 14, 30))


def schedule(notification: Notification, code: str) -> Deadline:
    """Schedule the deadline `code` from the notification's receipt; it must be created."""
    deadline = deadline_schedule(
        case=notification.case,
        rule_code=code,
        start=notification.received_at,
        notification=notification,
    )
    assert deadline is not None
    return deadline


def test_deadline_schedule_creates_the_deadline(notification):
    deadline = schedule(notification, "receipt")
    deadline.refresh_from_db()
    assert deadline.case == notification.case
    assert deadline.rule.code == "receipt"
    assert deadline.notification == notification
    assert deadline.due_at == end_of(dt.date(2026, 4, 9))
    assert deadline.is_open


def test_deadline_schedule_is_idempotent_per_notification(notification):
    first = schedule(notification, "acute_judgement")
    again = schedule(notification, "acute_judgement")
    assert again.pk == first.pk
    assert Deadline.objects.filter(notification=notification).count() == 1
    # The same rule for another notification on the same case is another deadline.
    other = f.NotificationFactory(case=notification.case)
    deadline_schedule(
        case=notification.case,
        rule_code="acute_judgement",
        start=other.received_at,
        notification=other,
    )
    assert Deadline.objects.filter(case=notification.case).count() == 2


def test_deadline_schedule_is_idempotent_per_measure(db):
    measure = f.MeasureFactory(start_date=dt.date(2026, 2, 2))
    start = local(2026, 2, 2, 9, 0)
    for _ in range(3):
        deadline_schedule(case=measure.case, rule_code="plan", start=start, measure=measure)
        deadline_schedule(
            case=measure.case, rule_code="first_followup", start=start, measure=measure
        )
    assert sorted(
        Deadline.objects.filter(measure=measure).values_list("rule__code", flat=True)
    ) == [
        "first_followup",
        "plan",
    ]


def test_deadline_schedule_is_idempotent_for_events_without_notification_or_measure(db):
    # A birthday is the triggering event of the ungeplan deadline: there is no row to point at,
    # and a nightly job may well schedule it more than once.
    case = f.CaseFactory()
    birthday = local(2026, 6, 15, 0, 0)
    first = deadline_schedule(case=case, rule_code="ungeplan", start=birthday)
    again = deadline_schedule(case=case, rule_code="ungeplan", start=birthday)
    assert first is not None and again is not None
    assert again.pk == first.pk
    assert Deadline.objects.filter(case=case, rule__code="ungeplan").count() == 1
    # The same rule on another case is another deadline.
    deadline_schedule(case=f.CaseFactory(), rule_code="ungeplan", start=birthday)
    assert Deadline.objects.filter(rule__code="ungeplan").count() == 2


def test_deadline_schedule_unknown_or_inactive_rule_creates_nothing(notification):
    assert (
        deadline_schedule(case=notification.case, rule_code="nonsense", start=local(2026, 1, 1))
        is None
    )
    DeadlineRule.objects.filter(code="receipt").update(active=False)
    assert (
        deadline_schedule(
            case=notification.case,
            rule_code="receipt",
            start=notification.received_at,
            notification=notification,
        )
        is None
    )
    assert not Deadline.objects.exists()


def test_idempotent_schedule_does_not_break_the_surrounding_transaction(notification):
    kwargs = {
        "case": notification.case,
        "rule_code": "receipt",
        "start": notification.received_at,
        "notification": notification,
    }
    deadline_schedule(**kwargs)
    deadline_schedule(**kwargs)
    # Still usable after the refused duplicate: a broken transaction would raise here.
    assert Deadline.objects.count() == 1


# --- meeting deadlines -----------------------------------------------------------------------


def _schedule_all(notification):
    return {
        code: schedule(notification, code) for code in ("acute_judgement", "receipt", "assessment")
    }


def test_deadlines_meet_only_meets_the_matching_deadlines(notification):
    case = notification.case
    other_notification = f.NotificationFactory(case=case, received_at=local(2026, 3, 28, 9, 0))
    other_case_notification = f.NotificationFactory(received_at=local(2026, 3, 27, 15, 0))
    mine = _schedule_all(notification)
    sibling = _schedule_all(other_notification)
    elsewhere = _schedule_all(other_case_notification)

    met_at = local(2026, 3, 28, 10, 0)
    count = deadlines_meet(
        case=case,
        rule_code="acute_judgement",
        notification=notification,
        at=met_at,
        event="Akut vurdering registreret",
    )

    assert count == 1
    for group in (mine, sibling, elsewhere):
        for deadline in group.values():
            deadline.refresh_from_db()
    assert mine["acute_judgement"].met_at == met_at
    assert mine["acute_judgement"].met_by_event == "Akut vurdering registreret"
    assert mine["acute_judgement"].was_late is False
    assert mine["receipt"].met_at is None
    assert mine["assessment"].met_at is None
    assert all(d.met_at is None for d in sibling.values())
    assert all(d.met_at is None for d in elsewhere.values())


def test_deadlines_meet_without_notification_meets_all_of_the_rule_on_the_case(notification):
    case = notification.case
    other_notification = f.NotificationFactory(case=case, received_at=local(2026, 3, 28, 9, 0))
    _schedule_all(notification)
    _schedule_all(other_notification)
    elsewhere = _schedule_all(f.NotificationFactory(received_at=local(2026, 3, 27, 15, 0)))

    assert deadlines_meet(case=case, rule_code="assessment", event="Undersøgelse afsluttet") == 2
    assert not case.deadlines.filter(rule__code="assessment", met_at=None).exists()
    assert case.deadlines.filter(met_at=None).count() == 4
    elsewhere["assessment"].refresh_from_db()
    assert elsewhere["assessment"].met_at is None


def test_deadlines_meet_leaves_met_and_handled_deadlines_alone(notification):
    deadlines = _schedule_all(notification)
    first_met = local(2026, 3, 27, 16, 0)
    deadlines_meet(
        case=notification.case, rule_code="acute_judgement", at=first_met, event="første"
    )
    user = f.UserFactory()
    deadline_handle_otherwise(deadline=deadlines["receipt"], user=user, reason="Anonym i praksis")

    assert deadlines_meet(case=notification.case, rule_code="acute_judgement", event="igen") == 0
    assert deadlines_meet(case=notification.case, rule_code="receipt", event="for sent") == 0
    deadlines["acute_judgement"].refresh_from_db()
    deadlines["receipt"].refresh_from_db()
    assert deadlines["acute_judgement"].met_at == first_met
    assert deadlines["acute_judgement"].met_by_event == "første"
    assert deadlines["receipt"].met_at is None


def test_deadlines_meet_by_measure(db):
    case = f.CaseFactory(status="measure")
    measure_a = f.MeasureFactory(case=case)
    measure_b = f.MeasureFactory(case=case)
    start = local(2026, 2, 2, 9, 0)
    for measure in (measure_a, measure_b):
        deadline_schedule(case=case, rule_code="plan", start=start, measure=measure)
        deadline_schedule(case=case, rule_code="first_followup", start=start, measure=measure)

    assert deadlines_meet(case=case, rule_code="first_followup", measure=measure_a, event="x") == 1
    open_codes = set(case.deadlines.filter(met_at=None).values_list("rule__code", "measure_id"))
    assert open_codes == {
        ("plan", measure_a.pk),
        ("plan", measure_b.pk),
        ("first_followup", measure_b.pk),
    }


def test_a_deadline_met_after_it_fell_due_was_late(notification):
    deadline = schedule(notification, "acute_judgement")
    deadlines_meet(
        case=notification.case,
        rule_code="acute_judgement",
        at=notification.received_at + dt.timedelta(hours=25),
        event="sent",
    )
    deadline.refresh_from_db()
    assert deadline.was_late is True


# --- handled otherwise -----------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_handle_otherwise_requires_a_reason(notification, reason):
    deadline = schedule(notification, "receipt")
    with pytest.raises(ValidationError) as exc:
        deadline_handle_otherwise(deadline=deadline, user=f.UserFactory(), reason=reason)
    assert exc.value.message_dict == {"reason": ["Skriv en begrundelse."]}
    deadline.refresh_from_db()
    assert deadline.is_open
    assert deadline.handled_otherwise_at is None


def test_handle_otherwise_records_reason_user_and_time(notification):
    deadline = schedule(notification, "receipt")
    user = f.UserFactory()
    with time_machine.travel(local(2026, 3, 30, 11, 0), tick=False):
        deadline_handle_otherwise(deadline=deadline, user=user, reason="  Underretter ukendt  ")
    deadline.refresh_from_db()
    assert deadline.handled_otherwise_at == local(2026, 3, 30, 11, 0)
    assert deadline.handled_otherwise_reason == "Underretter ukendt"
    assert deadline.handled_by == user
    assert not deadline.is_open
    assert deadline.met_at is None

    with pytest.raises(ValidationError) as exc:
        deadline_handle_otherwise(deadline=deadline, user=user, reason="igen")
    assert exc.value.messages == ["Fristen er allerede opfyldt eller håndteret."]


def test_a_met_deadline_cannot_be_handled_otherwise(notification):
    deadline = schedule(notification, "receipt")
    deadlines_meet(case=notification.case, rule_code="receipt", event="Kvittering sendt")
    deadline.refresh_from_db()
    with pytest.raises(ValidationError):
        deadline_handle_otherwise(deadline=deadline, user=f.UserFactory(), reason="x")


def test_deadlines_close_for_case_handles_only_open_deadlines_of_that_case(notification):
    deadlines = _schedule_all(notification)
    elsewhere = _schedule_all(f.NotificationFactory(received_at=local(2026, 3, 27, 15, 0)))
    deadlines_meet(case=notification.case, rule_code="acute_judgement", event="vurderet")
    user = f.UserFactory()

    assert deadlines_close_for_case(case=notification.case, user=user, reason="Lukket") == 2

    for deadline in [*deadlines.values(), *elsewhere.values()]:
        deadline.refresh_from_db()
    assert deadlines["acute_judgement"].handled_otherwise_at is None
    assert deadlines["acute_judgement"].met_at is not None
    for code in ("receipt", "assessment"):
        assert deadlines[code].handled_otherwise_reason == "Lukket"
        assert deadlines[code].handled_by == user
        assert not deadlines[code].is_open
    assert all(d.is_open for d in elsewhere.values())


# --- overdue ---------------------------------------------------------------------------------


def test_is_overdue_follows_the_clock(notification):
    deadline = schedule(notification, "receipt")
    assert deadline.due_at == end_of(dt.date(2026, 4, 9))

    with time_machine.travel(local(2026, 4, 9, 12, 0), tick=False):
        assert deadline.is_overdue is False
    with time_machine.travel(local(2026, 4, 9, 23, 59, 58), tick=False):
        assert deadline.is_overdue is False
    with time_machine.travel(local(2026, 4, 10, 0, 0, 1), tick=False):
        assert deadline.is_overdue is True
        deadlines_meet(case=notification.case, rule_code="receipt", event="Kvittering sendt")
        deadline.refresh_from_db()
        assert deadline.is_overdue is False
        assert deadline.was_late is True


def test_a_deadline_handled_otherwise_is_never_overdue(notification):
    deadline = schedule(notification, "acute_judgement")
    with time_machine.travel(local(2026, 4, 1, 12, 0), tick=False):
        assert deadline.is_overdue is True
        deadline_handle_otherwise(deadline=deadline, user=f.UserFactory(), reason="Ingen grund")
        assert deadline.is_overdue is False
