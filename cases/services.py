"""Domain actions on citizens and cases. Views and forms call these; they hold the rules.

Barnets Lov as the code follows it here (the deadlines: cases/deadlines.py, docs/domain.md): a
child's case is for a child or young person under 18 (a notification about someone who was 18
or more when it was received opens no case; support after 18 goes on on the young person's open
case); the 4-month deadline of § 20 is met by a børnefaglig undersøgelse (§ 20), not by an
afdækning (§ 19); young-adult support (§§ 114–121) ends at the 23rd birthday.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, Team, User
from cases import deadlines as deadlines
from cases import signals
from cases.models import (
    Assessment,
    AssessmentArea,
    Case,
    CaseNumberSequence,
    CaseStatus,
    Citizen,
    HoursStep,
    JournalNote,
    LegalBasis,
    Measure,
    MeasureAssignment,
    Notification,
    age_on,
)
from core.cpr import birth_date_from_cpr, normalise_cpr

# Which status a case may move to from each status. Reopening is closed → notification.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.NOTIFICATION: frozenset(
        {CaseStatus.ASSESSMENT, CaseStatus.MEASURE, CaseStatus.CLOSED}
    ),
    CaseStatus.ASSESSMENT: frozenset({CaseStatus.MEASURE, CaseStatus.CLOSED}),
    CaseStatus.MEASURE: frozenset({CaseStatus.CLOSING, CaseStatus.CLOSED}),
    CaseStatus.CLOSING: frozenset({CaseStatus.MEASURE, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.NOTIFICATION}),
}


# A little clock skew between a browser and the server is not "the future".
CLOCK_SKEW = dt.timedelta(minutes=5)


def _not_in_future(value: dt.datetime, field: str, message: str) -> None:
    if value > timezone.now() + CLOCK_SKEW:
        raise ValidationError({field: message})


# --- citizens --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitizenData:
    first_name: str
    last_name: str
    cpr: str
    address: str = ""
    postal_code: str = ""
    city: str = ""
    school_or_daycare: str = ""


def citizen_find_by_cpr(*, cpr: str) -> Citizen | None:
    """Exact match only: a CPR number is never searched by prefix or pattern."""
    return Citizen.objects.filter(cpr=normalise_cpr(cpr)).first()


def citizen_create(*, data: CitizenData) -> Citizen:
    cpr = normalise_cpr(data.cpr)
    if Citizen.objects.filter(cpr=cpr).exists():
        raise ValidationError({"cpr": _("Der findes allerede en borger med dette CPR-nummer.")})
    citizen = Citizen(
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        cpr=cpr,
        birth_date=birth_date_from_cpr(cpr),
        address=data.address.strip(),
        postal_code=data.postal_code.strip(),
        city=data.city.strip(),
        school_or_daycare=data.school_or_daycare.strip(),
    )
    citizen.full_clean()
    citizen.save()
    return citizen


# --- cases -----------------------------------------------------------------------------------


def case_number_next(*, year: int) -> str:
    """Human case numbers 2026-00001, 2026-00002 … per year, gap-free under concurrency."""
    CaseNumberSequence.objects.get_or_create(year=year)
    sequence = CaseNumberSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{year}-{sequence.last_number:05d}"


def primary_team(user: User) -> Team:
    membership = user.memberships.select_related("team").order_by("-is_lead", "id").first()
    if membership is None:
        raise ValidationError(_("Du er ikke medlem af et team og kan ikke oprette sager."))
    return membership.team


def case_transition(*, case: Case, to_status: str) -> Case:
    if to_status == case.status:
        return case
    if to_status not in ALLOWED_TRANSITIONS[case.status]:
        raise ValidationError(
            _("En sag kan ikke gå fra %(from)s til %(to)s.")
            % {"from": case.get_status_display(), "to": CaseStatus(to_status).label}
        )
    case.status = to_status
    case.save(update_fields=["status", "updated_at"])
    return case


def _refuse_an_adult(*, birth_date: dt.date, received_at: dt.datetime) -> None:
    """Barnets Lov is about children and young people under 18: a person who was 18 or more on
    the day the notification was received cannot be registered as a child's case (a new case,
    or a closed one reopened). Support after 18 goes on on the young person's open case."""
    if age_on(birth_date, timezone.localdate(received_at)) >= deadlines.ADULT_AGE:
        raise ValidationError(
            {
                "cpr": _(
                    "Personen er fyldt 18 år og kan ikke registreres som et barns sag: "
                    "Barnets Lov gælder børn og unge under 18 år. Støtte efter det fyldte "
                    "18. år gives på den unges åbne sag."
                )
            },
            code="adult",
        )


