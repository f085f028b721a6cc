"""The therapist's session log: drafts kept on the server as the therapist types, and logging.

Access to the case is decided before a service is called (the view loads the case through
``cases.pages.case_page``). The services check who may write a session: a therapist or
psychologist assigned to the measure the session belongs to, and for a draft only the
therapist who started it. They also check that the objects belong together
(goals to the case's plan, family members to the child's family).

A draft takes whatever has been typed so far; ``session_log`` checks the whole session and
either logs it or changes nothing.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from enum import Enum
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from cases.models import Case, FamilyMember, HoursStep, Measure
from followups.models import Session
from plans.models import Goal

SESSION_ROLES = frozenset({Role.THERAPIST, Role.PSYCHOLOGIST})
DURATION_MIN, DURATION_MAX = 5, 720  # minutes: from a short call-in to a long day
DRAFT_DURATION_MAX = 1440  # a draft keeps any plausible number; logging checks the range
INTERNAL_NOTE_MAX = 5000
FAMILY_SUMMARY_MAX = 2000
DRAFT_TEXT_MAX = 20000  # a draft keeps an over-long note so nothing typed is lost


class _Unset(Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET


@dataclass(frozen=True)
class SessionData:
    """What a session form sends; a field left UNSET is left as it is."""

    measure: Measure | Any = UNSET
    date: dt.date | Any | None = UNSET
    start_time: dt.time | Any | None = UNSET
    duration_minutes: int | Any | None = UNSET
    location: str | Any = UNSET
    location_other: str | Any = UNSET
    family_participants: Sequence[FamilyMember] | Any = UNSET
    network_participants: str | Any = UNSET
    second_therapist: User | Any | None = UNSET
    methods: Sequence[str] | Any = UNSET
    goals: Sequence[Goal] | Any = UNSET
    internal_note: str | Any = UNSET
    family_summary: str | Any = UNSET

    def given(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) is not UNSET
        }


# --- who may write -------------------------------------------------------------------------


def session_measures(*, case: Case, user: User) -> QuerySet[Measure]:
    """The case's active measures ``user`` may log sessions for (assigned therapist)."""
    if not user.is_active or user.role not in SESSION_ROLES:
        return Measure.objects.none()
    return (
        Measure.objects.filter(case=case, ended_on=None, assignments__user_id=user.pk)
        .select_related("legal_basis")
        .order_by("start_date", "id")
    )


def _require_author(session: Session, user: User) -> None:
    if session.therapist_id != user.pk:
        raise PermissionDenied(_("Kun den behandler, der har skrevet kladden, kan ændre den."))


def _require_draft(session: Session) -> None:
    if not session.is_draft:
        raise ValidationError(_("Sessionen er allerede registreret og kan ikke ændres."))


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("Sagen er lukket, og der kan ikke registreres sessioner."))


def _check_measure(case: Case, user: User, measure: Measure) -> None:
    if not session_measures(case=case, user=user).filter(pk=measure.pk).exists():
        raise ValidationError(
            {"measure": _("Vælg en aktiv indsats på sagen, som du er tilknyttet.")}
        )


def second_therapist_choices(*, case: Case, user: User) -> QuerySet[User]:
    """Who can share a session: therapists and psychologists on the case's measures or in
    their provider teams, other than the one writing."""
    return (
        User.objects.filter(is_active=True, role__in=SESSION_ROLES)
        .filter(
            Q(measure_assignments__measure__case=case) | Q(memberships__team__measures__case=case)
        )
        .exclude(pk=user.pk)
        .distinct()
        .order_by("first_name", "last_name", "id")
    )


def family_members_of(case: Case) -> QuerySet[FamilyMember]:
    """The members of the child's family (its household or households)."""
    return (
        FamilyMember.objects.filter(family__members__citizen_id=case.citizen_id)
        .select_related("citizen")
        .distinct()
        .order_by("-is_child", "first_name", "id")
    )


def goals_of(case: Case) -> QuerySet[Goal]:
    return Goal.objects.filter(plan__case=case).order_by("position", "id")


# --- checking values -----------------------------------------------------------------------


