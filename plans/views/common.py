"""What every plan page shares: who may do what, loading the plan and its objects through the
case, the page's context, and answering a quick form in a meeting.

Every view is wrapped in ``cases.pages.case_page`` with what it needs (``access.rules.Need``),
which loads the case (the read is logged, an outsider gets a logged 404) and gives a user who
may see the case but not do this a logged 403. Plan objects are only ever looked up through the
case (``plan_object_or_404``, ``Goal.objects.filter(plan__case=case)``), so an id from another
case's plan is a logged 404 too.

A quick form (a goal, a responsibility, a map entry, a worry, a rating) answers an htmx POST
with the updated section of the plan page (a partial of ``plans/plan_detail.html``) plus the
sections that depend on it out of band, and tells the page where to put the focus and what
to announce (``HX-Trigger-After-Settle``, read by static/js/plan.js). Without JavaScript the
same form posts normally and redirects back to the section (PRG), or shows its own page with
the errors.
"""

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from access.refusals import access_log_denied
from accounts.models import AUTHORITY_ROLES, Role, User
from cases.models import Case, FamilyMember
from cases.pages import access_of, case_tabs
from cases.pages import form_data as form_data
from cases.pages import user_of as user_of
from plans import selectors
from plans.forms import (
    TEXT_SECTIONS,
    THREE_HOUSES,
    GoalForm,
    People,
    PlanForm,
    RatingAddForm,
    RatingRoundForm,
    ResponsibilityForm,
    SafetyEntryForm,
    TextSection,
    VersionFreezeForm,
    WorryForm,
    goal_label,
)
from plans.models import Goal, Plan, Rating

M = TypeVar("M", bound=Model)

PAGE = "plans/plan_detail.html"
FORM_PAGE = "plans/plan_form.html"
TAB_LABEL = _("Plan")
MAX_PREFILLED_RATERS = 5
SAVE = _("Gem")


def tab_context(request: HttpRequest, case: Case, *, is_tab_page: bool = False) -> dict[str, Any]:
    """The case header and tabs with the Plan tab marked (``page`` on the plan itself)."""
    access = access_of(request)
    return {
        "case": case,
        "tabs": case_tabs(case, access),
        "tab": "plan",
        "tab_label": TAB_LABEL,
        "is_tab_page": is_tab_page,
        "access": access,
        "can_work": access.can_work,
        "can_edit": access.can_edit,
        "can_edit_goals": access.can_edit_goals,
    }


# --- loading through the case ----------------------------------------------------------------


def plan_of(case: Case) -> Plan | None:
    plan = Plan.objects.filter(case=case).first()
    if plan is not None:
        plan.case = case  # the services check the case; no second query for it
    return plan


def plan_or_404(case: Case) -> Plan:
    """The case's plan; a plan page of a case without a plan is simply not there."""
    plan = plan_of(case)
    if plan is None:
        raise Http404
    return plan


def plan_object_or_404(request: HttpRequest, case: Case, queryset: QuerySet[M], pk: Any) -> M:
    """An object addressed in a sub-URL; ``queryset`` is already limited to the case's plan.
    Anything else (another case's goal, a made-up id) is a 404, logged against the case."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        access_log_denied(request, case=case)
        raise Http404
    return obj


def goal_of(request: HttpRequest, case: Case, goal_id: int) -> Goal:
    goal = plan_object_or_404(
        request, case, Goal.objects.filter(plan__case=case).select_related("plan"), goal_id
    )
    goal.plan.case = case
    return goal


def is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.history_restore_request)


# --- the plan page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TextItem:
    """One of the plan's own texts with its current value."""

    section: TextSection
    value: str


def text_item(plan: Plan, slug: str) -> TextItem:
    section = TEXT_SECTIONS[slug]
    return TextItem(section=section, value=getattr(plan, section.field))


