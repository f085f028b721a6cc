"""The read of a list page (Mine sager, the deadline list, the reminders): one access-log row
per case the page shows, written in one INSERT, action "view", the page's path as the target.

A list shows children's names and case numbers, so it is a read of each case on it like the
case's own page (docs/domain.md, "Access log"). Only the cases on the page are logged, not
the rest of the list; a page that shows no case writes nothing (and runs no query).
"""

from collections.abc import Iterable
from typing import Any, NamedTuple

from django.http import HttpRequest

from access.log import Action, access_log_record_many


class ShownCase(NamedTuple):
    """A case as ``access_log_record_many`` needs it, from the values a list already holds."""

    pk: Any
    citizen_id: Any


def access_log_cases_shown(request: HttpRequest, shown: Iterable[tuple[Any, Any]]) -> None:
    """Log the cases a list page shows: ``shown`` is (case id, citizen id) per row, in the
    page's order; a case on several rows is logged once."""
    cases = [ShownCase(pk, citizen_id) for pk, citizen_id in dict(shown).items()]
    if cases:
        access_log_record_many(
            user=request.user, action=Action.VIEW, cases=cases, target=request.path
        )
