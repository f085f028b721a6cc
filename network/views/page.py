"""The network page (the case's Netværk tab): the map drawn beside the same content as a
list, adding, editing, moving and removing people, and the map's own SVG URL."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from access.rules import Need
from cases.models import Case
from cases.pages import FORM_METHODS, case_page
from network import selectors, services
from network.forms import MemberForm, MoveForm
from network.models import MapSnapshot, NetworkMember
from network.views.common import (
    PAGE,
    form_data,
    fragment,
    is_htmx,
    network_url,
    object_or_404,
    render_form_page,
    svg_response,
    tab_context,
    user_of,
)

MEMBER_FORM_PAGE = "network/network_detail.html#member_form"


def page_context(
    request: HttpRequest,
    case: Case,
    *,
    member_form: MemberForm | None = None,
    is_tab_page: bool = False,
    flash: Any = "",
) -> dict[str, Any]:
    """Everything the network page shows, in a fixed number of queries however many people
    are on the map."""
    context = tab_context(request, case, is_tab_page=is_tab_page)
    members = list(selectors.active_members(case))
    context.update(
        {
            "members": members,
            "groups": selectors.by_sector(members),
            "map_svg": selectors.draw_map(case=case, members=members),
            "upcoming_meetings": selectors.upcoming_meetings(case),
            "snapshot_count": MapSnapshot.objects.filter(case=case).count(),
            "flash": flash,
        }
    )
    if context["can_edit"]:
        context["member_form"] = member_form or MemberForm(
            staff=selectors.staff_for(case), id_prefix="ny-person"
        )
    return context


def member_of(request: HttpRequest, case: Case, member_id: int) -> NetworkMember:
    member = object_or_404(
        request, case, NetworkMember.objects.filter(case=case, removed_at=None), member_id
    )
    member.case = case
    return member


def _answer(request: HttpRequest, case: Case, message: Any, *, focus: str) -> HttpResponse:
    """After a change: the map and list in place (htmx), or back to the page (PRG)."""
    if not is_htmx(request):
        messages.success(request, message)
        return redirect(network_url(case, "netvaerk"))
    context = page_context(request, case, flash=message)
    return fragment(request, f"{PAGE}#network", context, focus=focus, announce=message)


@case_page()
def network_detail(request: HttpRequest, case: Case) -> HttpResponse:
    template = f"{PAGE}#tab" if is_htmx(request) else PAGE
    response = render(request, template, page_context(request, case, is_tab_page=True))
    patch_vary_headers(response, ["HX-Request"])
    return response


@case_page()
def network_map_svg(request: HttpRequest, case: Case) -> HttpResponse:
    """The map alone, as an SVG file (linked from the network page; read like any page)."""
    drawing = selectors.draw_map(case=case, members=selectors.active_members(case))
    return svg_response(drawing, "netvaerkskort.svg")


@case_page(Need.GOALS, what=_("ændre netværkskortet"), methods=FORM_METHODS)
def network_member_add(request: HttpRequest, case: Case) -> HttpResponse:
    form = MemberForm(form_data(request), staff=selectors.staff_for(case), id_prefix="ny-person")
    if request.method == "POST" and form.is_valid():
        try:
            member = services.network_member_add(
                case=case, user=user_of(request), **form.service_arguments()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            message = _("%(name)s er sat på kortet.") % {"name": member.name}
            return _answer(request, case, message, focus="#ny-person-name")
    if is_htmx(request) and request.method == "POST":
        context = page_context(request, case, member_form=form)
        return fragment(
            request,
            f"{PAGE}#network",
            context,
            focus="#ny-person-errors",
            announce=_("Formularen kunne ikke gemmes. Ret fejlene."),
        )
    return render_form_page(
        request,
        case,
        title=_("Sæt en person på kortet"),
        partial=MEMBER_FORM_PAGE,
        context={
            "form": form,
            "action": reverse("network:network_member_add", kwargs={"case_id": case.pk}),
            "submit": _("Sæt på kortet"),
        },
    )


@case_page(Need.GOALS, what=_("ændre netværkskortet"), methods=FORM_METHODS)
def network_member_edit(request: HttpRequest, case: Case, member_id: int) -> HttpResponse:
    member = member_of(request, case, member_id)
    form = MemberForm(
        form_data(request),
        initial=MemberForm.initial_for(member),
        staff=selectors.staff_for(case),
        id_prefix=f"person-{member.pk}",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.network_member_update(
                member=member, user=user_of(request), **form.service_arguments()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("%(name)s er opdateret.") % {"name": member.name})
            return redirect(network_url(case, f"person-{member.pk}"))
    return render_form_page(
        request,
        case,
        title=_("Ret %(name)s") % {"name": member.name},
        partial=MEMBER_FORM_PAGE,
        context={
            "form": form,
            "action": reverse(
                "network:network_member_edit", kwargs={"case_id": case.pk, "member_id": member.pk}
            ),
            "submit": _("Gem"),
        },
    )


@case_page(Need.GOALS, what=_("ændre netværkskortet"), methods=FORM_METHODS)
def network_member_move(request: HttpRequest, case: Case, member_id: int) -> HttpResponse:
    """One circle closer or further away. The page's buttons post here directly; a GET shows
    the choice as its own small form."""
    member = member_of(request, case, member_id)
    form = MoveForm(form_data(request), id_prefix=f"flyt-{member.pk}")
    if request.method == "POST" and form.is_valid():
        direction = form.cleaned_data["direction"]
        try:
            services.network_member_move(member=member, user=user_of(request), direction=direction)
        except ValidationError as error:
            if not is_htmx(request):
                form.add_service_error(error)
            else:
                context = page_context(request, case, flash=" ".join(error.messages))
                return fragment(
                    request,
                    f"{PAGE}#network",
                    context,
                    focus=f"#person-{member.pk}-navn",
                    announce=" ".join(error.messages),
                )
        else:
            message = (
                _("%(name)s er flyttet tættere på.")
                if direction == "closer"
                else _("%(name)s er flyttet længere væk.")
            ) % {"name": member.name}
            return _answer(request, case, message, focus=f"#person-{member.pk}-navn")
    return render_form_page(
        request,
        case,
        title=_("Flyt %(name)s") % {"name": member.name},
        partial="network/network_detail.html#move_form",
        context={
            "form": form,
            "member": member,
            "action": reverse(
                "network:network_member_move", kwargs={"case_id": case.pk, "member_id": member.pk}
            ),
        },
    )


@case_page(Need.GOALS, what=_("ændre netværkskortet"), methods=FORM_METHODS)
def network_member_remove(request: HttpRequest, case: Case, member_id: int) -> HttpResponse:
    """GET: a confirmation page. POST: take the person off the map."""
    member = member_of(request, case, member_id)
    if request.method == "POST":
        try:
            services.network_member_remove(member=member, user=user_of(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(network_url(case, "netvaerk"))
        message = _("%(name)s er fjernet fra kortet.") % {"name": member.name}
        return _answer(request, case, message, focus="#netvaerk-heading")
    return render_form_page(
        request,
        case,
        title=_("Fjern %(name)s fra kortet") % {"name": member.name},
        partial="network/network_detail.html#confirm_remove",
        context={
            "member": member,
            "action": request.path,
            "cancel_url": network_url(case, f"person-{member.pk}"),
        },
    )
