"""followups' receivers of cases' signals (cases.signals), connected in FollowupsConfig.ready().

The follow-up of Barnets Lov § 95 (the first within 3 months of the measure's start) is for the
measures of § 32; a § 30 measure (preventive, ``LegalBasis.is_preventive``) has no follow-up
deadline and no first follow-up.
"""

import datetime as dt
from typing import Any

from cases import deadlines as deadlines
from cases.models import Assessment, Measure
from followups.services import followup_create_first, followups_bring_forward


def measure_ordered(*, measure: Measure, start: dt.datetime, **kwargs: Any) -> None:
    """The statutory first-follow-up deadline, and the first follow-up due with it (§ 95);
    neither for a § 30 measure."""
    if measure.legal_basis.is_preventive:
        return
    first_followup = deadlines.deadline_schedule(
        case=measure.case, rule_code="first_followup", start=start, measure=measure
    )
    followup_create_first(measure=measure, deadline=first_followup)


def assessment_finished(*, assessment: Assessment, finished_on: dt.date, **kwargs: Any) -> None:
    """§ 95: the first follow-up on a measure comes when a parallel assessment ends, if earlier."""
    followups_bring_forward(case=assessment.case, assessment_ended_on=finished_on)
