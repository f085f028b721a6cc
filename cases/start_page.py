"""What the apps above cases add to Mine sager, the staff member's start page
(``cases.views.lists.my_cases``).

The panel "Næste frister" lists the user's next statutory deadlines together with the
follow-ups on their measures; follow-ups live in the followups app, which sits above cases
(pyproject's import-linter contract), so followups registers the panel's source from
FollowupsConfig.ready() with ``register_next_deadlines`` and the view asks
``next_deadlines``. Without a registered source the panel is empty.

Above both, the strip "Akutte vurderinger" (``acute_strip``): the 24-hour judgements not yet
made, on Mine sager and on the team lead's overview (issue 16).
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone

from accounts.models import User
from cases.links import case_url
from cases.selectors.lists import ACUTE_LIMIT, acute_judgements, time_left

# (user, now, limit) → the rows of the panel, soonest first.
NextDeadlines = Callable[[User, dt.datetime, int], list[Any]]

_sources: list[NextDeadlines] = []


def register_next_deadlines(source: NextDeadlines) -> None:
    """Make ``source`` the panel's rows; registering it again changes nothing."""
    if source not in _sources:
        _sources[:] = [source]


def next_deadlines(user: User, now: dt.datetime, limit: int) -> list[Any]:
    """The panel "Næste frister" of ``user``'s start page: at most ``limit`` rows."""
    return _sources[0](user, now, limit) if _sources else []


# --- the acute strip -------------------------------------------------------------------------


def acute_strip(user: User, now: dt.datetime, *, leads_team: bool) -> dict[str, Any]:
    """The strip "Akutte vurderinger" at the top of Mine sager and the team overview: the
    24-hour judgements not yet made on the user's cases (a team lead's: its teams'), overdue
    first, each with its time left and a link to the judgement page. One query.

    ``items`` holds what the page shows; the page logs ``shown`` (case id, citizen id)."""
    found = acute_judgements(user=user, leads_team=leads_team, limit=ACUTE_LIMIT)
    items = []
    for judgement in found[:ACUTE_LIMIT]:
        overdue, left = time_left(judgement.due_at, now)
        local = timezone.localtime(judgement.due_at)
        url = (
            reverse(
                "cases:notification_acute",
                kwargs={"case_id": judgement.case_id, "notification_id": judgement.notification_id},
            )
            if judgement.notification_id is not None
            else case_url("cases:case_notifications", judgement.case_id)
        )
        items.append(
            {
                "judgement": judgement,
                "overdue": overdue,
                "time_left": left,
                "due_iso": local.isoformat(),
                "due_text": formats.date_format(local, "SHORT_DATETIME_FORMAT"),
                "url": url,
                "is_mine": judgement.owner_id == user.pk,
            }
        )
    return {
        "items": items,
        "more": len(found) > ACUTE_LIMIT,
        "shown": [(j.case_id, j.citizen_id) for j in found[:ACUTE_LIMIT]],
    }