def text_items(plan: Plan) -> dict[str, Any]:
    return {
        "voice_items": [
            text_item(plan, slug) for slug in ("formaal", "barnets-stemme", "foraeldrenes-syn")
        ],
        "house_items": [text_item(plan, slug) for slug in THREE_HOUSES],
        "internal_item": text_item(plan, "intern-note"),
    }


@dataclass(frozen=True)
class GoalCard:
    """A goal as the plan page shows it: with its chart and its "who does what" form."""

    goal: Goal
    chart: selectors.RatingChart
    responsibility_form: ResponsibilityForm | None


def people_for(case: Case) -> People:
    """Who can be responsible for a goal: the child's family, the caseworker and the staff
    assigned to the case's measures. Two queries."""
    members: list[FamilyMember] = []
    seen: set[Any] = set()
    for member in (
        FamilyMember.objects.filter(family__members__citizen_id=case.citizen_id)
        .select_related("citizen")
        .distinct()
        .order_by("-is_child", "first_name", "id")
    ):
        # A child of parents who live apart is a member of both households: list it once.
        key = member.citizen_id or f"member-{member.pk}"
        if key not in seen:
            seen.add(key)
            members.append(member)
    professionals = list(
        User.objects.filter(
            Q(pk=case.owner_id) | Q(measure_assignments__measure__case=case), is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "id")
    )
    return People(members=members, professionals=professionals, child_citizen_id=case.citizen_id)


def raters_for(case: Case, people: People, user: User) -> list[tuple[str, str]]:
    """The people usually present when a round is asked: the child, the adults of the family
    and the one writing. Prefilled in the round form; a row without answers is ignored."""
    kind_of_user = (
        Rating.RaterKind.CASEWORKER
        if user.role in AUTHORITY_ROLES
        else Rating.RaterKind.THERAPIST
        if user.role == Role.THERAPIST
        else Rating.RaterKind.OTHER
    )
    raters: list[tuple[str, str]] = [(Rating.RaterKind.CHILD, case.citizen.first_name)]
    raters += [
        (Rating.RaterKind.PARENT, m.name)
        for m in people.members
        if not m.is_child and m.citizen_id != case.citizen_id and m.name
    ]
    raters = raters[: MAX_PREFILLED_RATERS - 1]
    raters.append((kind_of_user, user.get_full_name() or user.username))
    return raters


def page_context(
    request: HttpRequest,
    case: Case,
    plan: Plan,
    *,
    forms: dict[str, PlanForm] | None = None,
    is_tab_page: bool = False,
    open_form: str = "",
) -> dict[str, Any]:
    """Everything the plan page and its partials show, in a fixed number of queries however
    many goals, responsibilities and rounds the plan has. ``forms`` replaces the blank form of
    that key with a bound one (its errors and typed values)."""
    context = tab_context(request, case, is_tab_page=is_tab_page)
    forms = forms or {}
    content = selectors.plan_content(plan=plan)
    history = content.history
    goals = [group.goal for group in history.goals if group.goal is not None]
    charts = {
        group.goal.pk: selectors.rating_chart(
            group=group,
            rounds=history.rounds,
            title=goal_label(group.goal, 80),
            id_prefix=f"chart-goal-{group.goal.pk}",
        )
        for group in history.goals
        if group.goal is not None
    }
    editing_goals = context["can_edit_goals"]
    people = people_for(case) if editing_goals else None

    def responsibility_form(goal: Goal) -> ResponsibilityForm | None:
        if people is None:
            return None
        bound = forms.get(f"responsibility-{goal.pk}")
        if isinstance(bound, ResponsibilityForm):
            return bound
        return ResponsibilityForm(people=people, id_prefix=f"ansvar-{goal.pk}")

    def form(key: str, blank: Callable[[], PlanForm]) -> PlanForm:
        return forms.get(key) or blank()

    user = user_of(request)
    context.update(
        {
            "plan": plan,
            "content": content,
            "goal_groups": [
                (area, [GoalCard(g, charts[g.pk], responsibility_form(g)) for g in area_goals])
                for area, area_goals in content.goal_groups
            ],
            "goal_count": len(goals),
            "overall_chart": selectors.rating_chart(
                group=history.overall,
                rounds=history.rounds,
                title=str(_("Samlet vurdering")),
                id_prefix="chart-overall",
            ),
            "rounds": history.rounds,
            "latest_round": history.rounds[-1] if history.rounds else None,
            "deadline": selectors.plan_deadline(case=case),
            "versions": list(plan.versions.select_related("frozen_by").order_by("number")),
            "open_form": open_form,
            **text_items(plan),
        }
    )
    if editing_goals and people is not None:
        context["goal_form"] = form("goal", lambda: GoalForm(id_prefix="nyt-maal"))
        context["round_form"] = form(
            "round",
            lambda: RatingRoundForm(
                goals=goals, people=raters_for(case, people, user), id_prefix="runde"
            ),
        )
        context["rating_add_form"] = form(
            "rating_add", lambda: RatingAddForm(goals=goals, id_prefix="en-vurdering")
        )
    if context["can_edit"]:
        context["safety_form"] = form("safety", lambda: SafetyEntryForm(id_prefix="nyt-punkt"))
        context["worry_form"] = form(
            "worry", lambda: WorryForm(goals=goals, id_prefix="ny-bekymring")
        )
        context["freeze_form"] = form("freeze", lambda: VersionFreezeForm(id_prefix="ny-version"))
    return context


