"""Domain actions on the plan of a case. Views and forms call these; they hold the rules.

Access is decided before a service is called: a view loads the case through
``cases.pages.case_page`` (the rules are ``access.rules``) and every plan object through that
case. Services check that objects belong together (a goal to the plan, a family member to the
child's family) and that the case is open.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import STAFF_ROLES, User
from cases import deadlines as deadlines
from cases.models import Case, FamilyMember, age_on
from plans.models import (
    Area,
    Goal,
    Plan,
    PlanVersion,
    Rating,
    RatingRound,
    Responsibility,
    SafetyMapEntry,
    WorryStatement,
)
from plans.snapshots import Change as Change
from plans.snapshots import plan_snapshot as plan_snapshot
from plans.snapshots import plan_versions_compare as plan_versions_compare
from plans.snapshots import snapshot_for_family as snapshot_for_family

YOUTH_PLAN_AGE = 16  # Barnets Lov § 108: the ungeplan from the 16th birthday
RATING_MIN, RATING_MAX = 0, 10
RATER_NAME_MAX = 200  # Rating.rater_name

# The event that meets the § 91 plan deadline, stored filled in and in Danish (registered
# with core.locale in plans.apps, shown through data_label).
PLAN_DRAWN_UP = gettext_noop("Planen udarbejdet med familien (version %(number)s)")


class _Unset(Enum):
    UNSET = "unset"


# "Leave as it is" for optional values where None means "clear it".
UNSET = _Unset.UNSET


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("Sagen er lukket, og planen kan ikke ændres."))


def _text(
    errors: dict[str, Any],
    model: type[models.Model],
    field: str,
    value: str | None,
    *,
    required: str = "",
) -> str:
    """``value`` stripped; a message in ``errors`` when it is missing (if required) or too long."""
    value = (value or "").strip()
    max_length = getattr(model._meta.get_field(field), "max_length", None)
    if required and not value:
        errors[field] = required
    elif max_length and len(value) > max_length:
        errors[field] = _("Teksten må højst være %(max)d tegn.") % {"max": max_length}
    return value


def _raise(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


def _next_position(queryset: models.QuerySet) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


# --- the plan --------------------------------------------------------------------------------


def plan_kind_for(*, case: Case, on: dt.date | None = None) -> str:
    """An ungeplan from the child's 16th birthday, before that barnets plan."""
    age = age_on(case.citizen.birth_date, on or timezone.localdate())
    return Plan.Kind.YOUTH_PLAN if age >= YOUTH_PLAN_AGE else Plan.Kind.CHILDS_PLAN


def plan_create(*, case: Case, user: User, kind: str | None = None) -> Plan:
    """The case's one plan (one citizen – one case – one plan): created, or the existing one.

    Creating the (empty) plan does not meet the plan deadline: the plan is made when it is
    written with the family and recorded as a version (``plan_version_freeze``).
    """
    _require_open(case)
    existing = Plan.objects.filter(case=case).first()
    if existing is not None:
        return existing
    if kind is None:
        kind = plan_kind_for(case=case)
    elif kind not in Plan.Kind.values:
        raise ValidationError({"kind": _("Vælg barnets plan eller ungeplan.")})
    try:
        with transaction.atomic():
            plan = Plan.objects.create(case=case, kind=kind, created_by=user)
    except IntegrityError:
        # Created by someone else at the same moment: the one-to-one refused the second row.
        return Plan.objects.get(case=case)
    if kind == Plan.Kind.YOUTH_PLAN:
        _youth_plan_decided(plan)
    return plan


def plan_update(
    *,
    plan: Plan,
    kind: str | None = None,
    purpose: str | None = None,
    child_voice: str | None = None,
    parents_view: str | None = None,
    house_worries: str | None = None,
    house_good_things: str | None = None,
    house_dreams: str | None = None,
    internal_note: str | None = None,
) -> Plan:
    """Change the plan's texts; only the fields given (not None) change."""
    _require_open(plan.case)
    texts = {
        "purpose": purpose,
        "child_voice": child_voice,
        "parents_view": parents_view,
        "house_worries": house_worries,
        "house_good_things": house_good_things,
        "house_dreams": house_dreams,
        "internal_note": internal_note,
    }
    changed = []
    if kind is not None:
        if kind not in Plan.Kind.values:
            raise ValidationError({"kind": _("Vælg barnets plan eller ungeplan.")})
        plan.kind = kind
        changed.append("kind")
    for field, value in texts.items():
        if value is not None:
            setattr(plan, field, value.strip())
            changed.append(field)
    if changed:
        plan.save(update_fields=[*changed, "updated_at"])
    if kind == Plan.Kind.YOUTH_PLAN:
        _youth_plan_decided(plan)
    return plan


