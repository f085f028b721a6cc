"""What the apps above cases add to Mine sager, the staff member's start page
(``cases.views.lists.my_cases``).

The panel "Næste frister" lists the user's next statutory deadlines together with the
follow-ups on their measures; follow-ups live in the followups app, which sits above cases
(pyproject's import-linter contract), so followups registers the panel's source from
FollowupsConfig.ready() with ``register_next_deadlines`` and the view asks
``next_deadlines``. Without a registered source the panel is empty.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from accounts.models import User

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
