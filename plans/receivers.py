"""plans' receivers of cases' signals (cases.signals), connected in PlansConfig.ready().

The plan deadline of Barnets Lov § 91 (the child's plan within 3 months) counts from the
decision of the measure, and a § 30 measure (preventive, ``LegalBasis.is_preventive``) has none.
"""

import datetime as dt
from typing import Any

from accounts.models import User
from cases import deadlines as deadlines
from cases.models import Measure
from plans.services import plan_create


def measure_ordered(*, measure: Measure, user: User, start: dt.datetime, **kwargs: Any) -> None:
    """One case – one plan: the first measure creates it (idempotent), and the plan deadline
    (Barnets Lov § 91) runs from the decision of the measure (``Measure.decided_at``), not
    from its start.

    The plan is created before the deadline is scheduled, so that an empty plan does not count
    as the plan being made; inside measure_order's transaction. A § 30 measure (preventive)
    has no statutory plan deadline; the case's plan is there all the same, for a family that
    wants one.
    """
    plan_create(case=measure.case, user=user)
    if measure.legal_basis.is_preventive:
        return
    deadlines.deadline_schedule(
        case=measure.case, rule_code="plan", start=measure.decided_at, measure=measure
    )
