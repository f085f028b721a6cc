"""Signs of Safety: the assessment map's entries and the worry statements. Written with the
family in the meeting by the caseworker (PlanAccess.AUTHORITY)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.views.case_common import FORM_METHODS

from .. import services
from ..forms import PlanForm, SafetyEntryForm, WorryForm
from ..models import Goal, SafetyMapEntry, WorryStatement
from .common import (
    PAGE,
    PlanAccess,
    Quick,
    form_data,
    fragments,
    is_htmx,
    page_context,
    plan_object_or_404,
    plan_or_404,
    plan_url,
    plan_view,
    quick_submit,
    render_form_page,
)


@plan_view(PlanAccess.AUTHORITY, what=_("skrive på vurderingskortet"), methods=FORM_METHODS)
def plan_safety_add(request: HttpRequest, case: Case) -> HttpResponse:
    plan = plan_or_404(case)
    form = SafetyEntryForm(form_data(request), id_prefix="nyt-punkt")
    quick = Quick(
        key="safety",
        section="safety",
        success=_("Punktet er tilføjet på vurderingskortet."),
        title=_("Nyt punkt på vurderingskortet"),
        submit=_("Tilføj punkt"),
        anchor=lambda _entry: "plan-safety",
    )
    return quick_submit(
        request,
        case,
        plan,
        form,
        quick,
        lambda data: services.plan_safety_entry_add(plan=plan, **data),
        action=reverse("plans:plan_safety_add", kwargs={"case_id": case.pk}),
    )


@plan_view(PlanAccess.AUTHORITY, what=_("skrive på vurderingskortet"), methods=FORM_METHODS)
def plan_safety_remove(request: HttpRequest, case: Case, entry_id: int) -> HttpResponse:
    entry = plan_object_or_404(
        request,
        case,
        SafetyMapEntry.objects.filter(plan__case=case).select_related("plan"),
        entry_id,
    )
    entry.plan.case = case
    if request.method != "POST":
        return render_form_page(
            request,
            case,
            PlanForm(id_prefix="fjern"),
            title=_("Fjern punkt fra vurderingskortet"),
            intro=_("Vil du fjerne dette punkt?"),
            action=request.path,
            submit=_("Fjern punktet"),
            extra={
                "partial": f"{PAGE}#confirm_remove",
                "item": f"{entry.get_column_display()}: {entry.text}",
                "cancel_url": plan_url(case, "plan-safety"),
            },
        )
    try:
        services.plan_safety_entry_remove(entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan_url(case, "plan-safety"))
    if not is_htmx(request):
        messages.success(request, _("Punktet er fjernet fra vurderingskortet."))
        return redirect(plan_url(case, "plan-safety"))
    return fragments(
        request,
        page_context(request, case, entry.plan),
        "safety",
        focus=f"#kolonne-{entry.column}",
        announce=_("Punktet er fjernet fra vurderingskortet."),
    )


@plan_view(PlanAccess.AUTHORITY, what=_("skrive bekymringsudsagn"), methods=FORM_METHODS)
def plan_worry_add(request: HttpRequest, case: Case) -> HttpResponse:
    plan = plan_or_404(case)
    goals = list(Goal.objects.filter(plan=plan).order_by("position", "id"))
    form = WorryForm(form_data(request), goals=goals, id_prefix="ny-bekymring")
    quick = Quick(
        key="worry",
        section="worries",
        success=_("Bekymringsudsagnet er tilføjet."),
        title=_("Nyt bekymringsudsagn"),
        intro=_(
            "Skriv i et sprog, familien forstår: hvem er bekymret, for hvad, og hvad kan der "
            "ske, hvis intet ændrer sig. Trivselsmålet siger, hvad man vil se, når det er godt nok."
        ),
        submit=_("Tilføj bekymringsudsagn"),
        anchor=lambda _worry: "plan-worries",
    )
    return quick_submit(
        request,
        case,
        plan,
        form,
        quick,
        lambda _data: services.plan_worry_add(plan=plan, **form.service_arguments()),
        action=reverse("plans:plan_worry_add", kwargs={"case_id": case.pk}),
    )


def _worry_of(request: HttpRequest, case: Case, worry_id: int) -> WorryStatement:
    worry = plan_object_or_404(
        request,
        case,
        WorryStatement.objects.filter(plan__case=case).select_related("plan"),
        worry_id,
    )
    worry.plan.case = case
    return worry


@plan_view(PlanAccess.AUTHORITY, what=_("ændre bekymringsudsagn"), methods=FORM_METHODS)
def plan_worry_edit(request: HttpRequest, case: Case, worry_id: int) -> HttpResponse:
    worry = _worry_of(request, case, worry_id)
    goals = list(Goal.objects.filter(plan=worry.plan).order_by("position", "id"))
    initial = {field: getattr(worry, field) for field in WorryForm.base_fields if field != "goal"}
    initial["goal"] = str(worry.goal_id or "")
    form = WorryForm(
        form_data(request), goals=goals, initial=initial, id_prefix=f"bekymring-{worry.pk}-ret"
    )
    quick = Quick(
        key="worry_edit",
        section="worries",
        success=_("Bekymringsudsagnet er ændret."),
        title=_("Ret bekymringsudsagn"),
        anchor=lambda _worry: "plan-worries",
        cancel=f"bekymring-{worry.pk}",
        focus_after="#worries-heading",
    )
    return quick_submit(
        request,
        case,
        worry.plan,
        form,
        quick,
        lambda _data: services.plan_worry_update(worry=worry, **form.service_arguments()),
        action=reverse("plans:plan_worry_edit", kwargs={"case_id": case.pk, "worry_id": worry.pk}),
    )


@plan_view(PlanAccess.AUTHORITY, what=_("fjerne bekymringsudsagn"), methods=FORM_METHODS)
def plan_worry_remove(request: HttpRequest, case: Case, worry_id: int) -> HttpResponse:
    worry = _worry_of(request, case, worry_id)
    if request.method != "POST":
        return render_form_page(
            request,
            case,
            PlanForm(id_prefix="fjern"),
            title=_("Fjern bekymringsudsagn"),
            intro=_("Vil du fjerne dette bekymringsudsagn?"),
            action=request.path,
            submit=_("Fjern bekymringsudsagnet"),
            extra={
                "partial": f"{PAGE}#confirm_remove",
                "item": f"{worry.who_is_worried}: {worry.about}",
                "cancel_url": plan_url(case, f"bekymring-{worry.pk}"),
            },
        )
    try:
        services.plan_worry_remove(worry=worry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan_url(case, "plan-worries"))
    if not is_htmx(request):
        messages.success(request, _("Bekymringsudsagnet er fjernet."))
        return redirect(plan_url(case, "plan-worries"))
    return fragments(
        request,
        page_context(request, case, worry.plan),
        "worries",
        focus="#worries-heading",
        announce=_("Bekymringsudsagnet er fjernet."),
    )