def _case_for_new_notification(
    *, citizen: Citizen, user: User, received_at: dt.datetime
) -> tuple[Case, bool]:
    """The citizen's one case: the open one, else the latest closed one reopened, else a new one.

    Returns (case, created). Locks the citizen's cases so two simultaneous registrations
    cannot both create one; the partial unique index is the last line of defence. A case is
    opened or reopened for a child only (``_refuse_an_adult``); it gets the birthday deadlines
    already due or coming due (``deadlines.deadlines_schedule_on_opening``).
    """
    existing = list(Case.objects.select_for_update().filter(citizen=citizen).order_by("-opened_at"))
    open_case = next((c for c in existing if c.is_open), None)
    if open_case is not None:
        return open_case, False
    _refuse_an_adult(birth_date=citizen.birth_date, received_at=received_at)
    if existing:
        case = existing[0]
        case.status = CaseStatus.NOTIFICATION
        case.reopened_at = timezone.now()
        case.closed_at = None
        case.closing_reason = ""
        case.owner = user
        case.team = primary_team(user)
        case.save()
        deadlines.deadlines_schedule_on_opening(case=case)
        return case, False
    now = timezone.now()
    case = Case.objects.create(
        number=case_number_next(year=timezone.localdate(now).year),
        citizen=citizen,
        owner=user,
        team=primary_team(user),
        opened_at=now,
    )
    deadlines.deadlines_schedule_on_opening(case=case)
    return case, True


def notification_register(
    *,
    user: User,
    citizen: Citizen | None = None,
    citizen_data: CitizenData | None = None,
    received_at: dt.datetime,
    kind: str = Notification.Kind.NOTIFICATION,
    reporter_kind: str,
    reporter_name: str = "",
    reporter_organisation: str = "",
    reporter_email: str = "",
    reporter_confidential: bool = False,
    concern: str,
) -> Notification:
    """Register a notification of concern; never a second open case for the same child."""
    if user.role not in (Role.CASEWORKER, Role.TEAM_LEAD):
        raise ValidationError(_("Kun myndighedsrådgivere kan registrere underretninger."))
    _not_in_future(
        received_at, "received_at", _("Modtagelsestidspunktet kan ikke ligge i fremtiden.")
    )
    if not concern.strip():
        raise ValidationError({"concern": _("Beskriv bekymringen.")})
    if (
        reporter_kind == Notification.ReporterKind.PROFESSIONAL
        and not reporter_organisation.strip()
    ):
        raise ValidationError(
            {
                "reporter_organisation": _(
                    "Angiv fagpersonens organisation (fx skole eller dagtilbud)."
                )
            }
        )

    def register(known: Citizen | None) -> Notification:
        with transaction.atomic():
            if known is None:
                if citizen_data is None:
                    raise ValidationError(_("Vælg et kendt barn eller opret et nyt."))
                known = citizen_find_by_cpr(cpr=citizen_data.cpr)
                if known is None:
                    # Refused before anything is saved (the CPR number gives the birth date).
                    _refuse_an_adult(
                        birth_date=birth_date_from_cpr(citizen_data.cpr), received_at=received_at
                    )
                    try:
                        known = citizen_create(data=citizen_data)
                    except ValidationError:
                        # Another registration may have committed the child since we looked.
                        known = citizen_find_by_cpr(cpr=citizen_data.cpr)
                        if known is None:
                            raise
            case, _created = _case_for_new_notification(
                citizen=known, user=user, received_at=received_at
            )
            notification = Notification.objects.create(
                case=case,
                kind=kind,
                received_at=received_at,
                reporter_kind=reporter_kind,
                reporter_name=reporter_name.strip(),
                reporter_organisation=reporter_organisation.strip(),
                reporter_email=reporter_email.strip(),
                reporter_confidential=reporter_confidential,
                concern=concern.strip(),
                registered_by=user,
            )
            _schedule_notification_deadlines(case=case, notification=notification)
            return notification

    try:
        return register(citizen)
    except IntegrityError:
        # The same child was registered at the same moment and the database refused the
        # second citizen or case. Once more: now the first registration's rows are found.
        return register(citizen)


