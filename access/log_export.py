"""One citizen's access log as rows, JSON or CSV: the answer to a request under GDPR art. 15.

Shared by the ``export_access_log`` management command and the case's download, so both
give the citizen the same columns. No CPR number is ever part of a row.

cases sits above access: citizens and cases are named by id, and read through the log's
foreign keys ("cases.Case", "cases.Citizen") and field paths, never imported.
"""

import csv
import json
from typing import Any, Protocol, cast

from django.db import models
from django.db.models import Q
from django.utils import timezone

from access.models import AccessLogEntry

COLUMNS: tuple[str, ...] = (
    "at",
    "user",
    "action",
    "action_label",
    "case",
    "case_id",
    "citizen_id",
    "target",
    "reason",
)

# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def _related_model(field: str) -> type[models.Model]:
    """The model behind one of the log's foreign keys (cases.Case, cases.Citizen)."""
    return cast(type[models.Model], AccessLogEntry._meta.get_field(field).related_model)


def citizen_exists(citizen_id: Any) -> bool:
    return _related_model("citizen")._default_manager.filter(pk=citizen_id).exists()


def access_log_rows(*, citizen_id: Any) -> list[dict[str, str | None]]:
    """Every log entry about the citizen ``citizen_id``, oldest first.

    An entry belongs to the citizen when it names them, or when it names one of their cases
    without naming them (rows written directly rather than through ``access_log_record``).
    The case ids are fetched first so the query stays an OR of two index lookups.
    """
    case_ids = list(
        _related_model("case")
        ._default_manager.filter(citizen_id=citizen_id)
        .values_list("pk", flat=True)
    )
    entries = (
        AccessLogEntry.objects.filter(Q(citizen_id=citizen_id) | Q(case_id__in=case_ids))
        .order_by("at", "id")
        .values_list(
            "at", "username", "action", "case__number", "case_id", "citizen_id", "target", "reason"
        )
    )
    labels = dict(AccessLogEntry.Action.choices)
    return [
        {
            "at": timezone.localtime(at).isoformat(),
            "user": username,
            "action": action,
            "action_label": str(labels.get(action, action)),
            "case": case_number,
            "case_id": str(case_id) if case_id is not None else None,
            "citizen_id": str(entry_citizen_id or citizen_id),
            "target": target,
            "reason": reason,
        }
        for at, username, action, case_number, case_id, entry_citizen_id, target, reason in entries
    ]


def write_json(rows: list[dict[str, str | None]], stream: Writable) -> None:
    """A JSON array, written in one piece (some streams add a newline to every write)."""
    stream.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")


def _csv_safe(value: str | None) -> str | None:
    if value and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(rows: list[dict[str, str | None]], stream: Writable) -> None:
    """CSV with a header row; text that a spreadsheet would run as a formula is quoted."""
    writer = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_safe(row.get(key)) for key in COLUMNS})


def access_log_record_export(
    *, citizen_id: Any, actor: str, target: str = "", reason: str = ""
) -> AccessLogEntry:
    """Log an export made by a system actor (no user row), e.g. a management command.

    ``access_log_record`` only names authenticated users, so a command would be logged
    with an empty user name; this writes the actor's name instead.
    """
    return AccessLogEntry.objects.create(
        user=None,
        username=actor[:150],
        citizen_id=citizen_id,
        action=AccessLogEntry.Action.EXPORT,
        target=target[:300],
        reason=reason[:300],
    )
