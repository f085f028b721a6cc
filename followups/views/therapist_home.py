"""The therapist's start page, "Min forside" (``followups.therapist_home`` reads it).

A provider (therapist or psychologist) lands here from Mine sager
(``cases.views.lists.my_cases`` redirects it by URL name). Everyone else is sent to their own
start page instead: a family user to the family portal, other staff to Mine sager. The page
has no object in its address and shows nothing but the user's own things, so there is
nothing to refuse: a redirect, like Mine sager's for a family user, also serves a bookmark
kept from an earlier role.

Every case the page names is written to the access log in one INSERT.
"""

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from access import rules as permissions
from accounts.models import User
from cases.list_log import access_log_cases_shown
from followups import therapist_home as selectors


@login_required
@require_GET
def therapist_home(request: HttpRequest) -> HttpResponse:
    user_access = permissions.UserAccess(request.user)
    if user_access.is_family:
        return redirect("family:home")
    if not user_access.is_provider:
        return redirect("cases:my_cases")
    page = selectors.therapist_home(user=cast(User, request.user), today=timezone.localdate())
    access_log_cases_shown(request, page.cases_shown())
    return render(
        request,
        "followups/therapist_home.html",
        {"nav": "therapist_home", "page": page, "quiet_days": selectors.QUIET_DAYS},
    )
