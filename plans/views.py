"""MINIMAL READ-ONLY PAGES, a placeholder for the interactive plan page that comes next.

Both views load the case through ``permissions.get_case_for_request`` (the read is logged;
an outsider gets a logged 404) and reach the plan only through that case.
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from familievaerft import permissions

from . import selectors
from .models import Plan, PlanVersion


@login_required
@require_safe
def plan_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The case's plan as it stands now (read-only for now)."""
    case = permissions.get_case_for_request(request, case_id)
    plan = Plan.objects.filter(case=case).first()
    context = {
        "case": case,
        "plan": plan,
        "content": selectors.plan_content(plan=plan) if plan is not None else None,
        "versions": list(plan.versions.only("number", "frozen_at", "reason")) if plan else [],
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
@require_safe
def plan_version(request: HttpRequest, case_id: uuid.UUID, number: int) -> HttpResponse:
    """One frozen version of the case's plan, exactly as it was frozen."""
    case = permissions.get_case_for_request(request, case_id)
    version = (
        PlanVersion.objects.filter(plan__case=case, number=number)
        .select_related("frozen_by")
        .first()
    )
    if version is None:
        raise Http404
    context = {
        "case": case,
        "version": version,
        "content": selectors.version_content(snapshot=version.snapshot),
    }
    return render(request, "plans/plan_version.html", context)
