"""Scaling 0–10: a whole round at a meeting, or one more answer in a round already recorded.
The caseworker and the assigned therapist ask the questions (Need.GOALS)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from access.rules import Need
from cases.models import Case
from cases.pages import FORM_METHODS, case_page
from plans import services
from plans.forms import RatingAddForm, RatingRoundForm
from plans.models import Goal, RatingRound
from plans.views.common import (
    Quick,
    form_data,
    people_for,
    plan_object_or_404,
    plan_or_404,
    quick_submit,
    raters_for,
    user_of,
)

RATING_DEPENDANTS = ("goals",)  # each goal shows its own chart


@case_page(Need.GOALS, what=_("registrere skaleringer"), methods=FORM_METHODS)
def plan_rating_round(request: HttpRequest, case: Case) -> HttpResponse:
    plan = plan_or_404(case)
    user = user_of(request)
    form = RatingRoundForm(
        form_data(request),
        goals=list(Goal.objects.filter(plan=plan).order_by("position", "id")),
        people=raters_for(case, people_for(case), user),
        id_prefix="runde",
    )
    quick = Quick(
        key="round",
        section="scaling",
        oob=RATING_DEPENDANTS,
        success=_("Skaleringsrunden er gemt."),
        title=_("Ny skaleringsrunde"),
        intro=_(
            "Spørg hver person for sig: Hvor er I på en skala fra 0 til 10, hvor 10 er godt "
            "nok til at afslutte? Rækker uden svar bliver ikke gemt."
        ),
        submit=_("Gem skaleringsrunden"),
        partial="round_form",
        anchor=lambda _round: "plan-scaling",
    )
    return quick_submit(
        request,
        case,
        plan,
        form,
        quick,
        lambda data: services.plan_rating_round_record(
            plan=plan,
            user=user,
            held_on=data["held_on"],
            note=data["note"],
            ratings=data["ratings"],
        ),
        action=reverse("plans:plan_rating_round", kwargs={"case_id": case.pk}),
    )


@case_page(Need.GOALS, what=_("registrere skaleringer"), methods=FORM_METHODS)
def plan_rating_add(request: HttpRequest, case: Case, round_id: int) -> HttpResponse:
    rating_round = plan_object_or_404(
        request,
        case,
        RatingRound.objects.filter(plan__case=case).select_related("plan"),
        round_id,
    )
    plan = rating_round.plan
    plan.case = case
    form = RatingAddForm(
        form_data(request),
        goals=list(Goal.objects.filter(plan=plan).order_by("position", "id")),
        id_prefix="en-vurdering",
    )
    on = date_format(rating_round.held_on, "SHORT_DATE_FORMAT")
    quick = Quick(
        key="rating_add",
        section="scaling",
        oob=RATING_DEPENDANTS,
        success=_("Vurderingen er tilføjet til runden den %(on)s.") % {"on": on},
        title=_("Tilføj en vurdering til runden den %(on)s") % {"on": on},
        submit=_("Tilføj vurdering"),
        anchor=lambda _rating: "plan-scaling",
    )
    return quick_submit(
        request,
        case,
        plan,
        form,
        quick,
        lambda _data: services.plan_rating_add(round=rating_round, **form.service_arguments()),
        action=reverse(
            "plans:plan_rating_add", kwargs={"case_id": case.pk, "round_id": rating_round.pk}
        ),
    )
