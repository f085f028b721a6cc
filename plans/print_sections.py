"""What the apps above plans add to the plan's print view (``plans.views.page.plan_print``).

The printed plan handed out at a meeting also shows the family's network map; network sits
above plans (pyproject's import-linter contract), so it registers its part from
NetworkConfig.ready() with ``register`` and the view asks ``context_for(case)``.
"""

from collections.abc import Callable
from typing import Any

from cases.models import Case

# case → the template variables of one section (empty: the section is left out).
PrintSection = Callable[[Case], dict[str, Any]]

_SECTIONS: list[PrintSection] = []


def register(section: PrintSection) -> None:
    """Add ``section`` to every printed plan; registering it again changes nothing."""
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def context_for(case: Case) -> dict[str, Any]:
    """The registered sections' variables for the printed plan of ``case``."""
    context: dict[str, Any] = {}
    for section in _SECTIONS:
        context.update(section(case))
    return context
