"""Follow-ups on measures (Barnets Lov § 95): the first from the rule, later ones as decided.

The first follow-up is created with the measure and tied to the statutory first-follow-up
deadline; it falls due 3 months after the start, or when a parallel assessment ends, if that
is earlier. Holding it meets the deadline. At the first follow-up the caseworker decides the
later schedule, with reasons the family sees.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from cases import deadlines as deadlines
from cases.decisions import decision_draft_create
from cases.models import Case, CaseStatus, Deadline, Decision, Measure
from cases.working_days import end_of_day
from followups.models import FollowUp, GoalEvaluation
from plans import selectors as plan_selectors
from plans.models import Goal
from plans.services import plan_version_freeze

MAX_SCHEDULED_AHEAD = 6  # later follow-ups decided at one meeting
MAX_DAYS_AHEAD = 2 * 366  # a typing error in the year, not a schedule
TEXT_MAX = 5000

# The event that meets the § 95 deadline, stored filled in and in Danish (registered with
# core.locale in followups.apps, shown through data_label).
FIRST_FOLLOWUP_HELD = gettext_noop("Første opfølgning holdt %(date)s")


@dataclass(frozen=True)
class EvaluationInput:
    goal: Goal
    verdict: str
    note: str = ""


def followup_create_first(*, measure: Measure, deadline: Deadline | None) -> FollowUp:
    """The measure's first follow-up, due with the statutory deadline (idempotent)."""
    existing = FollowUp.objects.filter(measure=measure, number=1).first()
    if existing is not None:
        return existing
    if deadline is not None:
        due_on = timezone.localtime(deadline.due_at).date()
    else:
        # No active rule: the law's 3 months all the same.
        due_on = measure.start_date + relativedelta(months=3)
    try:
        with transaction.atomic():
            return FollowUp.objects.create(
                case=measure.case, measure=measure, number=1, due_on=due_on, deadline=deadline
            )
    except IntegrityError:
        return FollowUp.objects.get(measure=measure, number=1)


def followups_bring_forward(*, case: Case, assessment_ended_on: dt.date) -> int:
    """A parallel assessment ended: first follow-ups due later fall due on that day (§ 95).

    Returns how many follow-ups were brought forward.
    """
    moved = 0
    first_followups = FollowUp.objects.filter(
        case=case,
        number=1,
        held_on=None,
        measure__ended_on=None,
        measure__start_date__lte=assessment_ended_on,
        due_on__gt=assessment_ended_on,
    ).select_related("deadline")
    for followup in first_followups:
        followup.due_on = assessment_ended_on
        followup.save(update_fields=["due_on"])
        deadline = followup.deadline
        if deadline is not None and deadline.is_open:
            deadline.due_at = end_of_day(assessment_ended_on)
            deadline.save(update_fields=["due_at"])
        moved += 1
    return moved


def _check_next_dates(
    errors: dict[str, Any],
    after: dt.date,
    next_dates: Sequence[dt.date],
    reasons: str,
    *,
    taken: set[dt.date],
) -> list[dt.date]:
    dates = sorted(set(next_dates))
    clash = sorted(day for day in dates if day in taken)
    if len(dates) > MAX_SCHEDULED_AHEAD:
        errors["next_dates"] = _("Planlæg højst %(max)d opfølgninger ad gangen.") % {
            "max": MAX_SCHEDULED_AHEAD
        }
    elif any(day <= after for day in dates):
        errors["next_dates"] = _("De næste opfølgninger skal ligge efter denne.")
    elif any(day > after + dt.timedelta(days=MAX_DAYS_AHEAD) for day in dates):
        errors["next_dates"] = _("En opfølgning kan højst planlægges to år frem.")
    elif clash:
        errors["next_dates"] = _("Der er allerede en opfølgning den %(date)s.") % {
            "date": f"{clash[0]:%d.%m.%Y}"
        }
    if dates and not reasons:
        errors["schedule_reasons"] = _(
            "Skriv begrundelsen for de næste opfølgninger. Familien kan se den."
        )
    return dates


def _create_later(measure: Measure, dates: Sequence[dt.date]) -> list[FollowUp]:
    top = FollowUp.objects.filter(measure=measure).aggregate(top=Max("number"))["top"] or 0
    return FollowUp.objects.bulk_create(
        [
            FollowUp(case=measure.case, measure=measure, number=top + i, due_on=day)
            for i, day in enumerate(dates, start=1)
        ]
    )


