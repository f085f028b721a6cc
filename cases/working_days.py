"""Pure date arithmetic for statutory deadlines: working days and due times from a rule."""

import datetime as dt
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases.models import DeadlineRule


@lru_cache(maxsize=64)
def _danish_holidays(year: int) -> frozenset[dt.date]:
    # The maintained library knows Store Bededag stopped being a holiday from 2024.
    return frozenset(holidays.Denmark(years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _danish_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (weekends and public holidays skipped)."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def end_of_day(day: dt.date) -> dt.datetime:
    """The last second of ``day``, local time: when a deadline counted in days falls due."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def compute_due(rule: DeadlineRule, start: dt.datetime) -> dt.datetime:
    """When a deadline of ``rule`` triggered at ``start`` falls due."""
    local_start = timezone.localtime(start)
    if rule.unit == DeadlineRule.Unit.HOURS:
        # Elapsed hours, in UTC: aware arithmetic in Europe/Copenhagen is wall-clock time and
        # would make "24 hours" 23 or 25 hours across a change to or from summer time.
        return start.astimezone(dt.UTC) + dt.timedelta(hours=rule.offset)
    if rule.unit == DeadlineRule.Unit.WORKING_DAYS:
        return end_of_day(add_working_days(local_start.date(), rule.offset))
    if rule.unit == DeadlineRule.Unit.DAYS:
        return end_of_day(local_start.date() + dt.timedelta(days=rule.offset))
    return end_of_day(local_start.date() + relativedelta(months=rule.offset))
