"""The family portal's landing page: the user's own children, in plain language, each with a
link to its plan when the case has one (``plans.views_family``).

Families never see CPR numbers, journal notes, the content of notifications or the access log.
"""

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from familievaerft import permissions
from familievaerft.access_log import Action, access_log_record_many
from familievaerft.models import Role, User
from plans.models import Plan

from .. import selectors


@login_required
@require_GET
def family_home(request: HttpRequest) -> HttpResponse:
    if permissions.role_of(request.user) != Role.FAMILY:
        permissions.access_log_denied(request)
        raise Http404
    user = cast(User, request.user)
    children = selectors.family_overview(user=user)
    cases = [child.case for child in children if child.case is not None]
    access_log_record_many(user=user, action=Action.VIEW, cases=cases, target=request.path)
    with_plan = set(Plan.objects.filter(case__in=cases).values_list("case_id", flat=True))
    context = {"nav": "family", "children": children, "cases_with_plan": with_plan}
    return render(request, "family/home.html", context)
