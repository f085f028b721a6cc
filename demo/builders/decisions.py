"""The demo's decisions (``seed_demo``), made through ``cases.decisions`` so every rule holds
(the child heard, reasons, consents and a finished assessment for a § 32 order, the party
hearing before the decision, the complaint's 4 weeks).

What is made is described in ``demo.data.decisions``. A decision made in the past is made
today and then dated back (its ``created_at`` and ``decided_at``), before its complaint is
registered, as the other builders date back journal notes. Every decision made gets its
letter through the letters receiver; ``familie``'s is rendered here, so the demo family has
it in its portal without a worker (the task queued on commit then finds it done). The other
letters are rendered by the task when the demo's transaction commits (in-process when Celery
runs eagerly, without Redis).

Runs after every case is built (``ung18``'s too) and draws nothing from the demo's generator.
"""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Team, User
from cases import decisions as services
from cases import services as case_services
from cases.models import (
    Assessment,
    Case,
    CaseStatus,
    Complaint,
    Deadline,
    DeadlineRule,
    Decision,
    LegalBasis,
    Measure,
)
from cases.working_days import compute_due
from demo.data import decisions as data
from demo.data.cases import ASSESSMENT_AREAS, CONVERSATION_DAYS_BEFORE_FINISH, CONVERSATION_PLACE
from demo.data.decisions import DecisionText
from demo.data.people import TEAM_HOUSE
from letters.models import DecisionLetter
from letters.tasks import decision_letter_render_once

MAIN_CASEWORKER = "sagsbehandler"


def _made(
    case: Case,
    text: DecisionText,
    today: dt.date,
    *,
    measure: Measure | None = None,
    **fields: Any,
) -> Decision:
    """A decision on ``case`` with ``text``, drafted and made by the case's owner, dated
    ``text.days_ago`` days back (the conversation with the child a few days before)."""
    decided_on = today - dt.timedelta(days=text.days_ago)
    return _made_on(case, text, decided_on, today, measure=measure, **fields)


def _made_on(
    case: Case,
    text: DecisionText,
    decided_on: dt.date,
    today: dt.date,
    *,
    measure: Measure | None = None,
    **fields: Any,
) -> Decision:
    decision = _draft(case, text, decided_on, measure=measure, **fields)
    decision = services.decision_make(decision=decision, user=case.owner)
    if decided_on != today:
        at = timezone.make_aware(dt.datetime.combine(decided_on, dt.time(11)))
        Decision.objects.filter(pk=decision.pk).update(created_at=at, decided_at=at)
        decision.decided_at = at
        if decision.kind == Decision.Kind.MEASURE_ORDER and decision.measure is not None:
            # The measure it ordered was decided then too, and § 91 counts from then.
            Measure.objects.filter(pk=decision.measure.pk).update(decided_at=at)
            for deadline in decision.measure.deadlines.filter(
                rule__trigger=DeadlineRule.Trigger.MEASURE_DECIDED
            ).select_related("rule"):
                Deadline.objects.filter(pk=deadline.pk).update(
                    due_at=compute_due(deadline.rule, at)
                )
    return decision


def end_measure(measure: Measure, *, ended_on: dt.date, today: dt.date) -> Decision:
    """End ``measure`` on ``ended_on`` as the caseworker does: by a decision (a measure ends
    only so), made and dated that day."""
    return _made_on(measure.case, data.END, ended_on, today, measure=measure, ends_on=ended_on)


def _draft(
    case: Case,
    text: DecisionText,
    decided_on: dt.date,
    *,
    measure: Measure | None = None,
    **fields: Any,
) -> Decision:
    return services.decision_draft_create(
        case=case,
        user=case.owner,
        kind=text.kind,
        measure=measure,
        facts=text.facts,
        reasons=text.reasons,
        child_view=text.child_view,
        conversation_on=decided_on - dt.timedelta(days=min(text.days_ago, 5)),
        conversation_place=data.CONVERSATION_PLACE,
        conversation_present=data.CONVERSATION_PRESENT,
        bisidder_offered=True,
        **fields,
    )


