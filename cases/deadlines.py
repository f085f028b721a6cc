"""The deadline engine: the statutory deadlines of Barnets Lov, computed from the rule table.

The rules are data (``cases.DeadlineRule``, loaded by cases/migrations/0003_deadline_rules.py;
the table is in docs/domain.md); the date arithmetic is cases/working_days.py. Here: a deadline
scheduled once per triggering event, met by the event that fulfils it or handled otherwise with
a reason, closed with its case, and the deadlines that come with an age: the ungeplan (Barnets
Lov § 108) and the decision on support after 18 (§ 111), scheduled by every reminder sweep and
when a case opens (never due before the case existed), and the end of young-adult support at the
23rd birthday (§§ 114–121), scheduled with the measure. Every birthday follows one rule
(``cases.models.birthday``: born 29 February, 1 March in other years).
"""

import datetime as dt
import math
import re

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from cases.models import (
    Case,
    CaseStatus,
    Complaint,
    Deadline,
    DeadlineRule,
    JournalNote,
    LegalBasis,
    Measure,
    Notification,
    age_on,
    birthday,
)
from cases.working_days import compute_due, end_of_day


def deadline_schedule(
    *,
    case: Case,
    rule_code: str,
    start: dt.datetime,
    notification: Notification | None = None,
    measure: Measure | None = None,
    complaint: Complaint | None = None,
) -> Deadline | None:
    """Create the deadline ``rule_code`` triggered at ``start``; idempotent per triggering event."""
    rule = DeadlineRule.objects.filter(code=rule_code, active=True).first()
    if rule is None:
        return None
    due_at = compute_due(rule, start)
    if notification is None and measure is None and complaint is None:
        return _deadline_once_per_case(case=case, rule=rule, due_at=due_at)[0]
    try:
        with transaction.atomic():
            return Deadline.objects.create(
                case=case,
                rule=rule,
                due_at=due_at,
                notification=notification,
                measure=measure,
                complaint=complaint,
            )
    except IntegrityError:
        return Deadline.objects.get(
            rule=rule, notification=notification, measure=measure, complaint=complaint
        )


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
    complaint: Complaint | None = None,
) -> int:
    """Mark the open deadlines of ``rule_code`` met by ``event``. Returns how many were met."""
    qs = Deadline.objects.filter(
        case=case, rule__code=rule_code, met_at=None, handled_otherwise_at=None
    )
    if notification is not None:
        qs = qs.filter(notification=notification)
    if measure is not None:
        qs = qs.filter(measure=measure)
    if complaint is not None:
        qs = qs.filter(complaint=complaint)
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
# The sweep's window of due dates reaches this far back, for a sweep that did not run for a while.
SWEEP_CATCH_UP = dt.timedelta(days=7)
# A child's case: Barnets Lov applies to children and young people under 18.
ADULT_AGE = 18
# The age at which each birthday rule's period starts.
BIRTHDAY_AGES: dict[str, int] = {
    DeadlineRule.Trigger.BIRTHDAY_16: 16,
    DeadlineRule.Trigger.BIRTHDAY_18: 18,
    DeadlineRule.Trigger.BIRTHDAY_23: 23,
}
# The rules the sweep and a case's opening schedule (the 23rd birthday comes with a measure).
SWEPT_TRIGGERS = (DeadlineRule.Trigger.BIRTHDAY_16, DeadlineRule.Trigger.BIRTHDAY_18)


def birthday_start(birth_date: dt.date, age: int) -> dt.datetime:
    """The start (00:00, local time) of the day on which the child attains ``age``, by the one
    birthday rule (``cases.models.birthday``: born 29 February, 1 March in other years)."""
    return timezone.make_aware(dt.datetime.combine(birthday(birth_date, age), dt.time(0)))


def birthday_due(rule: DeadlineRule, birth_date: dt.date) -> dt.datetime:
    """When the deadline of a birthday rule falls due for a child born on ``birth_date``."""
    return compute_due(rule, birthday_start(birth_date, BIRTHDAY_AGES[rule.trigger]))


def _opened_on(case: Case) -> dt.date:
    """The day the case opened, or opened again."""
    return timezone.localdate(case.reopened_at or case.opened_at)