def _youth_plan_decided(plan: Plan) -> None:
    """An ungeplan on the case is the decision on one (Barnets Lov § 108)."""
    deadlines.deadlines_meet(
        case=plan.case, rule_code="ungeplan", event=gettext_noop("Ungeplan oprettet")
    )


# --- goals -----------------------------------------------------------------------------------


def _goal_errors(
    *,
    area: str | None,
    family_wording: str | None,
    professional_wording: str | None,
    formulated_by: str | None,
) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, Any] = {}
    values: dict[str, str] = {}
    if area is not None:
        if area not in Area.values:
            errors["area"] = _("Vælg et af planens områder.")
        values["area"] = area
    if family_wording is not None:
        values["family_wording"] = _text(
            errors,
            Goal,
            "family_wording",
            family_wording,
            required=_("Skriv målet med familiens egne ord."),
        )
    if professional_wording is not None:
        values["professional_wording"] = _text(
            errors, Goal, "professional_wording", professional_wording
        )
    if formulated_by is not None:
        values["formulated_by"] = _text(errors, Goal, "formulated_by", formulated_by)
    return errors, values


def plan_goal_add(
    *,
    plan: Plan,
    area: str,
    family_wording: str,
    professional_wording: str = "",
    formulated_by: str = "",
    target_date: dt.date | None = None,
) -> Goal:
    _require_open(plan.case)
    errors, values = _goal_errors(
        area=area,
        family_wording=family_wording,
        professional_wording=professional_wording,
        formulated_by=formulated_by,
    )
    _raise(errors)
    return Goal.objects.create(
        plan=plan,
        target_date=target_date,
        position=_next_position(plan.goals.all()),
        **values,
    )


def plan_goal_update(
    *,
    goal: Goal,
    area: str | None = None,
    family_wording: str | None = None,
    professional_wording: str | None = None,
    formulated_by: str | None = None,
    target_date: dt.date | Literal[_Unset.UNSET] | None = UNSET,
) -> Goal:
    """Change a goal's wording; only the fields given change (``target_date=None`` clears it)."""
    _require_open(goal.plan.case)
    errors, values = _goal_errors(
        area=area,
        family_wording=family_wording,
        professional_wording=professional_wording,
        formulated_by=formulated_by,
    )
    _raise(errors)
    changes: dict[str, Any] = dict(values)
    if target_date is not UNSET:
        changes["target_date"] = target_date
    for field, value in changes.items():
        setattr(goal, field, value)
    if changes:
        goal.save(update_fields=list(changes))
    return goal


def plan_goal_set_status(*, goal: Goal, status: str, reason: str = "") -> Goal:
    """Open, reached or dropped. Dropping a goal needs a reason, which stays on record."""
    _require_open(goal.plan.case)
    if status not in Goal.Status.values:
        raise ValidationError({"status": _("Vælg en gyldig status for målet.")})
    reason = reason.strip()
    if status == Goal.Status.DROPPED and not reason:
        raise ValidationError({"reason": _("Skriv hvorfor målet opgives.")})
    goal.status = status
    goal.dropped_reason = reason if status == Goal.Status.DROPPED else ""
    goal.save(update_fields=["status", "dropped_reason"])
    return goal


@transaction.atomic
def plan_goal_reorder(*, plan: Plan, goal_ids: Sequence[int]) -> list[Goal]:
    """Put the plan's goals in the order given; every goal of the plan exactly once."""
    _require_open(plan.case)
    goals = {goal.pk: goal for goal in plan.goals.select_for_update()}
    if len(goal_ids) != len(set(goal_ids)) or set(goal_ids) != set(goals):
        raise ValidationError(_("Rækkefølgen skal nævne hvert af planens mål præcis én gang."))
    ordered = [goals[pk] for pk in goal_ids]
    for position, goal in enumerate(ordered, start=1):
        goal.position = position
    Goal.objects.bulk_update(ordered, ["position"])
    return ordered


