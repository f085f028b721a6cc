"""A plan's content as plain data: the frozen snapshot of a version, what the family may see
of it, and a readable comparison of two snapshots.

Pure functions: ``plan_snapshot`` only reads, the others only look at dicts. A snapshot is
JSON (dates as ISO strings, ids as ints) with a stable order, so two snapshots of unchanged
content are equal and a stored version renders the same forever.

Ratings are not part of a snapshot: they are a time series of their own (``RatingRound``).
"""

import copy
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from plans.models import Goal, Plan, Responsibility, SafetyMapEntry, WorryStatement

SNAPSHOT_SCHEMA = 1

PLAN_FIELDS = (
    "kind",
    "purpose",
    "child_voice",
    "parents_view",
    "house_worries",
    "house_good_things",
    "house_dreams",
)
# Kept under their own key so that every family-facing rendering can leave them out.
INTERNAL_KEY = "internal"
INTERNAL_FIELDS = ("internal_note",)
GOAL_FIELDS = (
    "area",
    "family_wording",
    "professional_wording",
    "formulated_by",
    "target_date",
    "status",
    "dropped_reason",
)
RESPONSIBILITY_FIELDS = ("assignee_kind", "assignee", "task", "when")
SAFETY_MAP_FIELDS = ("column", "text")
WORRY_FIELDS = (
    "who_is_worried",
    "about",
    "if_nothing_changes",
    "wellbeing_goal",
    "for_how_long",
    "goal_id",
)

COLUMN_ORDER = {code: index for index, code in enumerate(SafetyMapEntry.Column.values)}


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def plan_snapshot(*, plan: Plan) -> dict[str, Any]:
    """The plan's current content (without ratings), as JSON-serialisable data."""
    goals = plan.goals.order_by("position", "id").prefetch_related(
        Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related(
                "family_member__citizen", "professional"
            ).order_by("position", "id"),
        )
    )
    entries = sorted(
        plan.safety_map.all(), key=lambda e: (COLUMN_ORDER.get(e.column, 99), e.position, e.pk)
    )
    return {
        "schema": SNAPSHOT_SCHEMA,
        "plan": {field: getattr(plan, field) for field in PLAN_FIELDS},
        INTERNAL_KEY: {field: getattr(plan, field) for field in INTERNAL_FIELDS},
        "goals": [
            {
                "id": goal.pk,
                **{field: _json(getattr(goal, field)) for field in GOAL_FIELDS},
                "responsibilities": [
                    {
                        "id": r.pk,
                        "assignee_kind": r.assignee_kind,
                        "assignee": r.assignee,
                        "family_member_id": r.family_member_id,
                        "professional_id": r.professional_id,
                        "task": r.task,
                        "when": r.when,
                    }
                    for r in goal.responsibilities.all()
                ],
            }
            for goal in goals
        ],
        "safety_map": [{"id": e.pk, "column": e.column, "text": e.text} for e in entries],
        "worries": [
            {"id": w.pk, **{field: getattr(w, field) for field in WORRY_FIELDS}}
            for w in plan.worries.order_by("position", "id")
        ],
    }


