"""Reads of a plan that are more than one query: the rating history, the plan page's content,
a frozen version laid out for reading, and what the family may see."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from .models import (
    Area,
    Goal,
    Plan,
    Rating,
    RatingRound,
    Responsibility,
    SafetyMapEntry,
    WorryStatement,
)
from .snapshots import COLUMN_ORDER, plan_snapshot, snapshot_for_family

# --- scaling over time -----------------------------------------------------------------------


@dataclass(frozen=True)
class RaterSeries:
    """One person's answers, one value per round of the history (None: not asked that day)."""

    rater_name: str
    rater_kind: str
    values: tuple[int | None, ...]


@dataclass(frozen=True)
class GoalRatings:
    """The answers about one goal, or about the plan as a whole when ``goal`` is None."""

    goal: Goal | None
    raters: tuple[RaterSeries, ...]

    @property
    def has_ratings(self) -> bool:
        return bool(self.raters)


@dataclass(frozen=True)
class RatingHistory:
    rounds: tuple[RatingRound, ...]  # in date order
    overall: GoalRatings
    goals: tuple[GoalRatings, ...]  # every goal of the plan, in the plan's order

    @property
    def has_ratings(self) -> bool:
        return self.overall.has_ratings or any(g.has_ratings for g in self.goals)


def plan_rating_history(*, plan: Plan) -> RatingHistory:
    """The rounds in date order and, per goal and overall, each person's answer per round.

    Three queries however many rounds, goals and ratings there are. A person is recognised by
    name (case and surrounding spaces ignored) and listed in the order they first answered.
    """
    rounds = tuple(plan.rating_rounds.order_by("held_on", "id"))
    column = {rating_round.pk: index for index, rating_round in enumerate(rounds)}
    goals = list(plan.goals.order_by("position", "id"))
    ratings = Rating.objects.filter(round__plan=plan).order_by("round__held_on", "round_id", "id")

    # goal id (None: overall) -> person key -> [name, kind, values per round]
    table: dict[int | None, dict[str, list[Any]]] = {}
    for rating in ratings.only("round_id", "goal_id", "rater_kind", "rater_name", "value"):
        people = table.setdefault(rating.goal_id, {})
        key = rating.rater_name.strip().casefold()
        if key not in people:
            people[key] = [rating.rater_name, rating.rater_kind, [None] * len(rounds)]
        people[key][1] = rating.rater_kind  # the latest kind wins
        people[key][2][column[rating.round_id]] = rating.value

    def of(goal: Goal | None) -> GoalRatings:
        people = table.get(goal.pk if goal is not None else None, {})
        return GoalRatings(
            goal=goal,
            raters=tuple(
                RaterSeries(rater_name=name, rater_kind=kind, values=tuple(values))
                for name, kind, values in people.values()
            ),
        )

    return RatingHistory(rounds=rounds, overall=of(None), goals=tuple(of(g) for g in goals))


# --- the plan page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanContent:
    plan: Plan
    goal_groups: list[tuple[str, list[Goal]]]  # (area label, goals), areas in the law's order
    safety_columns: list[tuple[str, str, list[SafetyMapEntry]]]  # (code, label, entries)
    worries: list[WorryStatement]
    history: RatingHistory


def plan_content(*, plan: Plan) -> PlanContent:
    """Everything the plan page shows, in a fixed number of queries."""
    goals = list(
        plan.goals.order_by("position", "id").prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related(
                    "family_member__citizen", "professional"
                ).order_by("position", "id"),
            )
        )
    )
    entries = list(plan.safety_map.order_by("position", "id"))
    return PlanContent(
        plan=plan,
        goal_groups=[
            (str(label), [g for g in goals if g.area == code])
            for code, label in Area.choices
            if any(g.area == code for g in goals)
        ],
        safety_columns=[
            (code, str(label), [e for e in entries if e.column == code])
            for code, label in SafetyMapEntry.Column.choices
        ],
        worries=list(plan.worries.select_related("goal").order_by("position", "id")),
        history=plan_rating_history(plan=plan),
    )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def version_content(*, snapshot: dict[str, Any]) -> dict[str, Any]:
    """A frozen snapshot laid out like the plan page: goals by area, the safety map by column,
    codes turned into labels."""
    goals = snapshot.get("goals", [])
    goal_text = {g["id"]: g["family_wording"] for g in goals}
    kinds = dict(Responsibility.AssigneeKind.choices)
    statuses = dict(Goal.Status.choices)
    entries = sorted(
        snapshot.get("safety_map", []), key=lambda e: COLUMN_ORDER.get(e["column"], 99)
    )
    return {
        "plan": snapshot.get("plan", {}),
        "kind_label": dict(Plan.Kind.choices).get(snapshot.get("plan", {}).get("kind"), ""),
        "internal": snapshot.get("internal", {}),
        "goal_groups": [
            (
                str(label),
                [
                    {
                        **g,
                        "target_date": _date(g.get("target_date")),
                        "status_label": str(statuses.get(g["status"], g["status"])),
                        "responsibilities": [
                            {**r, "kind_label": str(kinds.get(r["assignee_kind"], ""))}
                            for r in g.get("responsibilities", [])
                        ],
                    }
                    for g in goals
                    if g["area"] == code
                ],
            )
            for code, label in Area.choices
            if any(g["area"] == code for g in goals)
        ],
        "safety_columns": [
            (code, str(label), [e for e in entries if e["column"] == code])
            for code, label in SafetyMapEntry.Column.choices
        ],
        "worries": [
            {**w, "goal_text": goal_text.get(w.get("goal_id"), "")}
            for w in snapshot.get("worries", [])
        ],
    }


# --- the family's view -----------------------------------------------------------------------


def plan_for_family(*, plan: Plan) -> dict[str, Any]:
    """The plan's current content as the family may see it: without the internal note."""
    return snapshot_for_family(plan_snapshot(plan=plan))
