"""List-level pages: Mine sager, search, a new notification and its CPR lookup.

CPR numbers arrive only by POST (sensitive_post_parameters keeps them out of error reports),
never travel in a URL or a redirect, and are never written to the access log.
"""

import datetime as dt
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import rules as permissions
from access.log import Action, access_log_record, access_log_record_many
from access.refusals import access_log_denied
from accounts.models import STAFF_ROLES, Role, User
from cases import services, start_page
from cases.forms.lists import CaseListFilterForm, NotificationRegisterForm, SearchForm
from cases.links import case_url
from cases.list_log import access_log_cases_shown
from cases.models import Case, CaseStatus, Notification, age_on
from cases.selectors import lists as selectors
from core.cpr import normalise_cpr, validate_cpr

# Access-log targets: what was done, never the CPR number that was searched for.
TARGET_CPR_SEARCH = "CPR-søgning"
TARGET_NAME_SEARCH = "navnesøgning"
TARGET_CPR_LOOKUP = "CPR-opslag ved ny underretning"

SORT_COLUMNS = [
    ("number", gettext_lazy("Sagsnummer")),
    ("name", gettext_lazy("Barn")),
    ("status", gettext_lazy("Status")),
    ("deadline", gettext_lazy("Næste frist")),
]


def _user_in_roles_or_404(request: HttpRequest, allowed: bool) -> User:
    if not allowed:
        access_log_denied(request)
        raise Http404
    return cast(User, request.user)


@login_required
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if user.role == Role.FAMILY:
        return redirect("family:home")
    if user.role in permissions.PROVIDER:
        # A therapist or psychologist starts from its own page, "Min forside" (followups).
        return redirect("followups:therapist_home")
    form = CaseListFilterForm(request.GET)
    form.is_valid()
    may_choose_scope = selectors.leads_a_team(user)
    filters = form.filters(may_choose_scope=may_choose_scope)
    if form.has_error("q"):
        # A refused q (a CPR number) leaves the address bar and base.html's links at once.
        messages.error(request, str(form.errors["q"][0]))
        query = _querystring(filters, sort=filters.sort).rstrip("&")
        return redirect(reverse("cases:my_cases") + (f"?{query}" if query else ""))
    now = timezone.now()
    soon = now + selectors.DUE_SOON
    scope = selectors.my_cases_scope(user=user, only_mine=filters.only_mine)
    summary = selectors.my_cases_summary(
        user=user, only_mine=filters.only_mine, now=now, scope=scope
    )
    cases = selectors.my_cases_list(user=user, filters=filters, scope=scope, now=now)
    # With the default filter the list is exactly the summary's open cases: no second COUNT.
    default_list = filters.status == "open" and not filters.q
    count = summary.open_cases if default_list else cases.count()
    rows = cases.values_list(*ROW_VALUES)
    # _CasePages answers only what Paginator asks of it: count() and page slices.
    paginator: Paginator[tuple[Any, ...]] = Paginator(
        cast(Any, _CasePages(rows, count)), settings.PAGE_SIZE
    )
    page_obj = paginator.get_page(request.GET.get("page"))
    next_deadlines = start_page.next_deadlines(user, now, NEXT_DEADLINES)
    # The 24-hour judgements not yet made, above everything (issue 16): a caseworker's own,
    # a team lead's teams' whatever the list's filter.
    acute = start_page.acute_strip(user, now, leads_team=may_choose_scope)
    # Every case the page names (the strip, the list and "Næste frister"): one INSERT.
    access_log_cases_shown(
        request,
        acute["shown"]
        + [(row[0], row[-1]) for row in page_obj]
        + [(row.case_id, row.citizen_id) for row in next_deadlines],
    )
    return render(
        request,
        "cases/my_cases.html",
        {
            "nav": "my_cases",
            "form": form,
            "filters": filters,
            "may_choose_scope": may_choose_scope,
            "page_obj": page_obj,
            "summary": summary,
            "columns": _sort_columns(filters),
            "querystring_base": _querystring(filters, sort=filters.sort),
            "rows": _case_rows(page_obj, user=user, now=now, soon=soon),
            "next_deadlines": next_deadlines,
            "acute": acute,
        },
    )


