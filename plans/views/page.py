"""The plan page itself: reading it, creating the plan, editing its own texts inline, and the
print view that is handed out at a meeting."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.rules import Need
from cases.models import Case
from cases.pages import FORM_METHODS, case_page
from plans import print_sections, selectors, services
from plans.forms import TEXT_SECTIONS, PlanCreateForm, PlanTextForm
from plans.models import Plan
from plans.views.common import (
    PAGE,
    fragments,
    is_htmx,
    page_context,
    plan_of,
    plan_or_404,
    plan_url,
    render_form_page,
    tab_context,
    text_item,
    user_of,
)


@case_page()
def plan_detail(request: HttpRequest, case: Case) -> HttpResponse:
    plan = plan_of(case)
    if plan is None:
        kind = services.plan_kind_for(case=case)
        context = {
            **tab_context(request, case, is_tab_page=True),
            "plan": None,
            "default_kind_label": str(Plan.Kind(kind).label).lower(),
            "create_form": PlanCreateForm(initial={"kind": kind}, id_prefix="ny-plan"),
        }
        return render(request, PAGE, context)
    return render(request, PAGE, page_context(request, case, plan, is_tab_page=True))


@case_page(Need.AUTHORITY, what=_("oprette planen"), methods=FORM_METHODS)
def plan_create(request: HttpRequest, case: Case) -> HttpResponse:
    form = PlanCreateForm(
        request.POST if request.method == "POST" else None,
        initial={"kind": services.plan_kind_for(case=case)},
        id_prefix="ny-plan",
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(case=case, user=user_of(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Planen er oprettet. Skriv den sammen med familien."))
            return redirect(plan)
    return render_form_page(
        request,
        case,
        form,
        title=_("Opret plan"),
        intro=_("Sagen har én plan, som alle omkring barnet arbejder ud fra."),
        action=reverse("plans:plan_create", kwargs={"case_id": case.pk}),
        submit=_("Opret plan"),
        extra={"existing_plan": plan_of(case)},
    )


@case_page(Need.AUTHORITY, what=_("skrive i planen"), methods=FORM_METHODS)
def plan_section_edit(request: HttpRequest, case: Case, section: str) -> HttpResponse:
    """One of the plan's texts: the form in place of the text (htmx) or on its own page."""
    text = TEXT_SECTIONS.get(section)
    if text is None:
        raise Http404
    plan = plan_or_404(case)
    initial = {"text": getattr(plan, text.field)}
    form = PlanTextForm(
        request.POST if request.method == "POST" else None, section=text, initial=initial
    )
    show = "text_section"
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, **{text.field: form.cleaned_data["text"]})
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if not is_htmx(request):
                messages.success(request, text.saved)
                return redirect(plan_url(case, f"afsnit-{text.slug}"))
            return fragments(
                request,
                {**tab_context(request, case), "item": text_item(plan, text.slug)},
                show,
                focus=f"#afsnit-{text.slug}-rediger",
                announce=text.saved,
            )
    if is_htmx(request):
        cancel = request.method == "GET" and "vis" in request.GET
        return fragments(
            request,
            {**tab_context(request, case), "item": text_item(plan, text.slug), "form": form},
            show if cancel else "text_section_form",
            focus=f"#afsnit-{text.slug}-rediger" if cancel else _focus_for(form),
        )
    return render_form_page(
        request,
        case,
        form,
        title=text.label,
        action=reverse("plans:plan_section_edit", kwargs={"case_id": case.pk, "section": section}),
        extra={"cancel_url": plan_url(case, f"afsnit-{text.slug}")},
    )


def _focus_for(form: PlanTextForm) -> str:
    return f"#{form.id_prefix}-errors" if form.errors else f"#{form.id_prefix}-text"


@case_page()
def plan_print(request: HttpRequest, case: Case) -> HttpResponse:
    """The plan as handed out to the family: what the family may see, never the internal note
    (the content comes from the family's snapshot, which has no internal part)."""
    plan = plan_or_404(case)
    history = selectors.plan_rating_history(plan=plan)
    context: dict[str, Any] = {
        "case": case,
        "plan": plan,
        "content": selectors.version_content(snapshot=selectors.plan_for_family(plan=plan)),
        "overall_chart": selectors.rating_chart(
            group=history.overall,
            rounds=history.rounds,
            title=str(_("Samlet vurdering")),
            id_prefix="print-overall",
        ),
        "goal_charts": [
            selectors.rating_chart(
                group=group,
                rounds=history.rounds,
                title=group.goal.family_wording,
                id_prefix=f"print-goal-{group.goal.pk}",
            )
            for group in history.goals
            if group.goal is not None and group.has_ratings
        ],
        "printed_on": timezone.localdate(),
        "latest_version": plan.versions.order_by("-number").first(),
    }
    # What the apps above plans add: the network map (network.plan_print).
    context.update(print_sections.context_for(case))
    return render(request, "plans/plan_print.html", context)
