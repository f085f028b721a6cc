"""Writing the append-only access log. Every read of a case goes through here."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from access.models import AccessLogEntry

if TYPE_CHECKING:
    from cases.models import Case, Citizen

Action = AccessLogEntry.Action


def access_log_record(
    *,
    user: Any,
    action: str,
    case: "Case | None" = None,
    citizen: "Citizen | None" = None,
    target: str = "",
    reason: str = "",
) -> AccessLogEntry:
    citizen_id: Any
    if case is not None and citizen is None:
        citizen_id = case.citizen_id
    else:
        citizen_id = citizen.pk if citizen is not None else None
    authenticated = user is not None and user.is_authenticated
    return AccessLogEntry.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        case=case,
        citizen_id=citizen_id,
        action=action,
        target=target[:300],
        reason=reason[:300],
    )


def access_log_record_many(
    *,
    user: Any,
    action: str,
    cases: Iterable["Case"] = (),
    citizens: Iterable["Citizen"] = (),
    target: str = "",
) -> None:
    """One row per case or citizen, in one INSERT (search results, lists)."""
    pairs: list[tuple[Case | None, Any]] = [(case, case.citizen_id) for case in cases]
    pairs += [(None, citizen.pk) for citizen in citizens]
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                user=user,
                username=user.get_username(),
                case=case,
                citizen_id=citizen_id,
                action=action,
                target=target[:300],
            )
            for case, citizen_id in pairs
        ]
    )