def find_card(context: dict[str, Any], goal_id: int) -> GoalCard:
    for _area, cards in context["goal_groups"]:
        for card in cards:
            if card.goal.pk == goal_id:
                return cast(GoalCard, card)
    raise Http404


# --- answering in place ----------------------------------------------------------------------


def plan_url(case: Case, anchor: str = "") -> str:
    url = reverse("plans:plan_detail", kwargs={"case_id": case.pk})
    return f"{url}#{anchor}" if anchor else url


def fragments(
    request: HttpRequest,
    context: dict[str, Any],
    main: str,
    *,
    oob: Iterable[str] = (),
    focus: str = "",
    announce: Any = "",
    retarget: str = "",
) -> HttpResponse:
    """The partial ``main`` of the plan page, the partials in ``oob`` out of band, and the
    focus and announcement for static/js/plan.js. ``retarget``: swap ``main`` there instead
    of where the request said (an inline form whose success updates its whole section)."""
    html = render_to_string(f"{PAGE}#{main}", context, request)
    for name in oob:
        html += render_to_string(f"{PAGE}#{name}", {**context, "oob": True}, request)
    response = partial_response(html, focus=focus, announce=announce)
    if retarget:
        response["HX-Retarget"] = retarget
        response["HX-Reswap"] = "outerHTML"
    return response


def partial_response(html: str, *, focus: str = "", announce: Any = "") -> HttpResponse:
    """An htmx answer with where the focus goes and what to announce after the swap (read by
    static/js/plan.js; the network pages share it)."""
    response = HttpResponse(html)
    triggers: dict[str, Any] = {}
    if focus:
        triggers["plan:focus"] = {"selector": focus}
    if announce:
        triggers["plan:announce"] = {"message": str(announce)}
    if triggers:
        response["HX-Trigger-After-Settle"] = json.dumps(triggers)
    patch_vary_headers(response, ["HX-Request"])
    return response


def first_field(form: PlanForm) -> str:
    return f"#{form.id_prefix}-{next(iter(form.fields))}"


@dataclass(frozen=True)
class Quick:
    """How one quick form of the plan page answers."""

    key: str  # the form's key in page_context's ``forms``
    section: str  # the partial it lives in, swapped on success (and on errors)
    success: Any  # the message announced (htmx) or shown (after the redirect)
    title: Any  # heading of the form's own page (without JavaScript)
    anchor: Callable[[Any], str]  # where on the plan page the result is
    oob: Sequence[str] = ()  # sections that depend on the result
    intro: Any = ""
    submit: Any = SAVE
    partial: str = "quick_form"  # the form's partial on its own page
    cancel: str = ""  # on its own page, "Annullér" goes back to this anchor of the plan page
    focus_after: str = ""  # what to focus after success (default: the blank form's first field)
    retarget: str = ""  # an inline form: its section replaces it on success