# What a row of Mine sager shows, and nothing else (no CPR number is loaded).
ROW_VALUES = (
    "id",
    "number",
    "status",
    "owner_id",
    "citizen__first_name",
    "citizen__last_name",
    "citizen__birth_date",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    "team__name",
    "next_due",
    "next_deadline_title",
    "overdue_deadlines",
    "citizen_id",  # for the access log, last
)


class _CasePages:
    """The list for the Paginator: the rows' queryset (``ROW_VALUES`` of each case), and its
    count already known from the summary, so the Paginator runs no COUNT of its own; a page
    is one query."""

    def __init__(self, rows: QuerySet[Case, tuple[Any, ...]], count: int) -> None:
        self.rows = rows
        self._count = count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]:
        return list(self.rows[index])


def _case_rows(page_obj: Page, *, user: User, now: dt.datetime, soon: dt.datetime) -> list[dict]:
    """The rows of the page with their values worked out in Python once, as dicts: the row is
    rendered 25 times per page, and filters, URL reversing, translations and attribute
    lookups per row were most of the page's template time (``make bench``)."""
    at = _("kl.")
    today = timezone.localdate(now)
    # get_status_display() translates every choice on each call.
    status_labels = {value: str(label) for value, label in CaseStatus.choices}
    rows = []
    for (
        pk,
        number,
        status,
        owner_id,
        first_name,
        last_name,
        birth_date,
        owner_first_name,
        owner_last_name,
        owner_username,
        team_name,
        next_due,
        next_deadline_title,
        overdue_deadlines,
        _citizen_id,
    ) in page_obj:
        # The next open deadline: "overdue", "due-soon" or "" (later), its date (and time
        # unless it is the end of the day) as shown, and as a datetime attribute.
        state = iso = text = ""
        if next_due is not None:
            state = "overdue" if next_due < now else "due-soon" if next_due < soon else ""
            local = timezone.localtime(next_due)
            iso = local.isoformat()
            text = formats.date_format(local, "SHORT_DATE_FORMAT")
            if local.strftime("%H:%M") != "23:59":
                text += f" {at} {formats.date_format(local, 'TIME_FORMAT')}"
        # Other overdue deadlines than the one shown (the most urgent: an open 24-hour
        # judgement goes before an older overdue deadline), so the row still says so.
        other_overdue = (overdue_deadlines or 0) - (1 if state == "overdue" else 0)
        age = age_on(birth_date, today)
        owner_name = f"{owner_first_name} {owner_last_name}".strip()
        rows.append(
            {
                "url": case_url("cases:case_detail", pk),
                "number": number,
                "status": status,
                "status_label": status_labels.get(status, status),
                "child_name": f"{first_name} {last_name}",  # Citizen.full_name
                "age": ngettext("%(age)s år", "%(age)s år", age) % {"age": age},
                "deadline_state": state,
                "deadline_iso": iso,
                "deadline_text": text,
                "deadline_title": next_deadline_title,
                "other_overdue": (
                    ngettext(
                        "+ %(count)s anden overskredet frist",
                        "+ %(count)s andre overskredne frister",
                        other_overdue,
                    )
                    % {"count": other_overdue}
                    if other_overdue > 0
                    else ""
                ),
                "owner_name": owner_name or owner_username,  # User.__str__
                "is_mine": owner_id == user.pk,
                "team_name": team_name,
            }
        )
    return rows


NEXT_DEADLINES = 5


def _querystring(filters: selectors.CaseListFilters, *, sort: str) -> str:
    """The list's current filters for links, ending in "&" (the CPR-free q only)."""
    params = {"status": filters.status, "q": filters.q, "sort": sort}
    if filters.only_mine:
        params["scope"] = "mine"
    defaults = {"status": "open", "q": "", "sort": selectors.DEFAULT_SORT}
    kept = {k: v for k, v in params.items() if defaults.get(k) != v}
    return urlencode(kept) + "&" if kept else ""


