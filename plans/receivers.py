"""plans' receivers of cases' signals (cases.signals), connected in PlansConfig.ready()."""

import datetime as dt
from typing import Any

from accounts.models import User
from cases import deadlines as deadlines
from cases.models import Measure
from plans.services import plan_create


def measure_ordered(*, measure: Measure, user: User, start: dt.datetime, **kwargs: Any) -> None:
    """One case – one plan: the first measure creates it (idempotent).

    Done before the plan deadline is scheduled, so that an empty plan does not count as the
    plan being made; inside measure_order's transaction.
    """
    plan_create(case=measure.case, user=user)
    deadlines.deadline_schedule(case=measure.case, rule_code="plan", start=start, measure=measure)