def _without_login(status: str) -> QuerySet[Case]:
    """Open cases in ``status`` of families without a portal login (the portal personas' cases
    keep the story the README tells), sagsbehandler's first."""
    return (
        Case.objects.filter(status=status)
        .exclude(citizen__family_memberships__family__members__user__isnull=False)
        .select_related("owner")
        .order_by("number")
    )


def _in_order(status: str) -> Iterator[Case]:
    cases = list(_without_login(status))
    cases.sort(key=lambda case: case.owner.username != MAIN_CASEWORKER)
    yield from cases


def _running_measure(case: Case) -> Measure | None:
    return case.measures.filter(ended_on=None).select_related("legal_basis").order_by("pk").first()


def _familie_letter(today: dt.date) -> int:
    """``familie``'s younger child: more hours for the contact person, and its letter."""
    measure = (
        Measure.objects.filter(
            case__citizen__family_memberships__family__members__user__username="familie",
            ended_on=None,
            closing_letter__isnull=True,
        )
        .select_related("case__owner")
        .order_by("pk")
        .first()
    )
    if measure is None:
        return 0
    decision = _made(
        measure.case,
        data.FAMILIE_CHANGE,
        today,
        measure=measure,
        changes_from=today - dt.timedelta(days=data.FAMILIE_CHANGE.days_ago),
        hours_steps=[(None, data.FAMILIE_CHANGE_HOURS)],
    )
    decision_letter_render_once(DecisionLetter.objects.get(decision=decision).pk)
    return 1


def _finish_assessment(case: Case, today: dt.date, days_ago: int) -> bool:
    """Finish ``case``'s running børnefaglig undersøgelse ``days_ago`` days back."""
    assessment = case.assessments.filter(
        kind=Assessment.Kind.CHILD_ASSESSMENT, finished_on=None
    ).first()
    if assessment is None:
        return False
    finished_on = max(assessment.started_on, today - dt.timedelta(days=days_ago))
    words = {"child": case.citizen.first_name, "parent": data.COMPLAINANT}
    case_services.assessment_finish(
        assessment=assessment,
        user=case.owner,
        finished_on=finished_on,
        conclusion=data.ASSESSMENT_CONCLUSION,
        parents_view=data.ASSESSMENT_PARENTS_VIEW,
        child_view=data.ORDER.child_view,
        conversation_on=max(
            assessment.started_on, finished_on - dt.timedelta(days=CONVERSATION_DAYS_BEFORE_FINISH)
        ),
        conversation_place=CONVERSATION_PLACE,
        areas={
            area: (resources.format(**words), concerns.format(**words))
            for area, (resources, concerns) in ASSESSMENT_AREAS.items()
        },
    )
    return True


def _order(case: Case, today: dt.date) -> None:
    """``case``'s § 32 measure, ordered by a decision made ``data.ORDER.days_ago`` days back
    on its finished assessment, starting next week: the order creates the measure, its plan
    and its deadlines, and gives its therapist access; nothing has happened on it yet."""
    decided_on = today - dt.timedelta(days=data.ORDER.days_ago)
    _made(
        case,
        data.ORDER,
        today,
        legal_basis=LegalBasis.objects.get(code=data.ORDER_BASIS),
        purpose=data.ORDER_PURPOSE,
        expected_duration_months=data.ORDER_MONTHS,
        start_date=decided_on + dt.timedelta(days=data.ORDER_STARTS_AFTER_DAYS),
        therapists=list(User.objects.filter(username=data.ORDER_THERAPIST)),
        provider_team=Team.objects.get(name=TEAM_HOUSE),
        consent_given_on=decided_on - dt.timedelta(days=2),
        consents=f"{data.COMPLAINANT}, skriftligt på mødet {decided_on:%d.%m.%Y}",
        hours_steps=data.ORDER_HOURS,
    )