def _schedule_notification_deadlines(*, case: Case, notification: Notification) -> None:
    # The 24-hour judgement applies to notifications of concern, not to applications.
    if notification.kind == Notification.Kind.NOTIFICATION:
        deadlines.deadline_schedule(
            case=case,
            rule_code="acute_judgement",
            start=notification.received_at,
            notification=notification,
        )
    if notification.needs_receipt:
        deadlines.deadline_schedule(
            case=case,
            rule_code="receipt",
            start=notification.received_at,
            notification=notification,
        )
    # The 4-month assessment deadline runs from when the municipality becomes aware of the
    # concern on a new (or reopened) case. On a case already under assessment or with a
    # measure, the caseworker decides whether a new assessment is needed.
    if case.status != CaseStatus.NOTIFICATION:
        return
    assessment_deadline_open = case.deadlines.filter(
        rule__code="assessment", met_at=None, handled_otherwise_at=None
    ).exists()
    if not assessment_deadline_open:
        deadlines.deadline_schedule(
            case=case,
            rule_code="assessment",
            start=notification.received_at,
            notification=notification,
        )


@transaction.atomic
def notification_judge_acute(
    *,
    notification: Notification,
    user: User,
    outcome: str,
    note: str,
    judged_at: dt.datetime | None = None,
) -> Notification:
    if notification.acute_judged_at is not None:
        raise ValidationError(_("Den akutte vurdering er allerede registreret."))
    if outcome not in Notification.AcuteOutcome.values:
        raise ValidationError({"outcome": _("Vælg resultatet af vurderingen.")})
    if not note.strip():
        raise ValidationError({"note": _("Skriv en kort begrundelse for vurderingen.")})
    judged_at = judged_at or timezone.now()
    _not_in_future(judged_at, "judged_at", _("Vurderingen kan ikke ligge i fremtiden."))
    if judged_at < notification.received_at:
        raise ValidationError({"judged_at": _("Vurderingen kan ikke ligge før modtagelsen.")})
    notification.acute_judged_at = judged_at
    notification.acute_judged_by = user
    notification.acute_outcome = outcome
    notification.acute_note = note.strip()
    notification.save(
        update_fields=["acute_judged_at", "acute_judged_by", "acute_outcome", "acute_note"]
    )
    deadlines.deadlines_meet(
        case=notification.case,
        rule_code="acute_judgement",
        notification=notification,
        at=judged_at,
        event=gettext_noop("Akut vurdering registreret"),
    )
    return notification


@transaction.atomic
def notification_send_receipt(
    *, notification: Notification, user: User, sent_at: dt.datetime | None = None
) -> Notification:
    if not notification.needs_receipt:
        raise ValidationError(_("Der sendes kun kvittering til fagpersoner."))
    if notification.receipt_sent_at is not None:
        raise ValidationError(_("Kvitteringen er allerede registreret som sendt."))
    sent_at = sent_at or timezone.now()
    _not_in_future(sent_at, "sent_at", _("Kvitteringen kan ikke være sendt i fremtiden."))
    if sent_at < notification.received_at:
        raise ValidationError({"sent_at": _("Kvitteringen kan ikke være sendt før modtagelsen.")})
    notification.receipt_sent_at = sent_at
    notification.receipt_sent_by = user
    notification.save(update_fields=["receipt_sent_at", "receipt_sent_by"])
    deadlines.deadlines_meet(
        case=notification.case,
        rule_code="receipt",
        notification=notification,
        at=sent_at,
        event=gettext_noop("Kvittering sendt til underretter"),
    )
    return notification


# --- assessments -----------------------------------------------------------------------------


@transaction.atomic
def assessment_start(*, case: Case, user: User, kind: str, started_on: dt.date) -> Assessment:
    if not case.is_open:
        raise ValidationError(_("Sagen er lukket."))
    if kind not in Assessment.Kind.values:
        raise ValidationError({"kind": _("Vælg typen af undersøgelse.")})
    if case.assessments.filter(finished_on=None).exists():
        raise ValidationError(_("Der er allerede en igangværende undersøgelse på sagen."))
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("Startdatoen kan ikke ligge i fremtiden.")})
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                case=case, kind=kind, started_on=started_on, started_by=user
            )
    except IntegrityError:
        # Started by someone else at the same moment: the partial unique index refused it.
        raise ValidationError(_("Der er allerede en igangværende undersøgelse på sagen.")) from None
    if case.status == CaseStatus.NOTIFICATION:
        case_transition(case=case, to_status=CaseStatus.ASSESSMENT)
    return assessment