def _sort_columns(filters: selectors.CaseListFilters) -> list[dict[str, Any]]:
    current, descending = filters.sort.removeprefix("-"), filters.sort.startswith("-")
    columns = []
    for key, label in SORT_COLUMNS:
        active = key == current
        next_sort = ("" if descending else "-") + key if active else key
        columns.append(
            {
                "label": label,
                "aria_sort": ("descending" if descending else "ascending") if active else "",
                "href": "?" + _querystring(filters, sort=next_sort).rstrip("&"),
            }
        )
    return columns


@sensitive_post_parameters("q")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    user = _user_in_roles_or_404(request, permissions.role_of(request.user) in STAFF_ROLES)
    form = SearchForm(request.POST if request.method == "POST" else None)
    result = None
    if form.is_valid():
        result = selectors.case_search(user=user, q=form.cleaned_data["q"])
        access_log_record_many(
            user=user,
            action=Action.SEARCH,
            cases=result.cases,
            target=TARGET_CPR_SEARCH if result.by_cpr else TARGET_NAME_SEARCH,
        )
        if result.by_cpr:
            form = SearchForm()  # never echo a CPR number back into the page
    return render(
        request,
        "cases/search.html",
        {"form": form, "result": result, "limit": selectors.SEARCH_LIMIT},
    )


@sensitive_post_parameters("cpr")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notification_register(request: HttpRequest) -> HttpResponse:
    user = _user_in_roles_or_404(request, permissions.can_register_notification(request.user))
    form = NotificationRegisterForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            notification = services.notification_register(
                user=user,
                citizen=form.known_citizen,
                citizen_data=form.citizen_data(),
                **form.notification_data(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return _registered(request, user, notification)
    cpr = form.cleaned_data.get("cpr") if form.is_bound else None
    return render(
        request,
        "cases/notification_register.html",
        {
            "nav": "register",
            "form": form,
            "lookup": _lookup_and_log(user, cpr) if cpr else None,
        },
    )


def _registered(request: HttpRequest, user: User, notification: Notification) -> HttpResponse:
    case = notification.case
    visible = Case.objects.visible_to(user).filter(pk=case.pk).exists()
    due = selectors.acute_judgement_due(case=case, notification_id=notification.pk)
    application = notification.kind == Notification.Kind.APPLICATION
    if visible:
        text = (
            _("Ansøgningen er registreret på sag %(number)s.")
            if application
            else _("Underretningen er registreret på sag %(number)s.")
        ) % {"number": case.number}
    else:  # a known child whose case another team runs: it lands there, unseen by this user
        text = (
            _("Ansøgningen er registreret og lagt på barnets sag hos en anden rådgiver.")
            if application
            else _("Underretningen er registreret og lagt på barnets sag hos en anden rådgiver.")
        )
    if due is not None:
        text += " " + _("Frist for vurdering af behov for akut hjælp: %(due)s (24 timer).") % {
            "due": formats.date_format(timezone.localtime(due), "SHORT_DATETIME_FORMAT")
        }
    messages.success(request, text)
    return redirect(case.get_absolute_url() if visible else reverse("cases:my_cases"))


def _lookup_and_log(user: User, cpr: str) -> selectors.CitizenLookup:
    lookup = selectors.citizen_lookup(user=user, cpr=cpr)
    if lookup.known:
        access_log_record(
            user=user,
            action=Action.SEARCH,
            case=lookup.case,
            citizen=lookup.citizen,
            target=TARGET_CPR_LOOKUP,
        )
    return lookup


@sensitive_post_parameters("cpr")
@never_cache
@login_required
@require_POST
def citizen_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: who is this CPR number? Answers the live region under the CPR field."""
    user = _user_in_roles_or_404(request, permissions.can_register_notification(request.user))
    lookup, error = None, ""
    raw = request.POST.get("cpr", "").strip()
    if raw:
        try:
            cpr = normalise_cpr(raw)
            validate_cpr(cpr)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            lookup = _lookup_and_log(user, cpr)
    return render(
        request,
        "cases/notification_register.html#lookup",
        {"lookup": lookup, "lookup_error": error},
    )
