"""Post that leaves the system, for staff (names in the ``post`` namespace, under /post/):

* the print queue (``print_queue``): letters to recipients who cannot get them by Digital Post
  (exempted, no CPR number, under 15), for the cases the user owns or whose team it leads;
  each is marked printed (``print_mark``) once it is in the envelope. A list shows case numbers
  and names, so the cases on the page are logged as read (``cases.list_log``).
* the outbox (``outbox_list``): every e-mail and Digital Post message with its status and, when
  it failed, the reason; for team leads and administrators. It shows no message text and no
  CPR number (a Digital Post message names its delivery).

Anyone else gets a logged 404, as for any page they may not see.
"""

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from access import rules as permissions
from access.refusals import access_log_denied
from accounts.models import AUTHORITY_ROLES, TeamMembership, User
from cases.list_log import access_log_cases_shown
from core.models import OutboxMessage
from letters import digital_post
from letters.models import LetterDelivery


def _role_or_404(request: HttpRequest, roles: object) -> User:
    if permissions.role_of(request.user) not in roles:  # type: ignore[operator]
        access_log_denied(request)
        raise Http404
    return cast(User, request.user)


def _print_rows(user: User) -> QuerySet[LetterDelivery]:
    """The print queue's deliveries of the cases ``user`` owns or whose team it leads."""
    led = TeamMembership.objects.filter(user=user, is_lead=True).values("team_id")
    return (
        LetterDelivery.objects.filter(status=LetterDelivery.Status.PRINT)
        .filter(Q(case__owner=user) | Q(case__team_id__in=led))
        .select_related(
            "case__citizen", "member__citizen", "closing_letter", "decision_letter__decision"
        )
        .order_by("created_at", "pk")
    )


@login_required
@require_GET
def print_queue(request: HttpRequest) -> HttpResponse:
    user = _role_or_404(request, AUTHORITY_ROLES)
    page_obj = Paginator(_print_rows(user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    access_log_cases_shown(request, [(d.case_id, d.case.citizen_id) for d in page_obj])
    return render(request, "letters/print_queue.html", {"nav": "print_queue", "page_obj": page_obj})


@login_required
@require_POST
def print_mark(request: HttpRequest, pk: int) -> HttpResponse:
    user = _role_or_404(request, AUTHORITY_ROLES)
    delivery = _print_rows(user).filter(pk=pk).first()
    if delivery is None:
        access_log_denied(request)
        raise Http404
    if digital_post.delivery_mark_printed(delivery=delivery, user=user):
        messages.success(
            request,
            _("Brevet til %(name)s (sag %(number)s) er markeret som printet.")
            % {"name": delivery.member.name, "number": delivery.case.number},
        )
    return redirect("post:print_queue")


@login_required
@require_GET
def outbox_list(request: HttpRequest) -> HttpResponse:
    _role_or_404(request, permissions.OVERSIGHT_ROLES)
    rows = OutboxMessage.objects.defer("body").order_by("-created_at", "-pk")
    status = request.GET.get("status", "")
    if status in OutboxMessage.Status.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    page_obj = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "letters/outbox_list.html",
        {
            "nav": "outbox",
            "page_obj": page_obj,
            "status": status,
            "statuses": OutboxMessage.Status.choices,
            "querystring_base": f"status={status}&" if status else "",
        },
    )