# The areas a børnefaglig undersøgelse must describe, each by its resources or its challenges
# (Barnets Lov § 22, stk. 1); "other relevant matters" only where there are any.
REQUIRED_AREAS = tuple(a for a in AssessmentArea.Area if a != AssessmentArea.Area.OTHER)
# From 15 the assessment is made with the young person too (Barnets Lov § 22, stk. 2).
YOUNG_PERSON_AGE = 15

AreaTexts = Mapping[str, tuple[str, str]]  # area -> (resources, challenges)


def _assessment_errors(assessment: Assessment, conversation_on: dt.date | None) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if conversation_on is not None and conversation_on > timezone.localdate():
        errors["conversation_on"] = _("Samtalen kan ikke ligge i fremtiden.")
    elif conversation_on is not None and conversation_on < assessment.started_on:
        errors["conversation_on"] = _("Samtalen ligger før undersøgelsen blev påbegyndt.")
    return errors


def _assessment_set(
    assessment: Assessment,
    *,
    areas: AreaTexts | None,
    fields: dict[str, Any],
) -> None:
    """Store what was given (``None``: keep what is stored)."""
    for name, value in fields.items():
        if value is not None:
            setattr(assessment, name, value.strip() if isinstance(value, str) else value)
    assessment.save()
    for area, (resources, concerns) in (areas or {}).items():
        if area not in AssessmentArea.Area.values:
            continue
        AssessmentArea.objects.update_or_create(
            assessment=assessment,
            area=area,
            defaults={"resources": resources.strip(), "concerns": concerns.strip()},
        )


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    user: User,
    conclusion: str | None = None,
    parents_view: str | None = None,
    child_view: str | None = None,
    conversation_on: dt.date | None = None,
    conversation_place: str | None = None,
    conversation_not_held_reason: str | None = None,
    areas: AreaTexts | None = None,
) -> Assessment:
    """Save a running assessment's work so far, without finishing it."""
    if assessment.finished_on is not None:
        raise ValidationError(_("Undersøgelsen er allerede afsluttet."))
    errors = _assessment_errors(assessment, conversation_on)
    if errors:
        raise ValidationError(errors)
    _assessment_set(
        assessment,
        areas=areas,
        fields={
            "conclusion": conclusion,
            "parents_view": parents_view,
            "child_view": child_view,
            "conversation_on": conversation_on,
            "conversation_place": conversation_place,
            "conversation_not_held_reason": conversation_not_held_reason,
        },
    )
    return assessment


