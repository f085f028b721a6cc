"""Reads of a plan that are more than one query: the rating history, the plan page's content,
a frozen version laid out for reading, and what the family may see."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Case, Deadline
from plans.charts import Point, RatingRow, Series, rating_chart_svg, rating_table_rows
from plans.models import (
    Area,
    Goal,
    Plan,
    Rating,
    RatingRound,
    Responsibility,
    SafetyMapEntry,
    WorryStatement,
)
from plans.snapshots import (
    COLUMN_ORDER,
    ChangeAction,
    Section,
    plan_snapshot,
    plan_versions_compare,
    snapshot_for_family,
)

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


# --- the plan page's charts, deadline and comparison -----------------------------------------


@dataclass(frozen=True)
class RatingChart:
    """One scale's history drawn as an SVG, with the same figures for a table beside it."""

    title: str
    svg: str
    svg_narrow: str  # the same chart drawn for a phone's width
    dates: list[dt.date]
    rows: list[RatingRow]

    @property
    def has_ratings(self) -> bool:
        return bool(self.rows)


def rating_chart(
    *, group: GoalRatings, rounds: tuple[RatingRound, ...], title: str, id_prefix: str
) -> RatingChart:
    """One chart of ``group``'s answers (a goal, or the plan as a whole); ``id_prefix`` must be
    unique on the page, since the SVG's title and description are referenced by id."""
    series = [
        Series(
            label=rater.rater_name,
            points=[
                Point(on=rating_round.held_on, value=value)
                for rating_round, value in zip(rounds, rater.values, strict=True)
                if value is not None
            ],
        )
        for rater in group.raters
    ]
    dates, rows = rating_table_rows(series)
    return RatingChart(
        title=title,
        svg=rating_chart_svg(title=title, series=series, id_prefix=id_prefix),
        svg_narrow=rating_chart_svg(
            title=title, series=series, width=340, height=280, id_prefix=f"{id_prefix}-narrow"
        ),
        dates=dates,
        rows=rows,
    )


def plan_deadline(*, case: Case) -> Deadline | None:
    """The case's deadline for making the plan (rule ``plan``): the open one due first, else
    the one met or handled most recently; None when no plan has been decided."""
    rows = list(
        Deadline.objects.filter(case=case, rule__code="plan")
        .select_related("rule")
        .order_by("due_at", "id")
    )
    open_rows = [d for d in rows if d.is_open]
    if open_rows:
        return open_rows[0]
    return rows[-1] if rows else None


@dataclass(frozen=True)
class ChangeLine:
    """One difference between two versions, in words."""

    action: str  # added, removed or changed
    action_label: str
    field_label: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangeGroup:
    """The differences in one part of the plan (its texts, the internal note, one goal with
    its responsibilities, the map, the worries)."""

    key: str
    title: str
    lines: list[ChangeLine]
    is_internal: bool = False


def _labels() -> dict[str, dict[Any, str]]:
    return {
        "kind": {k: str(v) for k, v in Plan.Kind.choices},
        "area": {k: str(v) for k, v in Area.choices},
        "status": {k: str(v) for k, v in Goal.Status.choices},
        "column": {k: str(v) for k, v in SafetyMapEntry.Column.choices},
        "assignee_kind": {k: str(v) for k, v in Responsibility.AssigneeKind.choices},
    }


def _value_text(
    field: str, value: Any, labels: dict[str, dict[Any, str]], goals: dict[int, str]
) -> str:
    if value is None or value == "":
        return ""
    if field in labels:
        return labels[field].get(value, str(value))
    if field == "goal_id":
        return goals.get(value, "")
    if field == "target_date" and isinstance(value, str):
        return date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return str(value)


def _item_text(section: str, item: dict[str, Any], labels: dict[str, dict[Any, str]]) -> str:
    if section == Section.GOAL:
        return str(item.get("family_wording", ""))
    if section == Section.RESPONSIBILITY:
        return f"{item.get('assignee', '')}: {item.get('task', '')} ({item.get('when', '')})"
    if section == Section.SAFETY_MAP:
        return f"{labels['column'].get(item.get('column'), '')}: {item.get('text', '')}"
    if section == Section.WORRY:
        return f"{item.get('who_is_worried', '')}: {item.get('about', '')}"
    return ""


def versions_compare_content(*, old: dict[str, Any], new: dict[str, Any]) -> list[ChangeGroup]:
    """``plan_versions_compare`` laid out for reading: grouped by part of the plan in the
    page's order, codes turned into labels and every value into text."""
    labels = _labels()
    goals = {g["id"]: g.get("family_wording", "") for g in old.get("goals", [])}
    goals |= {g["id"]: g.get("family_wording", "") for g in new.get("goals", [])}
    group_titles = {
        Section.PLAN: _("Planens tekster"),
        Section.INTERNAL: _("Intern note – kun for fagpersoner"),
        Section.SAFETY_MAP: _("Vurderingskort"),
        Section.WORRY: _("Bekymringsudsagn og trivselsmål"),
    }
    item_labels = {
        Section.GOAL: _("Mål"),
        Section.RESPONSIBILITY: _("Ansvar"),
        Section.SAFETY_MAP: _("Punkt"),
        Section.WORRY: _("Bekymringsudsagn"),
    }
    action_labels = {
        ChangeAction.ADDED: _("Tilføjet"),
        ChangeAction.REMOVED: _("Fjernet"),
        ChangeAction.CHANGED: _("Ændret"),
    }
    groups: dict[str, ChangeGroup] = {}
    for change in plan_versions_compare(old=old, new=new):
        if change.section in (Section.GOAL, Section.RESPONSIBILITY):
            key = f"goal-{change.goal_id}"
            title = _("Mål: %(goal)s") % {"goal": goals.get(change.goal_id or 0, "")}
        else:
            key, title = str(change.section), str(group_titles[change.section])
        group = groups.setdefault(
            key, ChangeGroup(key=key, title=title, lines=[], is_internal=change.is_internal)
        )
        if change.action == ChangeAction.CHANGED:
            old_text = _value_text(change.field, change.old, labels, goals)
            new_text = _value_text(change.field, change.new, labels, goals)
            field_label = change.field_label
            field_label = field_label[:1].upper() + field_label[1:]
        else:
            text = _item_text(change.section, change.new or change.old or {}, labels)
            old_text, new_text = ("", text) if change.action == ChangeAction.ADDED else (text, "")
            field_label = str(item_labels[change.section])
        group.lines.append(
            ChangeLine(
                action=str(change.action),
                action_label=str(action_labels[change.action]),
                field_label=field_label,
                old=old_text,
                new=new_text,
            )
        )
    return list(groups.values())


