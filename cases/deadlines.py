"""The deadline engine: the statutory deadlines of Barnets Lov, computed from the rule table.

The rules are data (``cases.DeadlineRule``, loaded by cases/migrations/0003_deadline_rules.py;
the table is in docs/domain.md); the date arithmetic is cases/working_days.py. Here: a deadline
scheduled once per triggering event, met by the event that fulfils it or handled otherwise with
a reason, closed with its case, and the birthday deadlines (ungeplan, support after 18) that
every reminder sweep schedules.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import (
    Case,
    CaseStatus,
    Deadline,
    DeadlineRule,
    JournalNote,
    Measure,
    Notification,
)
from cases.working_days import compute_due


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
        return _deadline_once_per_case(case=case, rule=rule, due_at=due_at)[0]
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


def _deadline_once_per_case(
    *, case: Case, rule: DeadlineRule, due_at: dt.datetime
) -> tuple[Deadline, bool]:
    """A deadline without a triggering row (e.g. a birthday): the event is the case, the rule
    and the moment it falls due. Returns (deadline, created).

    There is no row to hang a unique constraint on, so two sweeps scheduling the same
    birthday at once are serialised on the case row: the second finds the first's deadline.
    """
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").first()
        existing = Deadline.objects.filter(
            case=case, rule=rule, notification=None, measure=None, due_at=due_at
        ).first()
        if existing is not None:
            return existing, False
        return Deadline.objects.create(case=case, rule=rule, due_at=due_at), True


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


# --- deadlines that come with the child's age ------------------------------------------------

# How long before it falls due a birthday deadline appears on the case and the deadline list.
BIRTHDAY_HORIZON = dt.timedelta(days=183)


def deadlines_schedule_birthdays(*, today: dt.date | None = None) -> int:
    """Schedule the ungeplan (§ 108) and support-after-18 (§ 111) deadlines coming up.

    Run by every sweep: a deadline appears once its due date is within ``BIRTHDAY_HORIZON``
    (or already past, for a case opened late), for open cases of children under 18, once per
    case. Returns how many deadlines were created.
    """
    today = today or timezone.localdate()
    created = 0
    for rule in DeadlineRule.objects.filter(
        active=True,
        trigger__in=[DeadlineRule.Trigger.BIRTHDAY_16, DeadlineRule.Trigger.BIRTHDAY_18],
    ):
        age = 16 if rule.trigger == DeadlineRule.Trigger.BIRTHDAY_16 else 18
        # Born on or before this day, the trigger birthday puts the due date inside the horizon
        # (a generous bound; the exact due date is checked per case below).
        latest_birth = (
            today
            + BIRTHDAY_HORIZON
            - relativedelta(years=age)
            - relativedelta(
                months=min(rule.offset, 0) if rule.unit == DeadlineRule.Unit.MONTHS else 0
            )
        )
        cases = (
            Case.objects.exclude(status=CaseStatus.CLOSED)
            .filter(
                citizen__birth_date__lte=latest_birth,
                citizen__birth_date__gt=today - relativedelta(years=18),
            )
            .exclude(deadlines__rule=rule)
            .select_related("citizen")
            # What the loop needs; whole case and citizen rows took most of a repeated
            # sweep's time here (make bench).
            .only("pk", "citizen__birth_date")
        )
        if rule.trigger == DeadlineRule.Trigger.BIRTHDAY_16:
            cases = cases.exclude(plan__kind="youth_plan")
        for case in cases:
            birthday = case.citizen.birth_date + relativedelta(years=age)
            start = timezone.make_aware(dt.datetime.combine(birthday, dt.time(0)))
            due_at = compute_due(rule, start)
            if timezone.localdate(due_at) > today + BIRTHDAY_HORIZON:
                continue
            created += _deadline_once_per_case(case=case, rule=rule, due_at=due_at)[1]
    return created


@transaction.atomic
def after_18_decision_record(
    *, case: Case, user: User, decided_on: dt.date, decision: str
) -> JournalNote:
    """The decision on support after the 18th birthday (§ 111), recorded in the journal."""
    decision = decision.strip()
    errors: dict[str, str] = {}
    if not decision:
        errors["decision"] = _("Skriv afgørelsen.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("Datoen kan ikke ligge i fremtiden.")
    if errors:
        raise ValidationError(errors)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Sagen er lukket."))
    note = JournalNote.objects.create(
        case=case,
        author=user,
        text=_("Afgørelse om støtte efter det fyldte 18. år (%(date)s): %(decision)s")
        % {"date": f"{decided_on:%d.%m.%Y}", "decision": decision},
    )
    deadlines_meet(
        case=case,
        rule_code="after_18",
        at=timezone.make_aware(dt.datetime.combine(decided_on, dt.time(12))),
        event=_("Afgørelse om støtte efter 18 år registreret"),
    )
    return note