@transaction.atomic
def assessment_finish(
    *,
    assessment: Assessment,
    user: User,
    finished_on: dt.date,
    conclusion: str,
    parents_view: str | None = None,
    child_view: str | None = None,
    conversation_on: dt.date | None = None,
    conversation_place: str | None = None,
    conversation_not_held_reason: str | None = None,
    areas: AreaTexts | None = None,
) -> Assessment:
    """Finish an assessment. Every assessment ends with its conclusion (an afdækning, Barnets
    Lov § 19, too). A børnefaglig undersøgelse (§ 20) also needs, as § 22 describes it: each
    area of the child's life by its resources or challenges (``REQUIRED_AREAS``), the parents'
    view, from 15 the young person's own, and the conversation with the child (its date, or
    why it was not held; § 5). What is not given here is taken from what was saved."""
    if assessment.finished_on is not None:
        raise ValidationError(_("Undersøgelsen er allerede afsluttet."))
    errors = _assessment_errors(assessment, conversation_on)
    if finished_on < assessment.started_on:
        errors["finished_on"] = _("Slutdatoen ligger før startdatoen.")
    elif finished_on > timezone.localdate():
        errors["finished_on"] = _("Slutdatoen kan ikke ligge i fremtiden.")
    if not conclusion.strip():
        errors["conclusion"] = _("Skriv undersøgelsens konklusion.")
    if assessment.kind == Assessment.Kind.CHILD_ASSESSMENT:
        stored = {a.area: (a.resources, a.concerns) for a in assessment.areas.all()}
        described = {
            area
            for area, (resources, concerns) in {**stored, **(areas or {})}.items()
            if resources.strip() or concerns.strip()
        }
        missing = [str(area.label) for area in REQUIRED_AREAS if area.value not in described]
        if missing:
            errors["areas"] = _(
                "Beskriv ressourcer eller udfordringer for hvert område (Barnets Lov § 22, "
                "stk. 1). Mangler: %(areas)s."
            ) % {"areas": ", ".join(missing)}
        parents = assessment.parents_view if parents_view is None else parents_view
        if not parents.strip():
            errors["parents_view"] = _(
                "Skriv forældrenes synspunkter: undersøgelsen gennemføres så vidt muligt i "
                "samarbejde med dem (Barnets Lov § 22, stk. 2)."
            )
        child = assessment.child_view if child_view is None else child_view
        birth_date = assessment.case.citizen.birth_date
        if age_on(birth_date, finished_on) >= YOUNG_PERSON_AGE and not child.strip():
            errors["child_view"] = _(
                "Den unge er fyldt 15 år: skriv den unges egne synspunkter (Barnets Lov § 22, "
                "stk. 2)."
            )
        held = assessment.conversation_on if conversation_on is None else conversation_on
        reason = (
            assessment.conversation_not_held_reason
            if conversation_not_held_reason is None
            else conversation_not_held_reason
        )
        if held is None and not reason.strip():
            errors["conversation_on"] = _(
                "Der skal være mindst én samtale med barnet: angiv hvornår og hvor, eller "
                "hvorfor den ikke er holdt (Barnets Lov § 5)."
            )
    if errors:
        raise ValidationError(errors)
    assessment.finished_on = finished_on
    _assessment_set(
        assessment,
        areas=areas,
        fields={
            "conclusion": conclusion,
            "parents_view": parents_view,
            "child_view": child_view,
            "conversation_on": conversation_on,
            "conversation_place": conversation_place,
            "conversation_not_held_reason": conversation_not_held_reason,
        },
    )
    # The 4-month deadline is the børnefaglig undersøgelse's (Barnets Lov § 20, stk. 3): an
    # afdækning (§ 19) finished leaves it open.
    if assessment.kind == Assessment.Kind.CHILD_ASSESSMENT:
        deadlines.deadlines_meet(
            case=assessment.case,
            rule_code="assessment",
            at=timezone.make_aware(dt.datetime.combine(finished_on, dt.time(12))),
            event=gettext_noop("Undersøgelse afsluttet"),
        )
    # § 95: the first follow-up on a measure comes when a parallel assessment ends, if earlier
    # (followups' receiver; followups builds on cases, not the other way round).
    signals.assessment_finished.send(
        sender=Assessment, assessment=assessment, finished_on=finished_on
    )
    return assessment


@transaction.atomic
def assessment_preliminary(
    *,
    assessment: Assessment,
    user: User,
    text: str,
    expected_finish_on: dt.date,
) -> Assessment:
    """When the 4-month deadline of a børnefaglig undersøgelse (§ 20, stk. 3) cannot be met:
    a preliminary assessment (foreløbig vurdering) today, and the day it is expected to be
    finished. The deadline itself stays open until the assessment is finished."""
    if assessment.finished_on is not None:
        raise ValidationError(_("Undersøgelsen er allerede afsluttet."))
    if assessment.kind != Assessment.Kind.CHILD_ASSESSMENT:
        raise ValidationError(
            _("En foreløbig vurdering gives på en børnefaglig undersøgelse (Barnets Lov § 20).")
        )
    errors: dict[str, Any] = {}
    if not text.strip():
        errors["text"] = _("Skriv den foreløbige vurdering.")
    if expected_finish_on <= timezone.localdate():
        errors["expected_finish_on"] = _("Den forventede dato skal ligge efter i dag.")
    if errors:
        raise ValidationError(errors)
    assessment.preliminary_assessment = text.strip()
    assessment.preliminary_on = timezone.localdate()
    assessment.expected_finish_on = expected_finish_on
    assessment.save(
        update_fields=["preliminary_assessment", "preliminary_on", "expected_finish_on"]
    )
    JournalNote.objects.create(
        case=assessment.case,
        author=user,
        text=_(
            "Foreløbig vurdering: undersøgelsen kan ikke afsluttes inden for fristen og "
            "forventes afsluttet %(date)s. %(text)s"
        )
        % {"date": f"{expected_finish_on:%d.%m.%Y}", "text": text.strip()},
    )
    return assessment


# --- measures --------------------------------------------------------------------------------


