"""The pages above the cases: the user's reminders, the deadline list, the team overview,
and the decision on support after 18 that the deadline list links to.

The list pages are for staff only (families and anonymous users get a logged 404, like any
page they may not see); what they list comes from ``followups.selectors``, which starts from
the cases the user may see or the teams the user leads. A reminder is only ever its
recipient's: another user's id is a logged 404.
"""

from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from access import rules as permissions
from access.refusals import access_log_denied
from access.rules import Need
from accounts.models import STAFF_ROLES, User
from cases import deadlines as services
from cases import start_page
from cases.list_log import access_log_cases_shown
from cases.models import Case, Deadline
from cases.pages import FORM_METHODS, case_page, refuse, render_case_form
from followups import reminders, selectors
from followups.forms_overview import After18DecisionForm, DeadlineFilterForm, ReminderFilterForm
from followups.models import Reminder


def _staff_or_404(request: HttpRequest) -> User:
    if permissions.role_of(request.user) not in STAFF_ROLES:
        access_log_denied(request)
        raise Http404
    return cast(User, request.user)


# --- reminders -------------------------------------------------------------------------------


@login_required
@require_GET
def reminder_list(request: HttpRequest) -> HttpResponse:
    user = _staff_or_404(request)
    form = ReminderFilterForm(request.GET)
    unread_only = form.unread_only()
    reminders = selectors.reminders_for(user=user, unread_only=unread_only)
    page_obj = Paginator(reminders, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    # Each reminder names its case and child: the cases on the page are read (one INSERT).
    access_log_cases_shown(request, [(r.case_id, r.case.citizen_id) for r in page_obj])
    query = urlencode({"show": "unread"}) + "&" if unread_only else ""
    return render(
        request,
        "followups/reminder_list.html",
        {
            "nav": "reminders",
            "form": form,
            "unread_only": unread_only,
            "page_obj": page_obj,
            "querystring_base": query,
            "back": request.get_full_path(),
        },
    )


def _own_reminder_or_404(request: HttpRequest, user: User, pk: int) -> Reminder:
    reminder = (
        Reminder.objects.filter(pk=pk, recipient=user)
        .select_related("case", "case__citizen")
        .first()
    )
    if reminder is None:
        # Tie the refusal to the case when the id is someone else's reminder.
        case_id = Reminder.objects.filter(pk=pk).values_list("case_id", flat=True).first()
        raise refuse(request, case_id)
    return reminder


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    # A path on this site only: redirect() would take "x" or "2026-02-31" for a view name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("followups:reminder_list")


@login_required
@require_POST
def reminder_read(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff_or_404(request)
    reminder = _own_reminder_or_404(request, user, pk)
    if reminder.read_at is None:
        reminders.reminder_mark_read(reminder=reminder)
    if getattr(request, "htmx", None):
        response = render(
            request,
            "followups/reminder_list.html#reminder_row",
            {"reminder": reminder, "back": _back(request), "oob": True},
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    messages.success(request, _("Påmindelsen er markeret som læst."))
    return redirect(_back(request))


@login_required
@require_POST
def reminder_read_all(request: HttpRequest) -> HttpResponse:
    user = _staff_or_404(request)
    count = reminders.reminders_mark_all_read(user=user)
    if count:
        messages.success(
            request,
            _("%(count)d påmindelser er markeret som læst.") % {"count": count}
            if count != 1
            else _("Påmindelsen er markeret som læst."),
        )
    return redirect(_back(request))


# --- the deadline list -----------------------------------------------------------------------


def _filter_query(filters: selectors.DeadlineFilters, *, default_only_mine: bool) -> str:
    """The list's filters for links, ending in "&" when there are any."""
    params: dict[str, Any] = {}
    if filters.state != selectors.STATE_OPEN:
        params["state"] = filters.state
    if filters.rule:
        params["rule"] = filters.rule
    if filters.worker_id is not None:
        params["worker"] = filters.worker_id
    elif filters.only_mine != default_only_mine:
        params["scope"] = "mine" if filters.only_mine else "all"
    if filters.team_id is not None:
        params["team"] = filters.team_id
    return urlencode(params) + "&" if params else ""


@login_required
@require_GET
def deadline_list(request: HttpRequest) -> HttpResponse:
    user = _staff_or_404(request)
    now = timezone.now()
    teams = selectors.led_teams(user=user)
    form = DeadlineFilterForm(request.GET, user=user, rules=selectors.rule_choices(), teams=teams)
    filters = form.filters()
    rows = selectors.deadline_rows(user=user, filters=filters, now=now)
    page_obj = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = selectors.as_rows(
        page_obj.object_list, now=now, user=user, led_team_ids=teams.team_ids
    )
    access_log_cases_shown(request, [(row.case_id, row.citizen_id) for row in page_obj])
    return render(
        request,
        "followups/deadline_list.html",
        {
            "nav": "deadlines",
            "form": form,
            "filters": filters,
            "teams": teams,
            "is_outcome": form.is_outcome(filters),
            "page_obj": page_obj,
            "querystring_base": _filter_query(filters, default_only_mine=form.default_only_mine),
            "today": timezone.localtime(now).date(),
        },
    )


# --- the team overview -----------------------------------------------------------------------


def _list_url(**params: Any) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse("followups:deadline_list") + "?" + urlencode(kept)


def _figure_cells(
    figures: selectors.WorkerFigures,
    rules: list[tuple[str, str]],
    *,
    team_id: int,
    worker_id: int | None,
) -> dict[str, Any]:
    """Each figure with the link to the deadlines behind it."""
    scope = {"team": team_id, "worker": worker_id, "scope": "all"}
    cells = []
    for code, title in rules:
        c = figures.compliance[code]
        cells.append(
            {
                "code": code,
                "title": title,
                "figure": c,
                "on_time_url": _list_url(state=selectors.STATE_ON_TIME, rule=code, **scope),
                "late_url": _list_url(state=selectors.STATE_LATE, rule=code, **scope),
                "handled_url": _list_url(state=selectors.STATE_HANDLED, rule=code, **scope),
                "missed_url": _list_url(state=selectors.STATE_MISSED, rule=code, **scope),
            }
        )
    return {
        "figures": figures,
        "open_url": _list_url(**scope),
        "overdue_url": _list_url(state=selectors.STATE_OVERDUE, **scope),
        "compliance": cells,
    }


@login_required
@require_GET
def team_overview(request: HttpRequest) -> HttpResponse:
    user = _staff_or_404(request)
    teams = selectors.led_teams(user=user)
    if not teams:
        access_log_denied(request)
        raise Http404
    now = timezone.now()
    overview, rules = selectors.team_overview(teams=teams, now=now)
    tables = [
        {
            "team": t.team,
            "members": [
                {"user": u, **_figure_cells(fig, rules, team_id=t.team.pk, worker_id=u.pk)}
                for u, fig in t.members
            ],
            "total": _figure_cells(t.total, rules, team_id=t.team.pk, worker_id=None),
        }
        for t in overview
    ]
    start, _end = selectors.compliance_window(now)
    # The 24-hour judgements not yet made on the teams' cases (issue 16): the only cases the
    # overview names, so the only ones it logs (one INSERT, none when there are none).
    acute = start_page.acute_strip(user, now, leads_team=True)
    access_log_cases_shown(request, acute["shown"])
    return render(
        request,
        "followups/team_overview.html",
        {
            "nav": "team",
            "tables": tables,
            "rules": rules,
            "window_start": start,
            "now": now,
            "acute": acute,
        },
    )


# --- the decision on support after 18 (Barnets Lov § 111) -------------------------------------


@case_page(
    Need.AUTHORITY,
    what=gettext_lazy("registrere afgørelsen om støtte efter 18 år"),
    methods=FORM_METHODS,
)
def after_18_decision(request: HttpRequest, case: Case) -> HttpResponse:
    deadline = (
        Deadline.objects.filter(case=case, rule__code="after_18")
        .select_related("rule")
        .order_by("-due_at")
        .first()
    )
    form = After18DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.after_18_decision_record(
                case=case, user=cast(User, request.user), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Afgørelsen om støtte efter 18 år er registreret."))
            return redirect(case.get_absolute_url())
    return render_case_form(
        request,
        "followups/after_18_decision.html",
        case,
        tab="overview",
        context={"form": form, "deadline": deadline},
    )