def snapshot_for_family(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot without what only professionals may read (the internal note)."""
    visible = copy.deepcopy(snapshot)
    visible.pop(INTERNAL_KEY, None)
    return visible


# --- comparing two versions ------------------------------------------------------------------


class ChangeAction(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class Section(StrEnum):
    PLAN = "plan"
    INTERNAL = "internal"
    GOAL = "goal"
    RESPONSIBILITY = "responsibility"
    SAFETY_MAP = "safety_map"
    WORRY = "worry"


SECTION_MODELS: dict[Section, type[models.Model]] = {
    Section.PLAN: Plan,
    Section.INTERNAL: Plan,
    Section.GOAL: Goal,
    Section.RESPONSIBILITY: Responsibility,
    Section.SAFETY_MAP: SafetyMapEntry,
    Section.WORRY: WorryStatement,
}
EXTRA_LABELS = {"assignee": _("ansvarlig")}


@dataclass(frozen=True)
class Change:
    """One difference between two versions.

    ``changed``: ``field`` with ``old`` and ``new`` values. ``added``/``removed``: the whole
    item (a dict from the snapshot) in ``new``/``old``. ``goal_id`` is the goal a goal or
    responsibility change belongs to; ``item_id`` the goal, responsibility, entry or worry.
    """

    action: ChangeAction
    section: Section
    field: str = ""
    old: Any = None
    new: Any = None
    goal_id: int | None = None
    item_id: int | None = None

    @property
    def field_label(self) -> str:
        if not self.field:
            return ""
        if self.field in EXTRA_LABELS:
            return str(EXTRA_LABELS[self.field])
        model = SECTION_MODELS[self.section]
        try:
            field = model._meta.get_field(self.field.removesuffix("_id"))
            return str(getattr(field, "verbose_name", self.field))
        except FieldDoesNotExist:
            return self.field

    @property
    def is_internal(self) -> bool:
        """Only for professionals: a family-facing comparison leaves it out."""
        return self.section == Section.INTERNAL


def _field_changes(
    section: Section,
    old: dict[str, Any],
    new: dict[str, Any],
    fields: tuple[str, ...],
    *,
    goal_id: int | None = None,
    item_id: int | None = None,
) -> list[Change]:
    return [
        Change(
            ChangeAction.CHANGED,
            section,
            field=field,
            old=old.get(field),
            new=new.get(field),
            goal_id=goal_id,
            item_id=item_id,
        )
        for field in fields
        if old.get(field) != new.get(field)
    ]


def _item_changes(
    section: Section,
    old_items: list[dict[str, Any]],
    new_items: list[dict[str, Any]],
    fields: tuple[str, ...],
    *,
    goal_id: int | None = None,
) -> list[Change]:
    old_by_id = {item["id"]: item for item in old_items}
    new_ids = {item["id"] for item in new_items}
    changes: list[Change] = []
    for item in new_items:
        before = old_by_id.get(item["id"])
        if before is None:
            changes.append(
                Change(ChangeAction.ADDED, section, new=item, goal_id=goal_id, item_id=item["id"])
            )
        else:
            changes += _field_changes(
                section, before, item, fields, goal_id=goal_id, item_id=item["id"]
            )
    changes += [
        Change(ChangeAction.REMOVED, section, old=item, goal_id=goal_id, item_id=item["id"])
        for item in old_items
        if item["id"] not in new_ids
    ]
    return changes


def plan_versions_compare(*, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """What changed from ``old`` to ``new`` (two snapshots), in the order of the plan page:
    the plan's texts, the internal note, goals (each with its responsibilities), the safety
    map and the worry statements. Goals and other items are matched by their id."""
    changes = _field_changes(Section.PLAN, old.get("plan", {}), new.get("plan", {}), PLAN_FIELDS)
    changes += _field_changes(
        Section.INTERNAL, old.get(INTERNAL_KEY, {}), new.get(INTERNAL_KEY, {}), INTERNAL_FIELDS
    )
    old_goals = {goal["id"]: goal for goal in old.get("goals", [])}
    new_goals = new.get("goals", [])
    for goal in new_goals:
        before = old_goals.get(goal["id"])
        if before is None:
            changes.append(
                Change(
                    ChangeAction.ADDED,
                    Section.GOAL,
                    new=goal,
                    goal_id=goal["id"],
                    item_id=goal["id"],
                )
            )
            continue
        changes += _field_changes(
            Section.GOAL, before, goal, GOAL_FIELDS, goal_id=goal["id"], item_id=goal["id"]
        )
        changes += _item_changes(
            Section.RESPONSIBILITY,
            before.get("responsibilities", []),
            goal.get("responsibilities", []),
            RESPONSIBILITY_FIELDS,
            goal_id=goal["id"],
        )
    new_goal_ids = {goal["id"] for goal in new_goals}
    changes += [
        Change(ChangeAction.REMOVED, Section.GOAL, old=goal, goal_id=goal["id"], item_id=goal["id"])
        for goal in old.get("goals", [])
        if goal["id"] not in new_goal_ids
    ]
    changes += _item_changes(
        Section.SAFETY_MAP, old.get("safety_map", []), new.get("safety_map", []), SAFETY_MAP_FIELDS
    )
    changes += _item_changes(
        Section.WORRY, old.get("worries", []), new.get("worries", []), WORRY_FIELDS
    )
    return changes