def measure_order(
    *,
    case: Case,
    user: User,
    legal_basis: LegalBasis,
    purpose: str,
    expected_duration_months: int,
    start_date: dt.date,
    planned_end_date: dt.date | None,
    provider_team: Team,
    consent_given_on: dt.date | None,
    therapists: Iterable[User] = (),
    hours_steps: Sequence[tuple[int | None, Decimal]] = (),
    decided_at: dt.datetime | None = None,
) -> Measure:
    """Order a measure. The decision must state purpose and expected duration (§ 32, stk. 3).
    ``decided_at`` is when it was decided (now, unless recorded afterwards): the § 91 plan
    deadline counts from it."""
    errors: dict[str, Any] = {}
    if not case.is_open:
        raise ValidationError(_("Sagen er lukket."))
    if not purpose.strip():
        errors["purpose"] = _("Afgørelsen skal angive formålet med indsatsen.")
    if not expected_duration_months or expected_duration_months < 1:
        errors["expected_duration_months"] = _("Afgørelsen skal angive den forventede varighed.")
    elif expected_duration_months > 72:
        errors["expected_duration_months"] = _("Den forventede varighed kan højst være 72 måneder.")
    if planned_end_date is not None and planned_end_date < start_date:
        errors["planned_end_date"] = _("Slutdatoen ligger før startdatoen.")
    if consent_given_on is None:
        errors["consent_given_on"] = _(
            "Indsatsen kræver samtykke fra forældremyndighedsindehaveren "
            "(Barnets Lov § 32, stk. 2)."
        )
    if not legal_basis.active:
        errors["legal_basis"] = _("Lovgrundlaget er ikke længere aktivt.")
    therapists = list(therapists)
    errors.update(therapist_errors(therapists, provider_team))
    errors.update(hours_steps_errors(hours_steps))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        measure = Measure.objects.create(
            case=case,
            legal_basis=legal_basis,
            purpose=purpose.strip(),
            expected_duration_months=expected_duration_months,
            start_date=start_date,
            planned_end_date=planned_end_date,
            provider_team=provider_team,
            consent_given_on=consent_given_on,
            decided_by=user,
            decided_at=decided_at or timezone.now(),
        )
        MeasureAssignment.objects.bulk_create(
            [MeasureAssignment(measure=measure, user=t) for t in therapists]
        )
        HoursStep.objects.bulk_create(
            [
                HoursStep(measure=measure, position=i, weeks=weeks, hours_per_week=hours)
                for i, (weeks, hours) in enumerate(hours_steps, start=1)
            ]
        )
        if case.status in (CaseStatus.NOTIFICATION, CaseStatus.ASSESSMENT, CaseStatus.CLOSING):
            case_transition(case=case, to_status=CaseStatus.MEASURE)
        # Young-adult support (Barnets Lov §§ 114–121) ends at the 23rd birthday.
        deadlines.deadline_schedule_young_adult_end(measure=measure)
        # Past its expected duration, the measure needs a decision to end or change it.
        deadlines.deadline_schedule_expected_end(measure=measure)
        # plans and followups build on cases, not the other way round: their receivers
        # (cases.signals) create the case's one plan and then schedule the plan deadline (in
        # that order, so that an empty plan does not count as the plan being made; § 91,
        # counted from the decision), and schedule the first-follow-up deadline with the first
        # follow-up tied to it (§ 95, from the start). A § 30 measure (preventive) gets
        # neither deadline.
        start = timezone.make_aware(dt.datetime.combine(start_date, dt.time(9)))
        signals.measure_ordered.send(sender=Measure, measure=measure, user=user, start=start)
    return measure


def therapist_errors(therapists: Sequence[User], provider_team: Team) -> dict[str, Any]:
    outside = [t for t in therapists if not t.memberships.filter(team=provider_team).exists()]
    if outside:
        return {
            "therapists": _("%(names)s er ikke med i det udførende team.")
            % {"names": ", ".join(str(t) for t in outside)}
        }
    if any(t.role not in (Role.THERAPIST, Role.PSYCHOLOGIST) for t in therapists):
        return {"therapists": _("Kun familiebehandlere og psykologer kan tilknyttes en indsats.")}
    return {}


