"""Working-day arithmetic and the deadline engine (cases/working_days.py, cases/deadlines.py),
for any start in 1900–2100 including the nights summer time begins and ends in
Europe/Copenhagen.

The holidays are checked against an oracle written here from the Danish calendar (Easter via
dateutil), not against the ``holidays`` library the app uses.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cases.models import DeadlineRule
from cases.working_days import add_working_days, compute_due, end_of_day, is_working_day

CPH = ZoneInfo("Europe/Copenhagen")
FIRST, LAST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def danish_holidays(year: int) -> set[dt.date]:
    """Helligdage: fixed days and those that follow Easter; Store Bededag until 2023."""
    e = easter(year)
    after_easter = [-3, -2, 0, 1, 39, 49, 50] + ([26] if year <= 2023 else [])
    fixed = {dt.date(year, 1, 1), dt.date(year, 12, 25), dt.date(year, 12, 26)}
    return fixed | {e + dt.timedelta(days=d) for d in after_easter}


def oracle_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in danish_holidays(day.year)


dates = st.dates(min_value=FIRST, max_value=LAST - dt.timedelta(days=60))
counts = st.integers(min_value=0, max_value=30)


@st.composite
def dst_nights(draw):
    """A moment within a day and a half of a change to or from summer time (1980–2100)."""
    year = draw(st.integers(min_value=1981, max_value=2099))
    month = draw(st.sampled_from([3, 10]))
    last_sunday = max(
        dt.date(year, month, d) for d in range(25, 32) if dt.date(year, month, d).weekday() == 6
    )
    change = dt.datetime.combine(last_sunday, dt.time(1), tzinfo=dt.UTC)  # 01:00 UTC
    return (change + dt.timedelta(minutes=draw(st.integers(-36 * 60, 36 * 60)))).astimezone(CPH)


aware = st.one_of(
    st.datetimes(
        min_value=dt.datetime(1900, 1, 2),
        max_value=dt.datetime(2100, 10, 1),
        timezones=st.just(CPH),
    ),
    dst_nights(),
)


@settings(max_examples=150)
@given(st.dates(min_value=FIRST, max_value=LAST))
def test_working_days_are_weekdays_that_are_not_holidays(day):
    assert is_working_day(day) == oracle_working_day(day)


@settings(max_examples=150)
@given(dates, counts)
def test_adding_working_days_lands_on_a_working_day_after_exactly_n_of_them(start, n):
    end = add_working_days(start, n)
    if n == 0:
        assert end == start
        return
    assert end > start
    assert oracle_working_day(end)
    between = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(oracle_working_day(d) for d in between) == n
    # The span is the n working days and the holidays between them, on weekdays, plus their
    # weekends: W weekdays (ending on one) span at most 7 * W / 5 + 2 days (starting on a
    # Friday). Around Easter before 2024 (Store Bededag) that is more than "n + one week".
    weekdays = sum(d.weekday() < 5 for d in between)
    assert weekdays >= n
    assert (end - start).days <= 7 * weekdays // 5 + 2


@settings(max_examples=100)
@given(dates, counts, counts)
def test_adding_working_days_is_monotone_in_n(start, a, b):
    a, b = sorted((a, b))
    if a < b:
        assert add_working_days(start, a) < add_working_days(start, b)
    else:
        assert add_working_days(start, a) == add_working_days(start, b)


@settings(max_examples=100)
@given(dates, st.integers(min_value=0, max_value=20), counts)
def test_adding_working_days_is_monotone_in_the_start(start, later_by, n):
    later = start + dt.timedelta(days=later_by)
    assert add_working_days(start, n) <= add_working_days(later, n)


@settings(max_examples=100)
@given(dates, st.integers(min_value=1, max_value=15), st.integers(min_value=1, max_value=15))
def test_working_days_add_up(start, a, b):
    assert add_working_days(add_working_days(start, a), b) == add_working_days(start, a + b)


@settings(max_examples=150)
@given(st.dates(min_value=FIRST, max_value=LAST))
def test_end_of_day_is_the_last_second_of_that_local_day(day):
    end = end_of_day(day)
    local = end.astimezone(CPH)
    assert (local.date(), local.time()) == (day, dt.time(23, 59, 59))
    assert (end + dt.timedelta(seconds=1)).astimezone(CPH).date() == day + dt.timedelta(days=1)


def rule(unit: str, offset: int) -> DeadlineRule:
    return DeadlineRule(code="x", unit=unit, offset=offset)


@settings(max_examples=150)
@given(aware, st.sampled_from([1, 24, 48, 72]))
def test_hours_are_real_elapsed_hours_across_summer_time(start, hours):
    due = compute_due(rule(DeadlineRule.Unit.HOURS, hours), start)
    assert due.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=hours)
    assert due.timestamp() - start.timestamp() == hours * 3600


@settings(max_examples=150)
@given(aware, st.integers(min_value=1, max_value=20))
def test_working_day_deadlines_fall_due_at_the_end_of_a_working_day(start, n):
    due = compute_due(rule(DeadlineRule.Unit.WORKING_DAYS, n), start)
    local = due.astimezone(CPH)
    assert local.time() == dt.time(23, 59, 59)
    assert oracle_working_day(local.date())
    assert local.date() > start.astimezone(CPH).date()
    assert due > start


@settings(max_examples=150)
@given(aware, st.sampled_from([1, 3, 4, 6, 12]))
def test_month_deadlines_are_end_of_day_on_the_same_day_of_month_and_never_before_start(
    start, months
):
    due = compute_due(rule(DeadlineRule.Unit.MONTHS, months), start)
    local_start, local = start.astimezone(CPH), due.astimezone(CPH)
    assert local.time() == dt.time(23, 59, 59)
    assert due > start
    assert local.date() == local_start.date() + relativedelta(months=months)
    # The day of month is kept where the month has it; otherwise its last day (31.01 → 28/29.02).
    assert local.day == local_start.day or (
        local.day < local_start.day and (local.date() + dt.timedelta(days=1)).day == 1
    )


@settings(max_examples=100)
@given(aware, aware, st.sampled_from(list(DeadlineRule.Unit)), st.integers(0, 12))
def test_every_rule_is_monotone_in_the_start(a, b, unit, offset):
    assume(a != b)
    early, late = sorted((a, b))
    r = rule(unit, offset)
    assert compute_due(r, early) <= compute_due(r, late)


@settings(max_examples=100)
@given(aware)
def test_negative_months_fall_before_the_event(start):
    # after_18: six months before the 18th birthday.
    due = compute_due(rule(DeadlineRule.Unit.MONTHS, -6), start)
    assert due.astimezone(CPH).date() == start.astimezone(CPH).date() - relativedelta(months=6)
    assert due < start + dt.timedelta(days=1)


# --- through the engine and the database -----------------------------------------------------


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(start=st.one_of(dst_nights(), aware))
def test_scheduled_deadlines_survive_the_database_and_are_idempotent(case, start):
    from django.db import transaction

    from cases.deadlines import deadline_schedule
    from cases.models import Notification

    notification = Notification.objects.get(case=case)
    with transaction.atomic():
        acute = deadline_schedule(
            case=case, rule_code="acute_judgement", start=start, notification=notification
        )
        receipt = deadline_schedule(
            case=case, rule_code="receipt", start=start, notification=notification
        )
        again = deadline_schedule(
            case=case, rule_code="acute_judgement", start=start, notification=notification
        )
        assert acute is not None and receipt is not None and again is not None
        assert again.pk == acute.pk
        acute.refresh_from_db()
        receipt.refresh_from_db()
        assert acute.due_at.timestamp() - start.timestamp() == 24 * 3600
        local = receipt.due_at.astimezone(CPH)
        assert local.time() == dt.time(23, 59, 59) and oracle_working_day(local.date())
        transaction.set_rollback(True)
