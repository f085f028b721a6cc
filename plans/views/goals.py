"""Goals and who does what. The caseworker and the assigned therapist work on these with the
family, so both may add and change them (Need.GOALS)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from access.rules import Need
from cases.models import Case
from cases.pages import FORM_METHODS, case_page
from plans import services
from plans.forms import GoalForm, GoalStatusForm, PlanForm, ResponsibilityForm
from plans.models import Goal, Responsibility
from plans.views.common import (
    Quick,
    Removal,
    find_card,
    first_field,
    form_data,
    fragments,
    goal_of,
    is_htmx,
    page_context,
    people_for,
    plan_object_or_404,
    plan_or_404,
    quick_remove,
    quick_submit,
    tab_context,
)

GOAL_DEPENDANTS = ("scaling", "worries")  # the round form and the worry form list the goals


@case_page(Need.GOALS, what=_("tilføje mål"), methods=FORM_METHODS)
def plan_goal_add(request: HttpRequest, case: Case) -> HttpResponse:
    plan = plan_or_404(case)
    form = GoalForm(form_data(request), id_prefix="nyt-maal")
    quick = Quick(
        key="goal",
        section="goals",
        oob=GOAL_DEPENDANTS,
        success=_("Målet er tilføjet."),
        title=_("Tilføj mål"),
        intro=_("Skriv målet med familiens og barnets egne ord."),
        submit=_("Tilføj mål"),
        anchor=lambda goal: f"maal-{goal.pk}",
    )
    return quick_submit(
        request,
        case,
        plan,
        form,
        quick,
        lambda data: services.plan_goal_add(plan=plan, **data),
        action=reverse("plans:plan_goal_add", kwargs={"case_id": case.pk}),
    )


@case_page(Need.GOALS, what=_("ændre mål"), methods=FORM_METHODS)
def plan_goal_edit(request: HttpRequest, case: Case, goal_id: int) -> HttpResponse:
    goal = goal_of(request, case, goal_id)
    if is_htmx(request) and request.method == "GET" and "vis" in request.GET:
        return _show_goal(request, case, goal)  # "Annullér": the goal as it was
    initial = {field: getattr(goal, field) for field in GoalForm.base_fields}
    form = GoalForm(form_data(request), initial=initial, id_prefix=f"maal-{goal.pk}-ret")
    if is_htmx(request) and request.method == "GET":
        return _inline_form(request, case, goal, form, "goal_edit_form")
    quick = Quick(
        key="goal_edit",
        section="goals",
        oob=GOAL_DEPENDANTS,
        success=_("Målet er ændret."),
        title=_("Ret mål"),
        anchor=lambda _goal: f"maal-{goal.pk}",
        cancel=f"maal-{goal.pk}",
        focus_after=f"#maal-{goal.pk}-rediger",
        retarget="#plan-goals",
    )
    return quick_submit(
        request,
        case,
        goal.plan,
        form,
        quick,
        lambda data: services.plan_goal_update(goal=goal, **data),
        action=reverse("plans:plan_goal_edit", kwargs={"case_id": case.pk, "goal_id": goal.pk}),
        inline_errors=lambda bound: _inline_form(request, case, goal, bound, "goal_edit_form"),
    )


@case_page(Need.GOALS, what=_("ændre status for mål"), methods=FORM_METHODS)
def plan_goal_status(request: HttpRequest, case: Case, goal_id: int) -> HttpResponse:
    goal = goal_of(request, case, goal_id)
    if is_htmx(request) and request.method == "GET" and "vis" in request.GET:
        return _show_goal(request, case, goal)
    initial = {"status": goal.status, "reason": goal.dropped_reason}
    form = GoalStatusForm(form_data(request), initial=initial, id_prefix=f"maal-{goal.pk}-status")
    if is_htmx(request) and request.method == "GET":
        return _inline_form(request, case, goal, form, "goal_status_form")
    quick = Quick(
        key="goal_status",
        section="goals",
        success=_("Målets status er ændret."),
        title=_("Status for målet"),
        anchor=lambda _goal: f"maal-{goal.pk}",
        cancel=f"maal-{goal.pk}",
        focus_after=f"#maal-{goal.pk}-status-knap",
        retarget="#plan-goals",
    )
    return quick_submit(
        request,
        case,
        goal.plan,
        form,
        quick,
        lambda data: services.plan_goal_set_status(goal=goal, **data),
        action=reverse("plans:plan_goal_status", kwargs={"case_id": case.pk, "goal_id": goal.pk}),
        inline_errors=lambda bound: _inline_form(request, case, goal, bound, "goal_status_form"),
    )


def _show_goal(request: HttpRequest, case: Case, goal: Goal) -> HttpResponse:
    context = page_context(request, case, goal.plan)
    context["card"] = find_card(context, goal.pk)
    return fragments(request, context, "goal_card", focus=f"#maal-{goal.pk}-rediger")


def _inline_form(
    request: HttpRequest, case: Case, goal: Goal, form: PlanForm, partial: str
) -> HttpResponse:
    """A goal's edit or status form in place of the goal (htmx), with the focus in it."""
    context = {**tab_context(request, case), "goal": goal, "form": form}
    focus = f"#{form.id_prefix}-errors" if form.errors else first_field(form)
    return fragments(request, context, partial, focus=focus)


@case_page(Need.GOALS, what=_("fordele ansvar for mål"), methods=FORM_METHODS)
def plan_responsibility_add(request: HttpRequest, case: Case, goal_id: int) -> HttpResponse:
    goal = goal_of(request, case, goal_id)
    form = ResponsibilityForm(
        form_data(request), people=people_for(case), id_prefix=f"ansvar-{goal.pk}"
    )
    quick = Quick(
        key=f"responsibility-{goal.pk}",
        section="goals",
        success=_("Ansvaret er tilføjet."),
        title=_("Hvem gør hvad"),
        intro=goal.family_wording,
        submit=_("Tilføj ansvar"),
        anchor=lambda _r: f"maal-{goal.pk}",
    )
    return quick_submit(
        request,
        case,
        goal.plan,
        form,
        quick,
        lambda _data: services.plan_responsibility_add(goal=goal, **form.service_arguments()),
        action=reverse(
            "plans:plan_responsibility_add", kwargs={"case_id": case.pk, "goal_id": goal.pk}
        ),
    )


@case_page(Need.GOALS, what=_("fjerne ansvar fra mål"), methods=FORM_METHODS)
def plan_responsibility_remove(
    request: HttpRequest, case: Case, responsibility_id: int
) -> HttpResponse:
    responsibility = plan_object_or_404(
        request,
        case,
        Responsibility.objects.filter(goal__plan__case=case).select_related(
            "goal__plan", "family_member__citizen", "professional"
        ),
        responsibility_id,
    )
    goal = responsibility.goal
    goal.plan.case = case
    removal = Removal(
        title=_("Fjern ansvar"),
        intro=_("Vil du fjerne dette ansvar fra målet?"),
        submit=_("Fjern ansvaret"),
        item=f"{responsibility.assignee}: {responsibility.task} ({responsibility.when})",
        anchor=f"maal-{goal.pk}",
        section="goals",
        focus=f"#maal-{goal.pk}-heading",
        success=_("Ansvaret er fjernet."),
    )
    return quick_remove(
        request,
        case,
        goal.plan,
        removal,
        lambda: services.plan_responsibility_remove(responsibility=responsibility),
    )