# --- who does what ---------------------------------------------------------------------------


def _member_of_childs_family(case: Case, member: FamilyMember) -> bool:
    return FamilyMember.objects.filter(
        pk=member.pk, family__members__citizen_id=case.citizen_id
    ).exists()


def plan_responsibility_add(
    *,
    goal: Goal,
    assignee_kind: str,
    task: str,
    when: str,
    family_member: FamilyMember | None = None,
    professional: User | None = None,
    assignee_name: str = "",
) -> Responsibility:
    """Who does what for a goal: exactly one of a family member (of the child's family), a
    staff user, or a name (the child, a network person, a professional outside the system).
    For the child, the name may be left out: the child's first name is used."""
    case = goal.plan.case
    _require_open(case)
    Kind = Responsibility.AssigneeKind
    errors: dict[str, Any] = {}
    task = _text(errors, Responsibility, "task", task, required=_("Skriv hvad der skal gøres."))
    when = _text(errors, Responsibility, "when", when, required=_("Skriv hvornår."))
    name = _text(errors, Responsibility, "assignee_name", assignee_name)
    if assignee_kind not in Kind.values:
        errors["assignee_kind"] = _("Vælg hvem der har ansvaret.")
        _raise(errors)
    if assignee_kind == Kind.CHILD and family_member is None and not name:
        name = case.citizen.first_name
    given = sum([family_member is not None, professional is not None, bool(name)])
    if given != 1:
        errors["assignee_kind"] = _(
            "Angiv præcis én ansvarlig: et familiemedlem, en fagperson eller et navn."
        )
    elif family_member is not None:
        if assignee_kind not in (Kind.FAMILY_MEMBER, Kind.CHILD):
            errors["family_member"] = _(
                "Et familiemedlem er ansvarlig som familiemedlem eller som barnet selv."
            )
        elif not _member_of_childs_family(case, family_member):
            errors["family_member"] = _("Personen hører ikke til barnets familie.")
        elif assignee_kind == Kind.CHILD and family_member.citizen_id != case.citizen_id:
            errors["family_member"] = _("Vælg barnet selv eller en anden type ansvarlig.")
    elif professional is not None:
        if assignee_kind != Kind.PROFESSIONAL:
            errors["professional"] = _("En medarbejder kan kun være ansvarlig som fagperson.")
        elif professional.role not in STAFF_ROLES or not professional.is_active:
            errors["professional"] = _("Vælg en aktiv medarbejder.")
    elif assignee_kind == Kind.FAMILY_MEMBER:
        errors["family_member"] = _("Vælg familiemedlemmet fra barnets familie.")
    _raise(errors)
    return Responsibility.objects.create(
        goal=goal,
        assignee_kind=assignee_kind,
        family_member=family_member,
        professional=professional,
        assignee_name=name,
        task=task,
        when=when,
        position=_next_position(goal.responsibilities.all()),
    )


def plan_responsibility_remove(*, responsibility: Responsibility) -> None:
    _require_open(responsibility.goal.plan.case)
    responsibility.delete()


# --- Signs of Safety -------------------------------------------------------------------------


def plan_safety_entry_add(*, plan: Plan, column: str, text: str) -> SafetyMapEntry:
    _require_open(plan.case)
    errors: dict[str, Any] = {}
    if column not in SafetyMapEntry.Column.values:
        errors["column"] = _("Vælg en kolonne på vurderingskortet.")
    text = _text(errors, SafetyMapEntry, "text", text, required=_("Skriv punktet."))
    _raise(errors)
    return SafetyMapEntry.objects.create(
        plan=plan,
        column=column,
        text=text,
        position=_next_position(plan.safety_map.filter(column=column)),
    )


def plan_safety_entry_remove(*, entry: SafetyMapEntry) -> None:
    _require_open(entry.plan.case)
    entry.delete()