def quick_submit(
    request: HttpRequest,
    case: Case,
    plan: Plan,
    form: PlanForm,
    quick: Quick,
    perform: Callable[[dict[str, Any]], Any],
    *,
    action: str,
    inline_errors: Callable[[PlanForm], HttpResponse] | None = None,
) -> HttpResponse:
    """Run the service on a valid POST and answer in place (htmx) or by PRG; otherwise show
    the form with its errors and everything typed, in place or on its own page."""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if not is_htmx(request):
                messages.success(request, quick.success)
                return redirect(plan_url(case, quick.anchor(result)))
            # The page's blank forms replace the one just sent: the form resets.
            context = page_context(request, case, plan, open_form=form.id_prefix)
            context["flash"] = {"section": quick.section, "message": quick.success}
            return fragments(
                request,
                context,
                quick.section,
                oob=quick.oob,
                focus=quick.focus_after or first_field(form),
                announce=quick.success,
                retarget=quick.retarget,
            )
    if is_htmx(request) and request.method == "POST":
        if inline_errors is not None:
            return inline_errors(form)
        context = page_context(
            request, case, plan, forms={quick.key: form}, open_form=form.id_prefix
        )
        return fragments(
            request,
            context,
            quick.section,
            focus=f"#{form.id_prefix}-errors",
            announce=_("Formularen kunne ikke gemmes. Ret fejlene."),
        )
    return render_form_page(
        request,
        case,
        form,
        title=quick.title,
        intro=quick.intro,
        action=action,
        submit=quick.submit,
        extra={
            "partial": f"{PAGE}#{quick.partial}",
            "cancel_url": plan_url(case, quick.cancel) if quick.cancel else "",
        },
    )


def render_form_page(
    request: HttpRequest,
    case: Case,
    form: PlanForm,
    *,
    title: Any,
    action: str,
    intro: Any = "",
    submit: Any = SAVE,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A plan form on its own page under the Plan tab (without JavaScript, and for errors)."""
    context = {
        **tab_context(request, case),
        "form": form,
        "title": title,
        "intro": intro,
        "action": action,
        "submit": submit,
        **(extra or {}),
    }
    response = render(request, FORM_PAGE, context)
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers htmx with a fragment
    return response


@dataclass(frozen=True)
class Removal:
    """What a "remove" view says and where it goes: the flow itself is ``quick_remove``."""

    title: Any
    intro: Any
    submit: Any
    item: str  # the thing being removed, quoted on the confirmation page
    anchor: str  # where the page returns to after removing (PRG)
    section: str  # the section re-rendered for htmx
    focus: str  # the element that gets the focus after an htmx removal
    success: Any
    cancel_anchor: str = ""  # where "Annullér" goes, if not to ``anchor``


def quick_remove(
    request: HttpRequest,
    case: Case,
    plan: Plan,
    removal: Removal,
    perform: Callable[[], Any],
) -> HttpResponse:
    """GET: a confirmation page. POST: remove, then PRG back, or the section in place (htmx)."""
    if request.method != "POST":
        return render_form_page(
            request,
            case,
            PlanForm(id_prefix="fjern"),
            title=removal.title,
            intro=removal.intro,
            action=request.path,
            submit=removal.submit,
            extra={
                "partial": f"{PAGE}#confirm_remove",
                "item": removal.item,
                "cancel_url": plan_url(case, removal.cancel_anchor or removal.anchor),
            },
        )
    try:
        perform()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan_url(case, removal.anchor))
    if not is_htmx(request):
        messages.success(request, removal.success)
        return redirect(plan_url(case, removal.anchor))
    return fragments(
        request,
        page_context(request, case, plan),
        removal.section,
        focus=removal.focus,
        announce=removal.success,
    )
