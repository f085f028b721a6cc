"""The deadline engine: computes DOMAIN.md's statutory deadlines from the rule table."""

import datetime as dt
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Measure, Notification
from familievaerft.models import User

from .models import Deadline, DeadlineRule


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


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def compute_due(rule: DeadlineRule, start: dt.datetime) -> dt.datetime:
    """When a deadline of ``rule`` triggered at ``start`` falls due."""
    local_start = timezone.localtime(start)
    if rule.unit == DeadlineRule.Unit.HOURS:
        # Elapsed hours, in UTC: aware arithmetic in Europe/Copenhagen is wall-clock time and
        # would make "24 hours" 23 or 25 hours across a change to or from summer time.
        return start.astimezone(dt.UTC) + dt.timedelta(hours=rule.offset)
    if rule.unit == DeadlineRule.Unit.WORKING_DAYS:
        return _end_of_day(add_working_days(local_start.date(), rule.offset))
    if rule.unit == DeadlineRule.Unit.DAYS:
        return _end_of_day(local_start.date() + dt.timedelta(days=rule.offset))
    return _end_of_day(local_start.date() + relativedelta(months=rule.offset))


def deadline_schedule(
    *,
    case: Case,
    rule_code: str,
    start: dt.datetime,
    notification: Notification | None = None,
    measure: Measure | None = None,
) -> Deadline | None:
    """Create the deadline ``rule_code`` triggered at ``start``; idempotent per triggering event."""
    rule = DeadlineRule.objects.filter(code=rule_code, active=True).first()
    if rule is None:
        return None
    due_at = compute_due(rule, start)
    if notification is None and measure is None:
        # No row to hang a unique constraint on (e.g. a birthday): the event is the case,
        # the rule and the moment it falls due.
        existing = Deadline.objects.filter(
            case=case, rule=rule, notification=None, measure=None, due_at=due_at
        ).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return Deadline.objects.create(
                case=case,
                rule=rule,
                due_at=due_at,
                notification=notification,
                measure=measure,
            )
    except IntegrityError:
        return Deadline.objects.get(rule=rule, notification=notification, measure=measure)


def deadlines_meet(
    *,
    case: Case,
    rule_code: str,
    event: str,
    at: dt.datetime | None = None,
    notification: Notification | None = None,
    measure: Measure | None = None,
) -> int:
    """Mark the open deadlines of ``rule_code`` met by ``event``. Returns how many were met."""
    qs = Deadline.objects.filter(
        case=case, rule__code=rule_code, met_at=None, handled_otherwise_at=None
    )
    if notification is not None:
        qs = qs.filter(notification=notification)
    if measure is not None:
        qs = qs.filter(measure=measure)
    return qs.update(met_at=at or timezone.now(), met_by_event=event[:200])


def deadline_handle_otherwise(*, deadline: Deadline, user: User, reason: str) -> Deadline:
    """A deadline deliberately handled another way, with the reason on record."""
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv en begrundelse.")})
    if not deadline.is_open:
        raise ValidationError(_("Fristen er allerede opfyldt eller håndteret."))
    deadline.handled_otherwise_at = timezone.now()
    deadline.handled_otherwise_reason = reason.strip()
    deadline.handled_by = user
    deadline.save(update_fields=["handled_otherwise_at", "handled_otherwise_reason", "handled_by"])
    return deadline


def deadlines_close_for_case(*, case: Case, user: User, reason: str) -> int:
    """When a case closes, its open deadlines are handled otherwise with the closing reason."""
    return Deadline.objects.filter(case=case, met_at=None, handled_otherwise_at=None).update(
        handled_otherwise_at=timezone.now(),
        handled_otherwise_reason=reason[:1000],
        handled_by=user,
    )