@transaction.atomic
def followup_complete(
    *,
    followup: FollowUp,
    user: User,
    held_on: dt.date,
    participants: str,
    decision: str,
    decision_reasons: str,
    evaluations: Sequence[EvaluationInput] = (),
    rating_round_id: int | None = None,
    revise_plan: bool = False,
    next_dates: Sequence[dt.date] = (),
    schedule_reasons: str = "",
) -> FollowUp:
    """Record a held follow-up whole, or nothing: decision, evaluations, next schedule.

    Holding the first follow-up meets the statutory deadline. A follow-up that decides to
    adjust or end the measure does not change it: it leads to a draft decision (change or end,
    ``cases.decisions``) on the measure, linked as ``measure_decision``, which the caseworker
    completes and makes; only that decision changes or ends the measure.
    """
    followup = (
        FollowUp.objects.select_for_update().select_related("measure", "case").get(pk=followup.pk)
    )
    errors: dict[str, Any] = {}
    if followup.held_on is not None:
        raise ValidationError(_("Opfølgningen er allerede registreret."))
    if followup.case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Sagen er lukket."))
    # Later follow-ups are numbered per measure: one completion at a time per measure.
    measure = Measure.objects.select_for_update().get(pk=followup.measure_id)
    if held_on > timezone.localdate():
        errors["held_on"] = _("Datoen kan ikke ligge i fremtiden.")
    elif held_on < measure.start_date:
        errors["held_on"] = _("Datoen ligger før indsatsens start.")
    participants = participants.strip()
    if not participants:
        errors["participants"] = _("Skriv hvem der deltog.")
    if decision not in FollowUp.Decision.values:
        errors["decision"] = _("Vælg en beslutning.")
    decision_reasons = decision_reasons.strip()
    if not decision_reasons:
        errors["decision_reasons"] = _("Skriv begrundelsen for beslutningen.")
    for field, value in (
        ("participants", participants),
        ("decision_reasons", decision_reasons),
        ("schedule_reasons", schedule_reasons),
    ):
        if len(value) > TEXT_MAX and field not in errors:
            errors[field] = _("Teksten må højst være %(max)d tegn.") % {"max": TEXT_MAX}
    schedule_reasons = schedule_reasons.strip()
    taken = set(
        FollowUp.objects.filter(measure=measure, held_on=None)
        .exclude(pk=followup.pk)
        .values_list("due_on", flat=True)
    )
    dates = _check_next_dates(errors, held_on, next_dates, schedule_reasons, taken=taken)
    if dates and decision == FollowUp.Decision.END and "next_dates" not in errors:
        errors["next_dates"] = _(
            "Der planlægges ikke flere opfølgninger, når det besluttes at afslutte indsatsen."
        )
    if (
        followup.number == 1
        and decision != FollowUp.Decision.END
        and not dates
        and "next_dates" not in errors
        and not FollowUp.objects.filter(measure=measure, number__gt=1).exists()
    ):
        errors["next_dates"] = _(
            "Ved første opfølgning besluttes de næste opfølgninger: angiv mindst én dato."
        )
    plan = getattr(followup.case, "plan", None)
    seen: set[int] = set()
    for evaluation in evaluations:
        if plan is None or evaluation.goal.plan_id != plan.pk:
            errors["evaluations"] = _("Målet hører ikke til sagens plan.")
        elif evaluation.verdict not in GoalEvaluation.Verdict.values:
            errors["evaluations"] = _("Vælg en vurdering for hvert mål.")
        elif evaluation.goal.pk in seen:
            errors["evaluations"] = _("Hvert mål vurderes én gang.")
        seen.add(evaluation.goal.pk)
    rating_round = None
    if rating_round_id is not None:
        rating_round = plan.rating_rounds.filter(pk=rating_round_id).first() if plan else None
        if rating_round is None:
            errors["rating_round"] = _("Skaleringsrunden hører ikke til sagens plan.")
        elif rating_round.held_on != held_on:
            errors["rating_round"] = _(
                "Skaleringsrunden er holdt den %(round)s, ikke på opfølgningens dato."
            ) % {"round": f"{rating_round.held_on:%d.%m.%Y}"}
    if revise_plan and (plan is None or not plan.goals.exists()):
        errors.setdefault(
            NON_FIELD_ERRORS,
            _("Planen skal have mindst ét mål, før den gemmes som en ny version."),
        )
    if errors:
        raise ValidationError(errors)

    followup.held_on = held_on
    followup.participants = participants
    followup.decision = decision
    followup.decision_reasons = decision_reasons
    followup.schedule_reasons = schedule_reasons
    followup.rating_round = rating_round
    followup.completed_by = user
    followup.completed_at = timezone.now()
    if revise_plan and plan is not None:
        followup.plan_version = plan_version_freeze(
            plan=plan,
            user=user,
            reason=_("Revideret ved %(number)s. opfølgning %(date)s")
            % {"number": followup.number, "date": f"{held_on:%d.%m.%Y}"},
        )
    followup.save()
    GoalEvaluation.objects.bulk_create(
        [
            GoalEvaluation(
                followup=followup, goal=e.goal, verdict=e.verdict, note=e.note.strip()[:TEXT_MAX]
            )
            for e in evaluations
        ]
    )
    if dates:
        _create_later(measure, dates)
    if decision in (FollowUp.Decision.ADJUST, FollowUp.Decision.END) and measure.ended_on is None:
        followup.measure_decision = _draft_measure_decision(followup, user)
        followup.save(update_fields=["measure_decision"])
    if followup.deadline_id is not None:
        deadlines.deadlines_meet(
            case=followup.case,
            rule_code="first_followup",
            measure=measure,
            at=timezone.make_aware(dt.datetime.combine(held_on, dt.time(12))),
            event=FIRST_FOLLOWUP_HELD % {"date": f"{held_on:%d.%m.%Y}"},
        )
    return followup