def _worry_values(
    errors: dict[str, Any], plan: Plan, fields: dict[str, str | None], goal: Goal | None
) -> dict[str, Any]:
    required = {
        "who_is_worried": _("Skriv hvem der er bekymret."),
        "about": _("Skriv hvad bekymringen handler om."),
        "if_nothing_changes": _("Skriv hvad der kan ske, hvis intet ændrer sig."),
    }
    values: dict[str, Any] = {
        field: _text(errors, WorryStatement, field, value, required=required.get(field, ""))
        for field, value in fields.items()
        if value is not None
    }
    if goal is not None and goal.plan_id != plan.pk:
        errors["goal"] = _("Målet hører ikke til denne plan.")
    return values


def plan_worry_add(
    *,
    plan: Plan,
    who_is_worried: str,
    about: str,
    if_nothing_changes: str,
    wellbeing_goal: str = "",
    for_how_long: str = "",
    goal: Goal | None = None,
) -> WorryStatement:
    """A worry statement in plain language, with its wellbeing goal and the plan goal it serves."""
    _require_open(plan.case)
    errors: dict[str, Any] = {}
    values = _worry_values(
        errors,
        plan,
        {
            "who_is_worried": who_is_worried,
            "about": about,
            "if_nothing_changes": if_nothing_changes,
            "wellbeing_goal": wellbeing_goal,
            "for_how_long": for_how_long,
        },
        goal,
    )
    _raise(errors)
    return WorryStatement.objects.create(
        plan=plan, goal=goal, position=_next_position(plan.worries.all()), **values
    )


def plan_worry_update(
    *,
    worry: WorryStatement,
    who_is_worried: str | None = None,
    about: str | None = None,
    if_nothing_changes: str | None = None,
    wellbeing_goal: str | None = None,
    for_how_long: str | None = None,
    goal: Goal | Literal[_Unset.UNSET] | None = UNSET,
) -> WorryStatement:
    """Only the fields given change; ``goal=None`` unlinks the plan goal."""
    plan = worry.plan
    _require_open(plan.case)
    errors: dict[str, Any] = {}
    values = _worry_values(
        errors,
        plan,
        {
            "who_is_worried": who_is_worried,
            "about": about,
            "if_nothing_changes": if_nothing_changes,
            "wellbeing_goal": wellbeing_goal,
            "for_how_long": for_how_long,
        },
        goal if isinstance(goal, Goal) else None,
    )
    _raise(errors)
    if goal is not UNSET:
        values["goal"] = goal
    for field, value in values.items():
        setattr(worry, field, value)
    if values:
        worry.save(update_fields=list(values))
    return worry


def plan_worry_remove(*, worry: WorryStatement) -> None:
    _require_open(worry.plan.case)
    worry.delete()


# --- scaling 0–10 ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingInput:
    """One person's answer: for a goal, or for the plan as a whole when ``goal`` is None."""

    goal: Goal | None
    rater_kind: str
    rater_name: str
    value: int


def _rating_error(plan: Plan, rating: RatingInput) -> str:
    if rating.goal is not None and rating.goal.plan_id != plan.pk:
        return _("Målet hører ikke til denne plan.")
    if rating.rater_kind not in Rating.RaterKind.values:
        return _("Vælg hvem der har givet vurderingen.")
    name = rating.rater_name.strip()
    if not name:
        return _("Skriv navnet på den, der har givet vurderingen.")
    if len(name) > RATER_NAME_MAX:
        return _("Navnet er for langt.")
    if (
        not isinstance(rating.value, int)
        or isinstance(rating.value, bool)
        or not RATING_MIN <= rating.value <= RATING_MAX
    ):
        return _("En vurdering er et helt tal fra 0 til 10.")
    return ""


def _rating_key(goal_id: int | None, rater_name: str) -> tuple[int | None, str]:
    # "Mor" and "mor " are the same person answering twice.
    return goal_id, rater_name.strip().casefold()


def _input_key(rating: RatingInput) -> tuple[int | None, str]:
    return _rating_key(rating.goal.pk if rating.goal is not None else None, rating.rater_name)


def _duplicate_message(rating: RatingInput) -> str:
    if rating.goal is None:
        return _("%(name)s har allerede givet en samlet vurdering i denne runde.") % {
            "name": rating.rater_name.strip()
        }
    return _("%(name)s har allerede vurderet dette mål i denne runde.") % {
        "name": rating.rater_name.strip()
    }


