"""The deadline engine: computes DOMAIN.md's statutory deadlines from the rule table."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Measure, Notification
from familievaerft.models import User

from .deadlines import compute_due
from .models import Deadline, DeadlineRule


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
