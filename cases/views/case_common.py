"""What every page of one case shares: loading it, refusing, rendering it with its tabs.

Each view of a case is wrapped in ``case_view``, which loads the case through
``permissions.get_case_for_request`` (logging the read, or the refused attempt and a 404),
and for authority actions checks ``permissions.can_work_case`` (403 for a colleague who may
see the case but not act on it; the refusal is logged too).
"""

import functools
from collections.abc import Callable
from enum import Enum
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from access import rules as permissions
from access.log import Action
from accounts.models import User
from cases.models import Case

M = TypeVar("M", bound=Model)


class Access(Enum):
    READ = "read"  # anyone who may see the case
    AUTHORITY = "authority"  # the owner or the team lead (permissions.can_work_case)
    JOURNAL = "journal"  # staff who may see the case (permissions.can_write_journal)
    EXPORT = "export"  # who may export access logs (permissions.can_export_access_log)


# The tabs of a case, in order: (key, URL name, label). Every tab is its own URL.
TABS = [
    ("overview", "cases:case_detail", _("Overblik")),
    ("family", "cases:case_family", _("Familie")),
    ("notifications", "cases:case_notifications", _("Underretninger")),
    ("assessment", "cases:case_assessment", _("Undersøgelse")),
    ("measures", "cases:case_measures", _("Indsatser")),
    ("followups", "followups:case_followups", _("Opfølgning")),
    ("sessions", "followups:case_sessions", _("Sessioner")),
    ("network", "network:network_detail", _("Netværk")),
    ("journal", "cases:case_journal", _("Journal")),
    ("access_log", "cases:case_access_log", _("Adgangslog")),
]
TAB_LABELS = {key: label for key, _name, label in TABS}

_CASE_ID_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


@functools.lru_cache(maxsize=128)
def _case_url_pattern(url_name: str, script_prefix: str, urlconf: str) -> str:
    return reverse(url_name, kwargs={"case_id": _CASE_ID_PLACEHOLDER}, urlconf=urlconf)


def case_url(url_name: str, case_id: Any) -> str:
    """``reverse(url_name, kwargs={"case_id": case_id})``, reversed once per URL name and
    filled in per case: pages that link to many cases, or to every tab of one, reversed
    the same patterns again and again (``make bench``)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    pattern = _case_url_pattern(url_name, get_script_prefix(), urlconf)
    return pattern.replace(_CASE_ID_PLACEHOLDER, str(case_id))


def case_tabs(case: Case) -> list[tuple[str, str, Any]]:
    """The tabs of the case as (key, URL, label)."""
    return [(key, case_url(url_name, case.pk), label) for key, url_name, label in TABS]


READ_METHODS = ("GET", "HEAD")
FORM_METHODS = ("GET", "HEAD", "POST")


def case_view(
    access: Access = Access.READ,
    *,
    what: Any = "",
    methods: tuple[str, ...] = READ_METHODS,
    post_action: str = Action.CHANGE,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Load the case of the URL for the view, which is called as ``view(request, case, **kw)``.

    A GET is logged as a view, a POST as ``post_action`` (a change unless the POST only
    reveals something). ``what`` completes "Kun … kan <what>" on the 403 page.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapper(request: HttpRequest, case_id: Any, **kwargs: Any) -> HttpResponse:
            if access is Access.EXPORT:
                if not permissions.can_export_access_log(request.user):
                    # Outsiders get the 404 (logged); colleagues on the case a 403 (logged).
                    case = permissions.get_case_for_request(request, case_id)
                    return forbidden(request, case, what=what, access=access)
                action: str = Action.EXPORT
            else:
                action = Action.VIEW if request.method in READ_METHODS else post_action
            case = permissions.get_case_for_request(request, case_id, action=action)
            if access is Access.AUTHORITY and not permissions.can_work_case(request.user, case):
                return forbidden(request, case, what=what, access=access)
            if access is Access.JOURNAL and not permissions.can_write_journal(request.user, case):
                return forbidden(request, case, what=what, access=access)
            return view(request, case, **kwargs)

        wrapper.case_access = access  # type: ignore[attr-defined]
        return wrapper

    return decorator


def forbidden(request: HttpRequest, case: Case, *, what: Any, access: Access) -> HttpResponse:
    """The user may see the case but not do this: log the refusal and explain who may."""
    permissions.access_log_denied(request, case_id=case.pk)
    context = {**case_context(request, case, tab="overview"), "what": what, "access": access.value}
    return render(request, "cases/case_forbidden.html", context, status=403)


def user_of(request: HttpRequest) -> User:
    """The logged-in user (every case view requires a login)."""
    return cast(User, request.user)


def form_data(request: HttpRequest) -> Any:
    """The posted data for a form, or None on a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def case_object_or_404(request: HttpRequest, case: Case, queryset: QuerySet[M], pk: Any) -> M:
    """An object addressed in a sub-URL; it must belong to the case in the URL."""
    obj = queryset.filter(case=case, pk=pk).first()
    if obj is None:
        permissions.access_log_denied(request, case_id=case.pk)
        raise Http404
    return obj


def case_context(request: HttpRequest, case: Case, *, tab: str) -> dict[str, Any]:
    return {
        "case": case,
        "tabs": case_tabs(case),
        "tab": tab,
        "tab_label": TAB_LABELS[tab],
        "is_tab_page": False,
        "can_work": permissions.can_work_case(request.user, case),
    }


def render_tab(
    request: HttpRequest, template: str, case: Case, *, tab: str, context: dict[str, Any]
) -> HttpResponse:
    """A tab page; for an htmx tab switch only the tab partial (nav and panel) is sent."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        template = f"{template}#tab"
    ctx = {**case_context(request, case, tab=tab), "is_tab_page": True, **context}
    response = render(request, template, ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response


def render_case_form(
    request: HttpRequest,
    template: str,
    case: Case,
    *,
    tab: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A form or confirmation page under one of the tabs (full page, never a partial)."""
    return render(request, template, {**case_context(request, case, tab=tab), **context})