def _draft_measure_decision(followup: FollowUp, user: User) -> Decision:
    """The draft decision a follow-up's "adjust" or "end" leads to."""
    end = followup.decision == FollowUp.Decision.END
    assert followup.held_on is not None
    facts = _("Besluttet ved %(number)s. opfølgning %(date)s: %(reasons)s") % {
        "number": followup.number,
        "date": f"{followup.held_on:%d.%m.%Y}",
        "reasons": followup.decision_reasons,
    }
    return decision_draft_create(
        case=followup.case,
        user=user,
        kind=Decision.Kind.MEASURE_END if end else Decision.Kind.MEASURE_CHANGE,
        measure=followup.measure,
        facts=facts,
        **({"ends_on": followup.held_on} if end else {"changes_from": followup.held_on}),
    )


# --- reads for the follow-up pages (each a fixed number of queries) ---------------------------


@dataclass(frozen=True)
class FollowUpRow:
    followup: FollowUp
    is_next: bool  # the measure's next follow-up to hold
    is_overdue: bool


@dataclass(frozen=True)
class MeasureFollowUps:
    measure: Measure
    rows: list[FollowUpRow]

    @property
    def next(self) -> FollowUp | None:
        return next((row.followup for row in self.rows if row.is_next), None)


def _is_overdue(followup: FollowUp, today: dt.date) -> bool:
    return followup.held_on is None and followup.due_on < today


def case_followups_overview(*, case: Case, today: dt.date | None = None) -> list[MeasureFollowUps]:
    """Every measure of the case with its follow-ups in order. Two queries."""
    today = today or timezone.localdate()
    measures = list(case.measures.select_related("legal_basis").order_by("start_date", "id"))
    by_measure: dict[int, list[FollowUp]] = {}
    for followup in (
        FollowUp.objects.filter(case=case)
        .select_related("deadline__rule")
        .order_by("measure_id", "number")
    ):
        followup.case = case
        by_measure.setdefault(followup.measure_id, []).append(followup)
    overview = []
    for measure in measures:
        followups = by_measure.get(measure.pk, [])
        open_ones = sorted(
            (f for f in followups if f.held_on is None), key=lambda f: (f.due_on, f.number)
        )
        next_pk = open_ones[0].pk if open_ones and measure.ended_on is None else None
        overview.append(
            MeasureFollowUps(
                measure=measure,
                rows=[
                    FollowUpRow(
                        followup=f, is_next=f.pk == next_pk, is_overdue=_is_overdue(f, today)
                    )
                    for f in followups
                ],
            )
        )
    return overview