def hours_steps_errors(hours_steps: Sequence[tuple[int | None, Decimal]]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if any(weeks is None for weeks, _hours in hours_steps[:-1]):
        errors["hours_steps"] = _("Kun det sidste trin kan vare resten af forløbet.")
    for weeks, hours in hours_steps:
        if hours is None or hours <= 0 or (weeks is not None and weeks < 1):
            errors["hours_steps"] = _("Hvert trin skal have et positivt antal timer og uger.")
        elif hours > 40:
            errors["hours_steps"] = _("Et trin kan højst være 40 timer om ugen.")
    return errors


def _steps_until(measure: Measure, day: dt.date) -> list[tuple[int | None, Decimal]]:
    """The measure's hours steps as they were planned up to (not including) ``day``, the last
    one cut short at ``day``: what stays of the plan when it changes from ``day``."""
    weeks_before = max(0, (day - measure.start_date).days // 7)
    kept: list[tuple[int | None, Decimal]] = []
    elapsed = 0
    for step in measure.hours_steps.order_by("position"):
        if elapsed >= weeks_before:
            break
        weeks = step.weeks if step.weeks is not None else weeks_before - elapsed
        weeks = min(weeks, weeks_before - elapsed)
        kept.append((weeks, step.hours_per_week))
        elapsed += weeks
    return kept


@transaction.atomic
def measure_change(
    *,
    measure: Measure,
    changes_from: dt.date,
    purpose: str = "",
    expected_duration_months: int | None = None,
    planned_end_date: dt.date | None = None,
    provider_team: Team | None = None,
    therapists: Iterable[User] = (),
    hours_steps: Sequence[tuple[int | None, Decimal]] = (),
) -> Measure:
    """Change a measure from ``changes_from``: its content (purpose), duration (expected months,
    planned end), provider (team, and the therapists then assigned) or hours (the plan from that
    day replaced by ``hours_steps``; the steps before it stay). Only what is given changes; at
    least one thing must. Called by the decision that changes the measure
    (``cases.decisions.decision_make``): a measure changes only by a decision."""
    errors: dict[str, Any] = {}
    therapists = list(therapists)
    if measure.ended_on is not None:
        raise ValidationError(_("Indsatsen er afsluttet og kan ikke ændres."))
    if changes_from < measure.start_date:
        errors["changes_from"] = _("Ændringen kan ikke gælde fra før indsatsens start.")
    nothing = (
        not purpose.strip()
        and expected_duration_months is None
        and planned_end_date is None
        and provider_team is None
        and not therapists
        and not hours_steps
    )
    if nothing:
        errors["changes_from"] = _(
            "Angiv, hvad der ændres: formål, varighed, udførende team, behandlere eller timer."
        )
    if expected_duration_months is not None and not 1 <= expected_duration_months <= 72:
        errors["expected_duration_months"] = _("Den forventede varighed kan højst være 72 måneder.")
    if planned_end_date is not None and planned_end_date < measure.start_date:
        errors["planned_end_date"] = _("Slutdatoen ligger før startdatoen.")
    team = provider_team or measure.provider_team
    errors.update(therapist_errors(therapists, team))
    errors.update(hours_steps_errors(hours_steps))
    if errors:
        raise ValidationError(errors)
    fields = []
    if purpose.strip():
        measure.purpose = purpose.strip()
        fields.append("purpose")
    if expected_duration_months is not None:
        measure.expected_duration_months = expected_duration_months
        fields.append("expected_duration_months")
    if planned_end_date is not None:
        measure.planned_end_date = planned_end_date
        fields.append("planned_end_date")
    if provider_team is not None and provider_team.pk != measure.provider_team_id:
        measure.provider_team = provider_team
        fields.append("provider_team")
        # A new provider: the old provider's therapists leave the measure (and the case).
        measure.assignments.exclude(user__in=therapists).delete()
    if fields:
        measure.save(update_fields=fields)
    for therapist in therapists:
        MeasureAssignment.objects.get_or_create(measure=measure, user=therapist)
    if hours_steps:
        steps = _steps_until(measure, changes_from) + list(hours_steps)
        measure.hours_steps.all().delete()
        HoursStep.objects.bulk_create(
            [
                HoursStep(measure=measure, position=i, weeks=weeks, hours_per_week=hours)
                for i, (weeks, hours) in enumerate(steps, start=1)
            ]
        )
    if "expected_duration_months" in fields or "planned_end_date" in fields:
        deadlines.deadline_schedule_expected_end(measure=measure)
    return measure


def measure_assign_therapist(*, measure: Measure, therapist: User) -> MeasureAssignment:
    if therapist.role not in (Role.THERAPIST, Role.PSYCHOLOGIST):
        raise ValidationError(_("Kun familiebehandlere og psykologer kan tilknyttes en indsats."))
    if not therapist.memberships.filter(team=measure.provider_team_id).exists():
        raise ValidationError(_("Behandleren er ikke med i det udførende team."))
    assignment, _created = MeasureAssignment.objects.get_or_create(measure=measure, user=therapist)
    return assignment


@transaction.atomic
def measure_end(*, measure: Measure, ended_on: dt.date) -> Measure:
    if measure.ended_on is not None:
        raise ValidationError(_("Indsatsen er allerede afsluttet."))
    if ended_on < measure.start_date:
        raise ValidationError({"ended_on": _("Slutdatoen ligger før indsatsens start.")})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("Slutdatoen kan ikke ligge i fremtiden.")})
    measure.ended_on = ended_on
    measure.save(update_fields=["ended_on"])
    ended_at = timezone.make_aware(dt.datetime.combine(ended_on, dt.time(12)))
    deadlines.deadlines_meet(
        case=measure.case,
        rule_code=deadlines.YOUNG_ADULT_END,
        measure=measure,
        at=ended_at,
        event=gettext_noop("Ungestøtten afsluttet"),
    )
    deadlines.deadlines_meet(
        case=measure.case,
        rule_code=deadlines.MEASURE_EXPECTED_END,
        measure=measure,
        at=ended_at,
        event=gettext_noop("Afgørelse om ophør truffet"),
    )
    case = measure.case
    if case.status == CaseStatus.MEASURE and not case.measures.filter(ended_on=None).exists():
        case_transition(case=case, to_status=CaseStatus.CLOSING)
    return measure


