"""What every network page shares: who may do what, loading network objects through the case,
the page's context, and answering a form in place (htmx) or by redirect.

Every view is wrapped in ``network_view``, which loads the case with ``cases.views.
case_common.case_view`` (``permissions.get_case_for_request``: the read is logged, an
outsider gets a logged 404) and then checks the network right. Network objects are only ever
looked up through the case, so an id from another case is a logged 404 too.
"""

import json
from collections.abc import Callable
from enum import Enum
from functools import wraps
from typing import Any, TypeVar, cast

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.views.case_common import READ_METHODS, TABS, Access, case_view
from familievaerft import permissions
from familievaerft.models import User

M = TypeVar("M", bound=Model)

PAGE = "network/network_detail.html"
FORM_PAGE = "network/network_form.html"
TAB_LABEL = _("Netværk")


class NetworkAccess(Enum):
    READ = "read"  # anyone who may see the case
    WORK = "work"  # the owner, the team lead, or staff assigned to one of the case's measures


def network_view(
    access: NetworkAccess = NetworkAccess.READ,
    *,
    what: Any = "",
    methods: tuple[str, ...] = READ_METHODS,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Load the case (logged; outsiders 404), check the network right, call ``view(request,
    case, **kwargs)``. ``what`` completes "Kun … kan <what>" on the 403 page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, case: Case, **kwargs: Any) -> HttpResponse:
            if access is NetworkAccess.WORK and not permissions.can_work_goals(request.user, case):
                permissions.access_log_denied(request, case_id=case.pk)
                context = {**tab_context(request, case), "what": what, "access": "goals"}
                return render(request, "cases/case_forbidden.html", context, status=403)
            return view(request, case, **kwargs)

        wrapper = case_view(Access.READ, methods=methods)(checked)
        wrapper.network_access = access  # type: ignore[attr-defined]
        return wrapper

    return decorator


def tab_context(request: HttpRequest, case: Case, *, is_tab_page: bool = False) -> dict[str, Any]:
    can_work = permissions.can_work_case(request.user, case)
    may_edit = can_work or permissions.is_assigned_staff(request.user, case)
    return {
        "case": case,
        "tabs": TABS,
        "tab": "network",
        "tab_label": TAB_LABEL,
        "is_tab_page": is_tab_page,
        "can_work": can_work,
        "can_edit": may_edit and case.is_open,
    }


def object_or_404(request: HttpRequest, case: Case, queryset: QuerySet[M], pk: Any) -> M:
    """An object addressed in a sub-URL; ``queryset`` is already limited to the case."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        permissions.access_log_denied(request, case_id=case.pk)
        raise Http404
    return obj


def user_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def form_data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not (htmx and htmx.history_restore_request)


def network_url(case: Case, anchor: str = "") -> str:
    url = reverse("network:network_detail", kwargs={"case_id": case.pk})
    return f"{url}#{anchor}" if anchor else url


def fragment(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    focus: str = "",
    announce: Any = "",
) -> HttpResponse:
    """A partial of a network page, with where the focus goes and what to announce (read by
    static/js/plan.js, which the network pages share with the plan)."""
    response = HttpResponse(render_to_string(template, context, request))
    triggers: dict[str, Any] = {}
    if focus:
        triggers["plan:focus"] = {"selector": focus}
    if announce:
        triggers["plan:announce"] = {"message": str(announce)}
    if triggers:
        response["HX-Trigger-After-Settle"] = json.dumps(triggers)
    patch_vary_headers(response, ["HX-Request"])
    return response


def render_form_page(
    request: HttpRequest,
    case: Case,
    *,
    title: Any,
    partial: str,
    context: dict[str, Any],
    back_url: str = "",
    back_label: Any = "",
    status: int = 200,
) -> HttpResponse:
    """A network form on its own page under the Netværk tab."""
    ctx = {
        **tab_context(request, case),
        "title": title,
        "partial": partial,
        "back_url": back_url or network_url(case),
        "back_label": back_label or _("Tilbage til netværket"),
        **context,
    }
    response = render(request, FORM_PAGE, ctx, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
