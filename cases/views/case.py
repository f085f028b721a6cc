"""The tabs of one case that are read pages: overview, family, notifications, assessment,
measures, and revealing the full CPR number. Journal, access log and the authority actions
are in case_journal.py, case_access_log.py and case_actions.py."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.log import Action, access_log_record
from access.rules import Need
from cases.models import Case
from cases.pages import FORM_METHODS, access_of, case_context, case_page, render_tab
from cases.selectors import case as selectors


@case_page()
def case_detail(request: HttpRequest, case: Case) -> HttpResponse:
    """The overview; a provider's therapist gets the order (bestilling) of its measures
    instead, never the authority's file."""
    access = access_of(request)
    if not access.reads_the_authority_file:
        context = {"measures": _measures_for(access, case), "is_order": True}
        return render_tab(
            request, "cases/case_measures.html", case, tab="overview", context=context
        )
    return render_tab(
        request, "cases/case_detail.html", case, tab="overview", context=selectors.overview(case)
    )


def _measures_for(access: Any, case: Case) -> list[Any]:
    """The case's measures as the user may see them: a provider's therapist only the orders
    of the measures it is assigned to."""
    measures = selectors.measures_of(case)
    if not access.reads_the_authority_file:
        measures = measures.filter(pk__in=access.assigned_measure_ids)
    return list(measures)


@case_page()
def case_family(request: HttpRequest, case: Case) -> HttpResponse:
    context = {
        "households": selectors.households(case, request.user),  # type: ignore[arg-type]
        "can_invite": access_of(request).can_work_goals,
    }
    return render_tab(request, "cases/case_family.html", case, tab="family", context=context)


@case_page(Need.AUTHORITY_FILE)
def case_notifications(request: HttpRequest, case: Case) -> HttpResponse:
    context = {"notifications": list(selectors.notifications_of(case))}
    return render_tab(
        request, "cases/case_notifications.html", case, tab="notifications", context=context
    )


@case_page(Need.AUTHORITY_FILE)
def case_assessment(request: HttpRequest, case: Case) -> HttpResponse:
    assessments = list(selectors.assessments_of(case))
    context = {
        "assessments": assessments,
        "running_assessment": next((a for a in assessments if not a.is_finished), None),
        "deadlines": selectors.deadlines_of(case, rule_code="assessment"),
    }
    return render_tab(
        request, "cases/case_assessment.html", case, tab="assessment", context=context
    )


@case_page()
def case_measures(request: HttpRequest, case: Case) -> HttpResponse:
    context = {"measures": _measures_for(access_of(request), case)}
    return render_tab(request, "cases/case_measures.html", case, tab="measures", context=context)


@case_page(Need.AUTHORITY_FILE, methods=FORM_METHODS, post_action=Action.VIEW)
def case_cpr(request: HttpRequest, case: Case) -> HttpResponse:
    """The full CPR number, shown only on an explicit POST and logged as such."""
    revealed = request.method == "POST"
    if revealed:
        access_log_record(user=request.user, action=Action.VIEW, case=case, target="CPR vist")
    htmx = getattr(request, "htmx", None)
    template = "cases/case_cpr.html#cpr" if htmx and revealed else "cases/case_cpr.html"
    context = {**case_context(request, case, tab="overview"), "revealed": revealed}
    return render(request, template, context)