def _period_days(rule: DeadlineRule) -> tuple[int, int]:
    """The fewest and the most calendar days from a rule's trigger day to its due day."""
    offset = rule.offset
    if rule.unit == DeadlineRule.Unit.MONTHS:
        # Months of the calendar are never more than 3 days from their average in sum, with
        # the end of a month clamped (31 August + 6 months: 28 February).
        average = offset * 365.25 / 12
        return math.floor(average) - 3, math.ceil(average) + 3
    if rule.unit == DeadlineRule.Unit.DAYS:
        return offset, offset
    if rule.unit == DeadlineRule.Unit.WORKING_DAYS:
        # Weekends and at most a cluster of holidays (Easter, Christmas) in between.
        return min(offset, 0), max(2 * offset + 10, 0)
    return offset // 24 - 1, -(-offset // 24) + 1  # hours


def birth_date_window(rule: DeadlineRule, today: dt.date) -> tuple[dt.date, dt.date]:
    """The birth dates whose ``rule`` deadline can fall due within the sweep's window, from
    ``today`` less ``SWEEP_CATCH_UP`` to ``today`` plus ``BIRTHDAY_HORIZON``.

    The birthdays in the window run from ``window_start`` to ``window_end`` (the window less the
    rule's period); the children are born between window_start − N years and window_end − N
    years, N the rule's age, and a day earlier for a child born 29 February whose birthday is
    1 March. A range on the indexed ``Citizen.birth_date`` that holds every such child (a few
    days more where months are shorter); each child's due date is then computed exactly.
    """
    shortest, longest = _period_days(rule)
    age = BIRTHDAY_AGES[rule.trigger]
    window_start = today - SWEEP_CATCH_UP - dt.timedelta(days=longest)
    window_end = today + BIRTHDAY_HORIZON - dt.timedelta(days=shortest)
    return (
        window_start - relativedelta(years=age) - dt.timedelta(days=1),
        window_end - relativedelta(years=age),
    )


def deadlines_schedule_birthdays(*, today: dt.date | None = None) -> int:
    """Schedule the ungeplan (Barnets Lov § 108) and support-after-18 (§ 111) deadlines that
    come within the horizon. Returns how many deadlines were created.

    Run by every reminder sweep. Per rule it reads only the open cases of children whose
    birthday puts the due date within the sweep's window (``birth_date_window``: a range of
    ``Citizen.birth_date``, indexed, per age), without a deadline of the rule yet; a repeated
    sweep with nothing new makes one query per rule, however many cases there are. A deadline
    that had already fallen due when its case opened is not the sweep's: the case's opening
    schedules it, due that day (``deadlines_schedule_on_opening``).
    """
    today = today or timezone.localdate()
    created = 0
    for rule in DeadlineRule.objects.filter(active=True, trigger__in=SWEPT_TRIGGERS):
        cases = (
            Case.objects.exclude(status=CaseStatus.CLOSED)
            .filter(citizen__birth_date__range=birth_date_window(rule, today))
            .exclude(deadlines__rule=rule)
            .select_related("citizen")
            # What the loop needs; whole case and citizen rows took most of a repeated
            # sweep's time here (make bench).
            .only("pk", "opened_at", "reopened_at", "citizen__birth_date")
            .order_by()
        )
        if rule.trigger == DeadlineRule.Trigger.BIRTHDAY_16:
            cases = cases.exclude(plan__kind="youth_plan")
        for case in cases:
            birth_date = case.citizen.birth_date
            if age_on(birth_date, today) >= ADULT_AGE:
                continue
            due_at = birthday_due(rule, birth_date)
            if timezone.localdate(due_at) > today + BIRTHDAY_HORIZON:
                continue
            # Never due before the case existed (a case opened within the catch-up days).
            due_at = max(due_at, end_of_day(_opened_on(case)))
            created += _deadline_once_per_case(case=case, rule=rule, due_at=due_at)[1]
    return created


def deadlines_schedule_on_opening(*, case: Case) -> int:
    """A case opened (or opened again): its birthday deadlines already within the horizon are
    scheduled at once. Returns how many were created.

    One that fell due before the day the case opens is due that day, from the day the case
    opens: never overdue since before the case existed, so no reminder or escalation counts
    days from before it (Barnets Lov § 108, the ungeplan of a young person past 16; § 111, the
    decision on support after 18 for one past 17½). A rule whose deadline on the case is open
    or met is left alone; one handled otherwise when the case closed is scheduled again.
    """
    opened_on = _opened_on(case)
    birth_date = case.citizen.birth_date
    if age_on(birth_date, opened_on) >= ADULT_AGE:
        return 0
    created = 0
    for rule in DeadlineRule.objects.filter(active=True, trigger__in=SWEPT_TRIGGERS):
        due_at = birthday_due(rule, birth_date)
        if timezone.localdate(due_at) > opened_on + BIRTHDAY_HORIZON:
            continue  # the sweep schedules it once it comes within the horizon
        due_at = max(due_at, end_of_day(opened_on))
        with transaction.atomic():
            # Serialised with the sweep on the case row (``_deadline_once_per_case``).
            Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").first()
            if rule.trigger == DeadlineRule.Trigger.BIRTHDAY_16 and (
                Case.objects.filter(pk=case.pk, plan__kind="youth_plan").exists()
            ):
                continue
            if Deadline.objects.filter(case=case, rule=rule, handled_otherwise_at=None).exists():
                continue
            Deadline.objects.create(case=case, rule=rule, due_at=due_at)
            created += 1
    return created