@dataclass(frozen=True)
class EarlierVerdict:
    followup: FollowUp
    evaluation: GoalEvaluation


@dataclass(frozen=True)
class GoalAtMeeting:
    """A goal of the plan as the follow-up meeting looks at it."""

    goal: Goal
    chart: Any  # plans.selectors.RatingChart
    earlier: list[EarlierVerdict]  # its verdicts at the measure's earlier follow-ups
    evaluation: GoalEvaluation | None  # the verdict at this follow-up, once held


@dataclass(frozen=True)
class FollowUpMeeting:
    followup: FollowUp
    is_overdue: bool
    goals: list[GoalAtMeeting]
    overall_chart: Any  # plans.selectors.RatingChart | None
    rounds: tuple[Any, ...]  # the plan's rating rounds (plans.models.RatingRound)
    earlier: list[FollowUp]  # the measure's earlier held follow-ups, with their decisions
    later: list[FollowUp]  # the measure's later follow-ups


def followup_meeting(
    *, followup: FollowUp, plan: Any, today: dt.date | None = None
) -> FollowUpMeeting:
    """What the follow-up page puts in front of the meeting: the plan's goals with their
    rating history, the verdicts and decisions of earlier follow-ups and, once held, what was
    recorded. A fixed number of queries however many goals, rounds and follow-ups."""
    today = today or timezone.localdate()
    siblings = list(FollowUp.objects.filter(measure_id=followup.measure_id).order_by("number"))
    earlier = [f for f in siblings if f.number < followup.number and f.held_on is not None]
    later = [f for f in siblings if f.number > followup.number]
    evaluations: dict[int, dict[int, GoalEvaluation]] = {}
    if plan is not None:
        for evaluation in GoalEvaluation.objects.filter(
            followup__measure_id=followup.measure_id, goal__plan=plan
        ):
            evaluations.setdefault(evaluation.goal_id, {})[evaluation.followup_id] = evaluation
    goals: list[GoalAtMeeting] = []
    overall_chart = None
    rounds: tuple[Any, ...] = ()
    if plan is not None:
        history = plan_selectors.plan_rating_history(plan=plan)
        rounds = history.rounds
        overall_chart = plan_selectors.rating_chart(
            group=history.overall,
            rounds=history.rounds,
            title=_("Samlet vurdering"),
            id_prefix="chart-overall",
        )
        for group in history.goals:
            goal = group.goal
            if goal is None:
                continue
            of_goal = evaluations.get(goal.pk, {})
            goals.append(
                GoalAtMeeting(
                    goal=goal,
                    chart=plan_selectors.rating_chart(
                        group=group,
                        rounds=history.rounds,
                        title=goal.family_wording[:80],
                        id_prefix=f"chart-goal-{goal.pk}",
                    ),
                    earlier=[
                        EarlierVerdict(followup=f, evaluation=of_goal[f.pk])
                        for f in earlier
                        if f.pk in of_goal
                    ],
                    evaluation=of_goal.get(followup.pk),
                )
            )
    return FollowUpMeeting(
        followup=followup,
        is_overdue=_is_overdue(followup, today),
        goals=goals,
        overall_chart=overall_chart,
        rounds=rounds,
        earlier=earlier,
        later=later,
    )


@dataclass(frozen=True)
class FamilyFollowUp:
    """A follow-up as the family sees it: when, what was decided, why the next ones are when
    they are. Never the participants, the reasons for the decision or the evaluations."""

    held_on: dt.date | None
    due_on: dt.date
    decision: str
    decision_label: str
    schedule_reasons: str


def followups_for_family(*, case: Case) -> list[FamilyFollowUp]:
    """The case's follow-ups for the family's page, in date order. One query."""
    labels = dict(FollowUp.Decision.choices)
    rows = FollowUp.objects.filter(case=case).order_by("due_on", "number")
    return [
        FamilyFollowUp(
            held_on=r["held_on"],
            due_on=r["due_on"],
            decision=r["decision"],
            decision_label=str(labels.get(r["decision"], "")),
            schedule_reasons=r["schedule_reasons"],
        )
        for r in rows.values("held_on", "due_on", "decision", "schedule_reasons")
    ]
