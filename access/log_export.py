"""One citizen's access log as rows, JSON or CSV: the answer to a request under GDPR art. 15.

Shared by the ``export_access_log`` management command and (later) the web download, so both
give the citizen the same columns. No CPR number is ever part of a row.
"""

import csv
import json
from typing import Any, Protocol

from django.db.models import Q
from django.utils import timezone

from access.models import AccessLogEntry
from cases.models import Case, Citizen

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


def access_log_rows(*, citizen: Citizen) -> list[dict[str, str | None]]:
    """Every log entry about ``citizen``, oldest first.

    An entry belongs to the citizen when it names them, or when it names one of their cases
    without naming them (rows written directly rather than through ``access_log_record``).
    The case ids are fetched first so the query stays an OR of two index lookups.
    """
    case_ids = list(Case.objects.filter(citizen=citizen).values_list("id", flat=True))
    entries = (
        AccessLogEntry.objects.filter(Q(citizen=citizen) | Q(case_id__in=case_ids))
        .select_related("case")
        .order_by("at", "id")
    )
    labels = dict(AccessLogEntry.Action.choices)
    return [
        {
            "at": timezone.localtime(entry.at).isoformat(),
            "user": entry.username,
            "action": entry.action,
            "action_label": str(labels.get(entry.action, entry.action)),
            "case": entry.case.number if entry.case is not None else None,
            "case_id": str(entry.case_id) if entry.case_id is not None else None,
            "citizen_id": str(entry.citizen_id or citizen.pk),
            "target": entry.target,
            "reason": entry.reason,
        }
        for entry in entries
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
    *, citizen: Citizen, actor: str, target: str = "", reason: str = ""
) -> AccessLogEntry:
    """Log an export made by a system actor (no user row), e.g. a management command.

    ``access_log_record`` only names authenticated users, so a command would be logged
    with an empty user name; this writes the actor's name instead.
    """
    return AccessLogEntry.objects.create(
        user=None,
        username=actor[:150],
        citizen=citizen,
        action=AccessLogEntry.Action.EXPORT,
        target=target[:300],
        reason=reason[:300],
    )