def _new_rating(round: RatingRound, rating: RatingInput) -> Rating:
    return Rating(
        round=round,
        goal=rating.goal,
        rater_kind=rating.rater_kind,
        rater_name=rating.rater_name.strip(),
        value=rating.value,
    )


def plan_rating_round_record(
    *,
    plan: Plan,
    user: User,
    held_on: dt.date,
    ratings: Sequence[RatingInput],
    note: str = "",
) -> RatingRound:
    """One meeting's round of scaling answers, saved whole or not at all."""
    _require_open(plan.case)
    errors: dict[str, Any] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("Datoen kan ikke ligge i fremtiden.")
    elif plan.rating_rounds.filter(held_on=held_on).exists():
        errors["held_on"] = _(
            "Der er allerede en skaleringsrunde den dag. Tilføj vurderingerne til den."
        )
    note = _text(errors, RatingRound, "note", note)
    problems: list[str] = []
    seen: set[tuple[int | None, str]] = set()
    for rating in ratings:
        problem = _rating_error(plan, rating)
        if not problem:
            key = _input_key(rating)
            if key in seen:
                problem = _duplicate_message(rating)
            seen.add(key)
        if problem:
            problems.append(problem)
    if not ratings:
        problems.append(_("Runden skal have mindst én vurdering."))
    if problems:
        errors["ratings"] = problems
    _raise(errors)
    try:
        with transaction.atomic():
            rating_round = RatingRound.objects.create(
                plan=plan, held_on=held_on, note=note, recorded_by=user
            )
            Rating.objects.bulk_create([_new_rating(rating_round, r) for r in ratings])
    except IntegrityError:
        # Another round for the same day was saved at the same moment.
        raise ValidationError(
            {
                "held_on": _(
                    "Der er allerede en skaleringsrunde den dag. Tilføj vurderingerne til den."
                )
            }
        ) from None
    return rating_round


def plan_rating_add(
    *,
    round: RatingRound,
    goal: Goal | None,
    rater_kind: str,
    rater_name: str,
    value: int,
) -> Rating:
    """One more answer in an existing round (the one-rating-at-a-time form)."""
    plan = round.plan
    _require_open(plan.case)
    rating = RatingInput(goal=goal, rater_kind=rater_kind, rater_name=rater_name, value=value)
    problem = _rating_error(plan, rating)
    if not problem and any(
        _rating_key(existing.goal_id, existing.rater_name) == _input_key(rating)
        for existing in round.ratings.all()
    ):
        problem = _duplicate_message(rating)
    if problem:
        raise ValidationError({"ratings": [problem]})
    try:
        with transaction.atomic():
            new = _new_rating(round, rating)
            new.save()
            return new
    except IntegrityError:
        # The same person's answer was saved at the same moment.
        raise ValidationError({"ratings": [_duplicate_message(rating)]}) from None


# --- versions --------------------------------------------------------------------------------


@transaction.atomic
def plan_version_freeze(*, plan: Plan, user: User, reason: str = "") -> PlanVersion:
    """Freeze the current content as version ``plan.version`` and go on with the next number.

    Recording a version is the plan being made (or revised) with the family: it meets the
    case's open plan deadlines (Barnets Lov § 91). A plan needs at least one goal for that.
    Ratings are not frozen: they are a time series of their own.
    """
    errors: dict[str, Any] = {}
    reason = _text(errors, PlanVersion, "reason", reason)
    if not plan.goals.exists():
        errors[NON_FIELD_ERRORS] = _(
            "Planen skal have mindst ét mål, før den gemmes som en version."
        )
    _raise(errors)
    # Lock the plan so that two freezes at once cannot both take the same number.
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    version = PlanVersion.objects.create(
        plan=locked,
        number=locked.version,
        frozen_by=user,
        reason=reason,
        snapshot=plan_snapshot(plan=locked),
    )
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    deadlines.deadlines_meet(
        case=locked.case,
        rule_code="plan",
        event=PLAN_DRAWN_UP % {"number": version.number},
    )
    plan.version = locked.version
    plan.updated_at = locked.updated_at
    return version