def _belonging_errors(session: Session, user: User, values: dict[str, Any]) -> dict[str, Any]:
    """Errors that no draft may hold either: objects from elsewhere, values the database
    cannot store. (The form offers none of them; a crafted request might.)"""
    case = session.case
    errors: dict[str, Any] = {}
    if "measure" in values:
        try:
            _check_measure(case, user, values["measure"])
        except ValidationError as error:
            errors.update(error.message_dict)
    members = values.get("family_participants")
    if members:
        ids = {m.pk for m in members}
        if family_members_of(case).filter(pk__in=ids).count() != len(ids):
            errors["family_participants"] = _("Vælg kun personer fra barnets familie.")
    goals = values.get("goals")
    if goals:
        ids = {g.pk for g in goals}
        if goals_of(case).filter(pk__in=ids).count() != len(ids):
            errors["goals"] = _("Vælg kun mål fra sagens plan.")
    second = values.get("second_therapist")
    if second is not None:
        if second.pk == user.pk:
            errors["second_therapist"] = _("Du kan ikke være anden behandler på din egen session.")
        elif second.role not in SESSION_ROLES or not second.is_active:
            errors["second_therapist"] = _(
                "Anden behandler skal være en aktiv familiebehandler eller psykolog."
            )
    methods = values.get("methods")
    if methods is not None and not set(methods) <= set(Session.Method.values):
        errors["methods"] = _("Vælg metoder fra listen.")
    location = values.get("location")
    if location and location not in Session.Location.values:
        errors["location"] = _("Vælg et sted fra listen.")
    duration = values.get("duration_minutes")
    if duration is not None and not 1 <= duration <= DRAFT_DURATION_MAX:
        errors["duration_minutes"] = _(
            "Varigheden skal være mellem %(min)d og %(max)d minutter."
        ) % {
            "min": DURATION_MIN,
            "max": DURATION_MAX,
        }
    for name, limit in (
        ("location_other", Session._meta.get_field("location_other").max_length),
        ("network_participants", Session._meta.get_field("network_participants").max_length),
        ("internal_note", DRAFT_TEXT_MAX),
        ("family_summary", DRAFT_TEXT_MAX),
    ):
        if name in values and len(values[name]) > cast(int, limit):
            errors[name] = _("Teksten må højst være %(max)d tegn.") % {"max": limit}
    return errors


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    for name in ("location_other", "network_participants", "internal_note", "family_summary"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "location" in values:
        values["location"] = values["location"] or ""
    if "methods" in values:
        # Stored in the order of the list, once each, whatever order they were ticked in.
        chosen = set(values["methods"] or [])
        values["methods"] = [m for m in Session.Method.values if m in chosen]
    return values


def _apply(session: Session, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name in ("family_participants", "goals"):
            continue
        setattr(session, name, value)
    session.save()
    if "family_participants" in values:
        session.family_participants.set(values["family_participants"])
    if "goals" in values:
        session.goals.set(values["goals"])


def _log_errors(session: Session) -> dict[str, Any]:
    """Everything a logged session must satisfy, checked on the stored draft."""
    errors: dict[str, Any] = {}
    today = timezone.localdate()
    if session.date is None:
        errors["date"] = _("Skriv datoen for sessionen.")
    elif session.date > today:
        errors["date"] = _("En session kan ikke registreres, før den har fundet sted.")
    elif session.date < session.measure.start_date:
        errors["date"] = _("Datoen ligger før indsatsen startede (%(start)s).") % {
            "start": f"{session.measure.start_date:%d.%m.%Y}"
        }
    if session.start_time is None:
        errors["start_time"] = _("Skriv, hvornår sessionen begyndte.")
    elif session.date == today and session.start_time > timezone.localtime().time().replace(
        second=59
    ):
        errors["start_time"] = _("Starttidspunktet ligger senere end nu.")
    if session.duration_minutes is None:
        errors["duration_minutes"] = _("Vælg eller skriv, hvor længe sessionen varede.")
    elif not DURATION_MIN <= session.duration_minutes <= DURATION_MAX:
        errors["duration_minutes"] = _(
            "Varigheden skal være mellem %(min)d og %(max)d minutter."
        ) % {"min": DURATION_MIN, "max": DURATION_MAX}
    if not session.location:
        errors["location"] = _("Vælg, hvor sessionen fandt sted.")
    elif session.location == Session.Location.OTHER and not session.location_other:
        errors["location_other"] = _("Skriv, hvor sessionen fandt sted.")
    if not session.methods:
        errors["methods"] = _("Vælg mindst én metode.")
    if len(session.internal_note) > INTERNAL_NOTE_MAX:
        errors["internal_note"] = _("Notatet må højst være %(max)d tegn (det er %(n)d).") % {
            "max": INTERNAL_NOTE_MAX,
            "n": len(session.internal_note),
        }
    if len(session.family_summary) > FAMILY_SUMMARY_MAX:
        errors["family_summary"] = _("Opsummeringen må højst være %(max)d tegn (den er %(n)d).") % {
            "max": FAMILY_SUMMARY_MAX,
            "n": len(session.family_summary),
        }
    # Belonging is checked again: a goal may have left the plan since the draft was saved.
    if session.second_therapist_id is not None:
        second = cast(User, session.second_therapist)
        if second.role not in SESSION_ROLES or not second.is_active:
            errors["second_therapist"] = _(
                "Anden behandler skal være en aktiv familiebehandler eller psykolog."
            )
    goal_ids = set(session.goals.values_list("pk", flat=True))
    if goal_ids and goals_of(session.case).filter(pk__in=goal_ids).count() != len(goal_ids):
        errors["goals"] = _("Vælg kun mål fra sagens plan.")
    member_ids = set(session.family_participants.values_list("pk", flat=True))
    if member_ids and (
        family_members_of(session.case).filter(pk__in=member_ids).count() != len(member_ids)
    ):
        errors["family_participants"] = _("Vælg kun personer fra barnets familie.")
    return errors


# --- the services --------------------------------------------------------------------------


def session_start(*, case: Case, user: User, measure: Measure) -> Session:
    """A new draft for ``measure``, with today's date and the current time filled in."""
    _require_open(case)
    _check_measure(case, user, measure)
    now = timezone.localtime()
    return Session.objects.create(
        case=case,
        measure=measure,
        therapist=user,
        status=Session.Status.DRAFT,
        date=now.date(),
        start_time=now.time().replace(second=0, microsecond=0),
    )


@transaction.atomic
def session_draft_save(
    *,
    case: Case,
    user: User,
    data: SessionData,
    session: Session | None = None,
    measure: Measure | None = None,
) -> Session:
    """Create (``session`` None, with ``measure``) or update a draft with what has been
    typed so far. Missing values are fine; values that belong elsewhere are refused."""
    _require_open(case)
    if session is None:
        if measure is None:
            raise ValidationError({"measure": _("Vælg indsatsen, sessionen hører til.")})
        session = session_start(case=case, user=user, measure=measure)
    else:
        session = Session.objects.select_for_update().select_related("case").get(pk=session.pk)
        if session.case_id != case.pk:
            raise PermissionDenied
        _require_author(session, user)
        _require_draft(session)
    session.case = case
    values = _clean(data.given())
    errors = _belonging_errors(session, user, values)
    if errors:
        raise ValidationError(errors)
    _apply(session, values)
    return session


@transaction.atomic
def session_log(
    *, case: Case, user: User, session: Session, data: SessionData | None = None
) -> Session:
    """Log the session: every rule checked on the whole session, then status "logged".

    ``data``, if given, is applied first; if anything is wrong nothing is saved at all.
    """
    _require_open(case)
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("measure", "case", "second_therapist")
        .get(pk=session.pk)
    )
    if session.case_id != case.pk:
        raise PermissionDenied
    _require_author(session, user)
    _require_draft(session)
    session.case = case
    # The therapist may have been taken off the measure, or the measure ended, since drafting.
    try:
        _check_measure(case, user, session.measure)
    except ValidationError as error:
        raise ValidationError(
            {"measure": _("Du kan kun registrere sessioner på en aktiv indsats, du er tilknyttet.")}
        ) from error
    if data is not None:
        values = _clean(data.given())
        errors = _belonging_errors(session, user, values)
        if errors:
            raise ValidationError(errors)
        _apply(session, values)
        if "measure" in values:
            session.measure = values["measure"]
    errors = _log_errors(session)
    if errors:
        # The atomic block rolls back anything ``data`` wrote.
        raise ValidationError(errors)
    session.status = Session.Status.LOGGED
    session.logged_at = timezone.now()
    session.save(update_fields=["status", "logged_at", "updated_at"])
    return session


@transaction.atomic
def session_delete_draft(*, case: Case, user: User, session: Session) -> None:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.case_id != case.pk:
        raise PermissionDenied
    _require_author(session, user)
    _require_draft(session)
    session.delete()


# --- reads ---------------------------------------------------------------------------------


def logged_sessions(case: Case) -> QuerySet[Session]:
    """The case's logged sessions, newest first, with everything the list shows."""
    return (
        Session.objects.filter(case=case, status=Session.Status.LOGGED)
        .select_related("therapist", "second_therapist", "measure__legal_basis")
        .prefetch_related("family_participants__citizen", "goals")
        .order_by("-date", "-start_time", "-id")
    )


def drafts_of(case: Case, user: User) -> QuerySet[Session]:
    return Session.objects.filter(
        case=case, therapist_id=user.pk, status=Session.Status.DRAFT
    ).order_by("-updated_at", "-id")


def used_minutes_by_month(
    measures: Sequence[Measure],
) -> dict[int, dict[dt.date, int]]:
    """Logged minutes per measure and calendar month (first day), in one query."""
    result: dict[int, dict[dt.date, int]] = {m.pk: {} for m in measures}
    rows = (
        Session.objects.filter(measure__in=[m.pk for m in measures], status=Session.Status.LOGGED)
        .annotate(month=TruncMonth("date"))
        .values("measure_id", "month")
        .annotate(minutes=Sum("duration_minutes"))
        .order_by()
    )
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        result[row["measure_id"]][month] = int(row["minutes"] or 0)
    return result


def hours_steps_by_measure(measures: Sequence[Measure]) -> dict[int, list[HoursStep]]:
    result: dict[int, list[HoursStep]] = {m.pk: [] for m in measures}
    for step in HoursStep.objects.filter(measure__in=[m.pk for m in measures]).order_by(
        "measure_id", "position"
    ):
        result[step.measure_id].append(step)
    return result
