"""What every network page shares: who may do what, loading network objects through the case,
the page's context, and answering a form in place (htmx) or by redirect.

Every view is wrapped in ``cases.pages.case_page`` with what it needs (``access.rules.Need``;
changing the map or the meetings is ``Need.GOALS``), which loads the case (the read is logged,
an outsider gets a logged 404) and gives a user who may see the case but not do this a logged
403. Network objects are only ever looked up through the case (``object_or_404``), so an id
from another case is a logged 404 too.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.pages import access_of, case_tabs
from plans.views.common import form_data as form_data
from plans.views.common import is_htmx as is_htmx
from plans.views.common import partial_response, plan_object_or_404
from plans.views.common import user_of as user_of

PAGE = "network/network_detail.html"
FORM_PAGE = "network/network_form.html"
TAB_LABEL = _("Netværk")

# An object addressed in a sub-URL, through a queryset already limited to the case (a logged
# 404 otherwise): the same as on the plan pages, like form_data, is_htmx and user_of above.
object_or_404 = plan_object_or_404


def tab_context(request: HttpRequest, case: Case, *, is_tab_page: bool = False) -> dict[str, Any]:
    access = access_of(request)
    return {
        "case": case,
        "tabs": case_tabs(case, access),
        "tab": "network",
        "tab_label": TAB_LABEL,
        "is_tab_page": is_tab_page,
        "access": access,
        "can_work": access.can_work,
        "can_edit": access.can_edit_goals,
    }


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
    """A partial of a network page, with where the focus goes and what to announce."""
    html = render_to_string(template, context, request)
    return partial_response(html, focus=focus, announce=announce)


def svg_response(drawing: str, filename: str) -> HttpResponse:
    """A map as an SVG file of its own, never cached (it shows a child's network)."""
    response = HttpResponse(drawing, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
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
    response = render(request, FORM_PAGE, ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response
