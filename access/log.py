"""Writing the append-only access log. Every read of a case goes through here."""

from collections.abc import Iterable
from typing import Any, Protocol

from access.models import AccessLogEntry

Action = AccessLogEntry.Action


# A case and a citizen as the log needs them: cases sits above access, so they are not
# imported here (cases.models.Case and Citizen are what callers pass).
class Case(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def citizen_id(self) -> Any: ...


class Citizen(Protocol):
    @property
    def pk(self) -> Any: ...


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
        case_id=case.pk if case is not None else None,
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
    pairs: list[tuple[Any, Any]] = [(case.pk, case.citizen_id) for case in cases]
    pairs += [(None, citizen.pk) for citizen in citizens]
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                user=user,
                username=user.get_username(),
                case_id=case_id,
                citizen_id=citizen_id,
                action=action,
                target=target[:300],
            )
            for case_id, citizen_id in pairs
        ]
    )