# --- young-adult support (Barnets Lov §§ 114–121) --------------------------------------------

# The paragraphs of Barnets Lov on support to young people from 18 until they turn 23.
YOUNG_ADULT_PARAGRAPHS = range(114, 122)
YOUNG_ADULT_END = "young_adult_end"  # the rule's code
_PARAGRAPH = re.compile(r"§\s*(\d+)")


def is_young_adult_basis(legal_basis: LegalBasis) -> bool:
    """Whether a measure on ``legal_basis`` is young-adult support (Barnets Lov §§ 114–121),
    read from the basis' data (law and paragraph, e.g. "Barnets Lov § 114")."""
    match = _PARAGRAPH.match(legal_basis.paragraph.strip())
    return (
        legal_basis.law == "Barnets Lov"
        and match is not None
        and int(match.group(1)) in YOUNG_ADULT_PARAGRAPHS
    )


def deadline_schedule_young_adult_end(*, measure: Measure) -> Deadline | None:
    """Young-adult support ends at the 23rd birthday (Barnets Lov §§ 114–121): a measure on
    such a basis gets the deadline ``young_adult_end`` (trigger ``birthday_23``), once per
    measure. Met when the measure ends (``cases.services.measure_end``)."""
    if not is_young_adult_basis(measure.legal_basis):
        return None
    return deadline_schedule(
        case=measure.case,
        rule_code=YOUNG_ADULT_END,
        start=birthday_start(
            measure.case.citizen.birth_date, BIRTHDAY_AGES[DeadlineRule.Trigger.BIRTHDAY_23]
        ),
        measure=measure,
    )


# --- deadlines that come with a measure's expected duration and with a complaint ----------

MEASURE_EXPECTED_END = "measure_expected_end"  # the rule's code
COMPLAINT_RECONSIDERATION = "complaint_reconsideration"  # the rule's code


def expected_end_of(measure: Measure) -> dt.date:
    """The day a measure's expected duration runs out: its planned end date, or the start plus
    the expected duration in months (Barnets Lov § 32, stk. 3)."""
    if measure.planned_end_date is not None:
        return measure.planned_end_date
    return measure.start_date + relativedelta(months=measure.expected_duration_months)


def deadline_schedule_expected_end(*, measure: Measure) -> Deadline | None:
    """A measure running past its expected duration needs a decision, to end it or to change
    its duration: the deadline ``measure_expected_end`` (once per measure) falls due on the day
    the expected duration runs out, and the reminder sweep reminds the caseworker of it like of
    every deadline. A decision changing the duration moves it (called again); the decision
    ending the measure meets it (``cases.services.measure_end``)."""
    rule = DeadlineRule.objects.filter(code=MEASURE_EXPECTED_END, active=True).first()
    if rule is None:
        return None
    start = timezone.make_aware(dt.datetime.combine(expected_end_of(measure), dt.time(9)))
    due_at = compute_due(rule, start)
    existing = Deadline.objects.filter(rule=rule, measure=measure).first()
    if existing is None:
        return deadline_schedule(
            case=measure.case, rule_code=MEASURE_EXPECTED_END, start=start, measure=measure
        )
    if existing.is_open and existing.due_at != due_at:
        existing.due_at = due_at
        existing.save(update_fields=["due_at"])
    return existing


def deadline_schedule_reconsideration(*, complaint: Complaint) -> Deadline | None:
    """The municipality reconsiders a complaint within 4 weeks of receiving it
    (Retssikkerhedsloven § 67): the deadline ``complaint_reconsideration``, once per complaint,
    met when the reconsideration is recorded (``cases.decisions.complaint_reconsider``)."""
    return deadline_schedule(
        case=complaint.decision.case,
        rule_code=COMPLAINT_RECONSIDERATION,
        start=timezone.make_aware(dt.datetime.combine(complaint.received_on, dt.time(9))),
        complaint=complaint,
    )


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
        event=gettext_noop("Afgørelse om støtte efter 18 år registreret"),
    )
    return note