# --- journal ---------------------------------------------------------------------------------


def journal_note_add(*, case: Case, author: User, text: str) -> JournalNote:
    if not text.strip():
        raise ValidationError({"text": _("Notatet er tomt.")})
    return JournalNote.objects.create(case=case, author=author, text=text.strip())


@transaction.atomic
def journal_note_correct(*, note: JournalNote, author: User, text: str) -> JournalNote:
    """A correction is a new note; the original stays, visibly corrected.

    Only the note's author corrects it; anyone else who disagrees writes a note of their own.
    """
    if note.author_id != author.pk:
        raise ValidationError(
            _("Kun den, der skrev notatet, kan rette det. Skriv et nyt notat i stedet.")
        )
    if JournalNote.objects.filter(corrects=note).exists():
        raise ValidationError(_("Notatet er allerede rettet. Ret den seneste rettelse i stedet."))
    if not text.strip():
        raise ValidationError({"text": _("Rettelsen er tom.")})
    return JournalNote.objects.create(
        case=note.case, author=author, text=text.strip(), corrects=note
    )


# --- closing and reopening -------------------------------------------------------------------


def case_close(*, case: Case, user: User, reason: str) -> Case:
    if not case.is_open:
        raise ValidationError(_("Sagen er allerede lukket."))
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv en begrundelse for at lukke sagen.")})
    if case.measures.filter(ended_on=None).exists():
        raise ValidationError(_("Afslut sagens igangværende indsatser, før sagen lukkes."))
    with transaction.atomic():
        case_transition(case=case, to_status=CaseStatus.CLOSED)
        case.closed_at = timezone.now()
        case.closing_reason = reason.strip()
        case.save(update_fields=["closed_at", "closing_reason", "updated_at"])
        deadlines.deadlines_close_for_case(
            case=case,
            user=user,
            reason=_("Sagen er lukket: %(reason)s") % {"reason": reason.strip()},
        )
    return case


@transaction.atomic
def case_reopen(*, case: Case, user: User) -> Case:
    if case.is_open:
        raise ValidationError(_("Sagen er allerede åben."))
    if Case.objects.filter(citizen_id=case.citizen_id).exclude(status=CaseStatus.CLOSED).exists():
        raise ValidationError(_("Barnet har allerede en åben sag."))
    case_transition(case=case, to_status=CaseStatus.NOTIFICATION)
    case.reopened_at = timezone.now()
    case.closed_at = None
    case.closing_reason = ""
    case.save(update_fields=["reopened_at", "closed_at", "closing_reason", "updated_at"])
    deadlines.deadlines_schedule_on_opening(case=case)
    return case