def demo_decisions(*, today: dt.date) -> int:
    """Make the demo's decisions; returns how many were made or drafted."""
    made = _familie_letter(today)
    being_assessed = list(_in_order(CaseStatus.ASSESSMENT))
    mine = [c for c in being_assessed if c.owner.username == MAIN_CASEWORKER]
    assessment_cases = iter(mine[:2])
    # sagsbehandler's third: the assessment finished three days ago, the decision not yet
    # made (the case on which to try ordering a § 32 measure by a decision).
    if len(mine) > 2:
        _finish_assessment(mine[2], today, data.READY_ASSESSMENT_DAYS_AGO)

    # A § 32 measure ordered by a decision, on a case whose børnefaglig undersøgelse is
    # finished: the order creates the measure, its plan and its deadlines.
    ordered_case = None
    for case in being_assessed:
        if case.owner.username != MAIN_CASEWORKER and _finish_assessment(
            case, today, data.ORDER.days_ago + 5
        ):
            _order(case, today)
            ordered_case = case.pk
            made += 1
            break
    measure_cases = (case for case in _in_order(CaseStatus.MEASURE) if case.pk != ordered_case)

    # A change of a measure, in party hearing: one of the two parties has answered.
    for case in measure_cases:
        measure = _running_measure(case)
        if measure is None:
            continue
        draft = _draft(case, data.IN_HEARING, today, measure=measure)
        hearing = services.hearing_send(
            decision=draft,
            user=case.owner,
            respond_by=today + dt.timedelta(days=data.HEARING_DAYS),
            parties=data.HEARING_PARTIES,
        )
        services.hearing_answer_record(
            hearing=hearing,
            user=case.owner,
            party=hearing.party_names[0],
            received_on=today,
            text=data.HEARING_ANSWER,
        )
        made += 1
        break

    # A refusal complained of a week ago: the reconsideration is running.
    complained = next(measure_cases, None)
    if complained is not None:
        decision = _made(complained, data.COMPLAINED, today)
        services.complaint_register(
            decision=decision,
            user=complained.owner,
            received_on=today - dt.timedelta(days=data.COMPLAINT_DAYS_AGO),
            complainant=data.COMPLAINANT,
            text=data.COMPLAINT_TEXT,
        )
        made += 1

    # A refusal whose complaint was upheld and sent to Ankestyrelsen.
    appealed = next(measure_cases, None)
    if appealed is not None:
        decision = _made(appealed, data.APPEALED, today)
        complaint = services.complaint_register(
            decision=decision,
            user=appealed.owner,
            received_on=today - dt.timedelta(days=data.APPEAL_RECEIVED_DAYS_AGO),
            complainant=data.COMPLAINANT,
            text=data.APPEAL_TEXT,
        )
        reconsidered = today - dt.timedelta(days=data.APPEAL_RECONSIDERED_DAYS_AGO)
        services.complaint_reconsider(
            complaint=complaint,
            user=appealed.owner,
            outcome=Complaint.Outcome.UPHELD,
            reconsidered_on=reconsidered,
            sent_to_ankestyrelsen_on=reconsidered,
        )
        made += 1

    # The plan decided.
    planned = next(measure_cases, None)
    if planned is not None:
        _made(planned, data.PLAN, today)
        made += 1

    # An application granted and one refused, while the assessment runs.
    for text in (data.GRANT, data.REFUSAL):
        applied = next(assessment_cases, None)
        if applied is not None:
            _made(applied, text, today)
            made += 1

    # The measures of the cases being closed were ended by decisions as their stories were
    # built (``end_measure``).

    # Support after 18 for ung18 (its own case, its own login).
    young = (
        Case.objects.filter(citizen__family_memberships__user__username="ung18")
        .exclude(status=CaseStatus.CLOSED)
        .select_related("owner")
        .first()
    )
    if young is not None:
        _made(young, data.AFTER_18, today)
        made += 1
    return made
