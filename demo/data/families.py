"""The demo's families: one row per family (whose caseworker it is, what stage each child's
case is in, which family has a login) and when things happened in each kind of case.

Plain tables only: ``demo.builders.families`` and ``demo.builders.stories`` turn a row into
people and dates, drawing the rest from the demo's seeded generator. The login users named
here (``familie``, ``familie2``) are in the README's demo user table; the portal's other
family logins are ``demo.data.personas``.
"""

from dataclasses import dataclass

from cases.models import CaseStatus
from demo.data.people import SOLE_CUSTODY_MOTHER

NOTIFICATION = CaseStatus.NOTIFICATION.value
ASSESSMENT = CaseStatus.ASSESSMENT.value
MEASURE = CaseStatus.MEASURE.value
CLOSING = CaseStatus.CLOSING.value
CLOSED = CaseStatus.CLOSED.value


@dataclass(frozen=True)
class FamilyPlan:
    owner: str
    stages: tuple[str, ...]  # one per child, oldest first
    login: str | None = None  # family-portal user of the custodial parent
    therapist: str | None = None  # therapist on this family's measures, else round-robin
    # FAMILY_STRUCTURES or SOLE_CUSTODY_MOTHER (data.people); drawn when None.
    structure: str | None = None
    teen: bool = False  # the oldest child is 16 or 17
    reopened: bool = False  # the children had a case closed about a year ago
    # The story variant of the family's cases instead of the next in turn (STAGE_VARIANTS);
    # the turn is still taken, so the other families keep theirs.
    variant: str | None = None


N, A, M, CG, CD = NOTIFICATION, ASSESSMENT, MEASURE, CLOSING, CLOSED
FB, FB2 = "familiebehandler", "familiebehandler2"

FAMILY_PLAN: tuple[FamilyPlan, ...] = (
    # sagsbehandler, Team Nord: 14 children
    # familie: a measure running for a couple of months, so the plan has a history to show.
    # The mother has sole custody; the children's father (familie-far) and her new partner
    # (stedforaelder) are personas of demo.data.personas.
    FamilyPlan(
        "sagsbehandler",
        (M, M),
        login="familie",
        therapist=FB,
        structure=SOLE_CUSTODY_MOTHER,
        variant="established",
    ),
    FamilyPlan("sagsbehandler", (N, N)),  # the acute judgement due within the day
    # An assessment past its four months: Mine sager shows sagsbehandler an overdue deadline.
    FamilyPlan("sagsbehandler", (A, A, A), structure="stepfamily", variant="overdue"),
    FamilyPlan("sagsbehandler", (M, M), therapist=FB),
    FamilyPlan("sagsbehandler", (M,), therapist=FB2, teen=True),
    FamilyPlan("sagsbehandler", (CG,), therapist=FB),
    FamilyPlan("sagsbehandler", (CD, CD)),
    FamilyPlan("sagsbehandler", (CD,), teen=True),
    # sagsbehandler2, Team Syd: 14 children
    FamilyPlan("sagsbehandler2", (M,), login="familie2", therapist=FB2, structure="single_mother"),
    FamilyPlan("sagsbehandler2", (N, N)),
    FamilyPlan("sagsbehandler2", (A,), teen=True),
    FamilyPlan("sagsbehandler2", (A, A)),
    FamilyPlan("sagsbehandler2", (M, M)),
    FamilyPlan("sagsbehandler2", (M, M), structure="stepfamily"),
    FamilyPlan("sagsbehandler2", (CG,)),
    FamilyPlan("sagsbehandler2", (CD,)),
    FamilyPlan("sagsbehandler2", (CD, CD)),
    # sagsbehandler3, Team Nord: 10 children
    FamilyPlan("sagsbehandler3", (N, N), reopened=True),
    FamilyPlan("sagsbehandler3", (A, A)),
    FamilyPlan("sagsbehandler3", (M, M, M), structure="with_grandmother"),
    FamilyPlan("sagsbehandler3", (CG,), teen=True),
    FamilyPlan("sagsbehandler3", (CD, CD)),
    # sagsbehandler4, Team Nord: 11 children
    FamilyPlan("sagsbehandler4", (N,)),
    FamilyPlan("sagsbehandler4", (A, A)),
    FamilyPlan("sagsbehandler4", (M, M)),
    FamilyPlan("sagsbehandler4", (M, M), structure="single_father"),
    FamilyPlan("sagsbehandler4", (CG,)),
    FamilyPlan("sagsbehandler4", (CD,)),
    FamilyPlan("sagsbehandler4", (CD, CD)),
    # sagsbehandler5, Team Syd: 10 children
    FamilyPlan("sagsbehandler5", (N, N)),
    FamilyPlan("sagsbehandler5", (A, A)),
    FamilyPlan("sagsbehandler5", (CD, M)),
    FamilyPlan("sagsbehandler5", (M, M)),
    FamilyPlan("sagsbehandler5", (CG, CG)),
    # sagsbehandler6, Team Syd: 11 children
    FamilyPlan("sagsbehandler6", (N,)),
    FamilyPlan("sagsbehandler6", (A, A)),
    FamilyPlan("sagsbehandler6", (M, M, M), structure="stepfamily"),
    FamilyPlan("sagsbehandler6", (M,), teen=True),
    FamilyPlan("sagsbehandler6", (CG,)),
    FamilyPlan("sagsbehandler6", (CD, CD, CD)),
)

# Variants cycle per stage, so every situation a caseworker meets is in the demo.
STAGE_VARIANTS: dict[str, tuple[str, ...]] = {
    NOTIFICATION: ("acute_pending", "receipt_overdue", "receipt_sent", "acute_overdue"),
    ASSESSMENT: ("early", "near_deadline", "midway", "overdue"),
    MEASURE: ("new", "running", "established", "followup_due"),
    CLOSING: ("closing",),
    CLOSED: ("screened_out", "after_measure", "after_clarification", "moved"),
}

# How long ago a case's story began, in days (low, high), by its variant: when the notification
# came for notifications, assessments and closed cases; when the measure started for measures
# and closings. Dates are then moved back to a working day.
STORY_DAYS_AGO: dict[str, tuple[int, int]] = {
    "receipt_sent": (2, 5),
    "receipt_overdue": (11, 16),  # judged, but more than 6 working days without a receipt
    "early": (18, 45),
    "midway": (50, 90),
    "near_deadline": (108, 115),
    "overdue": (126, 140),
    "new": (7, 25),
    "running": (30, 55),
    "established": (60, 85),
    "followup_due": (100, 130),
    "closing": (65, 88),
    "screened_out": (30, 200),
    "after_clarification": (90, 260),
    "after_measure": (280, 420),
    "moved": (200, 300),
}
# A notification not yet judged: hours since it came (the acute judgement is due within 24).
ACUTE_HOURS_AGO: dict[str, tuple[float, float]] = {
    "acute_pending": (2, 16),
    "acute_overdue": (30, 60),
}
# A measure in the closing stage ended this many days ago.
CLOSING_MEASURE_ENDED_DAYS_AGO = (3, 18)
# A reopened family's earlier case, screened out about a year ago.
REOPENED_PRIOR_DAYS_AGO = (380, 450)
