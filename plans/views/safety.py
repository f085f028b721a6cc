"""Signs of Safety: the assessment map's entries and the worry statements. Written with the
family in the meeting by the caseworker (Need.AUTHORITY)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from access.rules import Need
from cases.models import Case
from cases.pages import FORM_METHODS, case_page
from plans import services
from plans.forms import SafetyEntryForm, WorryForm
from plans.models import Goal, SafetyMapEntry, WorryStatement
from plans.views.common import (
    Quick,
    Removal,
    form_data,
    plan_object_or_404,
    plan_or_404,
    quick_remove,
    quick_submit,
)


@case_page(Need.AUTHORITY, what=_("skrive på vurderingskortet"), methods=FORM_METHODS)
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


@case_page(Need.AUTHORITY, what=_("skrive på vurderingskortet"), methods=FORM_METHODS)
def plan_safety_remove(request: HttpRequest, case: Case, entry_id: int) -> HttpResponse:
    entry = plan_object_or_404(
        request,
        case,
        SafetyMapEntry.objects.filter(plan__case=case).select_related("plan"),
        entry_id,
    )
    entry.plan.case = case
    removal = Removal(
        title=_("Fjern punkt fra vurderingskortet"),
        intro=_("Vil du fjerne dette punkt?"),
        submit=_("Fjern punktet"),
        item=f"{entry.get_column_display()}: {entry.text}",
        anchor="plan-safety",
        section="safety",
        focus=f"#kolonne-{entry.column}",
        success=_("Punktet er fjernet fra vurderingskortet."),
    )
    return quick_remove(
        request, case, entry.plan, removal, lambda: services.plan_safety_entry_remove(entry=entry)
    )


@case_page(Need.AUTHORITY, what=_("skrive bekymringsudsagn"), methods=FORM_METHODS)
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


@case_page(Need.AUTHORITY, what=_("ændre bekymringsudsagn"), methods=FORM_METHODS)
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


@case_page(Need.AUTHORITY, what=_("fjerne bekymringsudsagn"), methods=FORM_METHODS)
def plan_worry_remove(request: HttpRequest, case: Case, worry_id: int) -> HttpResponse:
    worry = _worry_of(request, case, worry_id)
    removal = Removal(
        title=_("Fjern bekymringsudsagn"),
        intro=_("Vil du fjerne dette bekymringsudsagn?"),
        submit=_("Fjern bekymringsudsagnet"),
        item=f"{worry.who_is_worried}: {worry.about}",
        anchor="plan-worries",
        cancel_anchor=f"bekymring-{worry.pk}",
        section="worries",
        focus="#worries-heading",
        success=_("Bekymringsudsagnet er fjernet."),
    )
    return quick_remove(
        request, case, worry.plan, removal, lambda: services.plan_worry_remove(worry=worry)
    )