# --- the family's page -----------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyResponsibility:
    assignee: str
    assignee_kind: str
    title: str  # a staff member's job title (e.g. "Familiebehandler"); empty for others
    task: str
    when: str


@dataclass(frozen=True)
class FamilyGoal:
    """One goal as the family reads it, with who does what and everybody's ratings of it."""

    id: int
    area: str
    family_wording: str
    professional_wording: str
    formulated_by: str
    target_date: dt.date | None
    status: str
    dropped_reason: str
    responsibilities: list[FamilyResponsibility]
    raters: tuple[RaterSeries, ...]  # each person's answers, one value per round


@dataclass(frozen=True)
class FamilyWorry:
    who_is_worried: str
    about: str
    if_nothing_changes: str
    wellbeing_goal: str
    for_how_long: str
    goal_wording: str  # the plan goal the worry serves; empty when none


@dataclass(frozen=True)
class FamilyPlanContent:
    """The plan as its family may read it: built only from ``plan_for_family`` (so never the
    internal note) and the rating history, with no model object that could lead elsewhere."""

    texts: dict[str, str]  # kind, purpose, child_voice, parents_view, house_*
    goal_groups: list[tuple[str, list[FamilyGoal]]]  # (area code, goals), in the law's order
    safety_map: dict[str, list[str]]  # column code -> the entries' texts
    worries: list[FamilyWorry]
    rounds: tuple[dt.date, ...]  # the dates of the rating rounds, in order
    overall: tuple[RaterSeries, ...]  # the answers about the plan as a whole
    last_reviewed: dt.datetime | None  # when the latest version was made with the family

    @property
    def is_empty(self) -> bool:
        written = any(value for key, value in self.texts.items() if key != "kind")
        return not (written or self.goal_groups or self.safety_map or self.worries)

    @property
    def has_houses(self) -> bool:
        return any(self.texts.get(f"house_{h}") for h in ("worries", "good_things", "dreams"))


def plan_for_family_page(*, plan: Plan) -> FamilyPlanContent:
    """The current (live) plan laid out for the family's page, in a fixed number of queries
    however many goals, responsibilities and rating rounds it has."""
    visible = plan_for_family(plan=plan)
    history = plan_rating_history(plan=plan)
    raters_by_goal = {g.goal.pk: g.raters for g in history.goals if g.goal is not None}
    titles = dict(
        Responsibility.objects.filter(goal__plan=plan, professional__isnull=False).values_list(
            "professional_id", "professional__title"
        )
    )
    goals = [
        FamilyGoal(
            id=g["id"],
            area=g["area"],
            family_wording=g["family_wording"],
            professional_wording=g["professional_wording"],
            formulated_by=g["formulated_by"],
            target_date=_date(g["target_date"]),
            status=g["status"],
            dropped_reason=g["dropped_reason"],
            responsibilities=[
                FamilyResponsibility(
                    assignee=r["assignee"],
                    assignee_kind=r["assignee_kind"],
                    title=titles.get(r["professional_id"], "") if r["professional_id"] else "",
                    task=r["task"],
                    when=r["when"],
                )
                for r in g["responsibilities"]
            ],
            raters=raters_by_goal.get(g["id"], ()),
        )
        for g in visible["goals"]
    ]
    wording = {g.id: g.family_wording for g in goals}
    safety_map: dict[str, list[str]] = {}
    for entry in visible["safety_map"]:
        safety_map.setdefault(entry["column"], []).append(entry["text"])
    last = plan.versions.order_by("-number").values_list("frozen_at", flat=True).first()
    return FamilyPlanContent(
        texts=dict(visible["plan"]),
        goal_groups=[
            (code, [g for g in goals if g.area == code])
            for code in Area.values
            if any(g.area == code for g in goals)
        ],
        safety_map=safety_map,
        worries=[
            FamilyWorry(
                who_is_worried=w["who_is_worried"],
                about=w["about"],
                if_nothing_changes=w["if_nothing_changes"],
                wellbeing_goal=w["wellbeing_goal"],
                for_how_long=w["for_how_long"],
                goal_wording=wording.get(w["goal_id"], ""),
            )
            for w in visible["worries"]
        ],
        rounds=tuple(r.held_on for r in history.rounds),
        overall=history.overall.raters,
        last_reviewed=last,
    )
