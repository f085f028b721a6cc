"""The follow-ups of a case (Barnets Lov § 95): the tab with every measure's follow-ups, the
page that puts the plan's goals and rating history in front of the meeting, and the form
that records a held follow-up (owner or team lead).

Every view loads the case through ``cases.pages.case_page`` (the read is logged, an outsider
gets a logged 404; recording needs ``Need.AUTHORITY``); a follow-up is only ever looked up
through the case, so another case's follow-up id is a logged 404 too.
"""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from access.rules import Need
from accounts.models import User
from cases.models import Case
from cases.pages import (
    FORM_METHODS,
    case_object_or_404,
    case_page,
    render_case_form,
    render_tab,
)
from followups import services as services
from followups.forms_followup import FollowUpCompleteForm
from followups.models import FollowUp
from plans.models import Goal, Plan, RatingRound

TAB = "followups"


def _followup_of(request: HttpRequest, case: Case, followup_id: int) -> FollowUp:
    followup = case_object_or_404(
        request,
        case,
        FollowUp.objects.select_related(
            "measure__legal_basis",
            "deadline__rule",
            "completed_by",
            "rating_round",
            "plan_version",
        ),
        followup_id,
    )
    followup.case = case
    return followup


def _plan_of(case: Case) -> Plan | None:
    plan = Plan.objects.filter(case=case).first()
    if plan is not None:
        plan.case = case
    return plan


@case_page()
def case_followups(request: HttpRequest, case: Case) -> HttpResponse:
    context = {"measures": services.case_followups_overview(case=case)}
    return render_tab(request, "followups/case_followups.html", case, tab=TAB, context=context)


@case_page()
def followup_detail(request: HttpRequest, case: Case, followup_id: int) -> HttpResponse:
    followup = _followup_of(request, case, followup_id)
    plan = _plan_of(case)
    context = {
        "followup": followup,
        "plan": plan,
        "meeting": services.followup_meeting(followup=followup, plan=plan),
    }
    return render_case_form(
        request, "followups/followup_detail.html", case, tab=TAB, context=context
    )


@case_page(Need.AUTHORITY, what=_("registrere en opfølgning"), methods=FORM_METHODS)
def followup_complete(request: HttpRequest, case: Case, followup_id: int) -> HttpResponse:
    followup = _followup_of(request, case, followup_id)
    if followup.is_held and request.method != "POST":
        messages.info(request, _("Opfølgningen er allerede registreret."))
        return redirect(followup)
    plan = _plan_of(case)
    goals: list[Goal] = []
    rounds: list[RatingRound] = []
    if plan is not None:
        goals = list(plan.goals.filter(status=Goal.Status.OPEN).order_by("position", "id"))
        rounds = list(plan.rating_rounds.order_by("-held_on", "-id"))
    form = FollowUpCompleteForm(
        request.POST if request.method == "POST" else None,
        followup=followup,
        goals=goals,
        rounds=rounds,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            followup = services.followup_complete(
                followup=followup, user=cast(User, request.user), **form.service_arguments()
            )
        except ValidationError as error:
            form.add_service_error(error)
            if FollowUp.objects.filter(pk=followup.pk, held_on__isnull=False).exists():
                status = 409  # registered by someone else (or a second click) meanwhile
        else:
            messages.success(request, _("Opfølgningen er registreret."))
            if followup.measure_decision_id is not None:
                messages.info(
                    request,
                    _(
                        "Indsatsen ændres eller afsluttes først ved en afgørelse: der er oprettet "
                        "et udkast. Færdiggør det, og træf afgørelsen."
                    ),
                )
                return redirect(
                    reverse(
                        "cases:decision_edit",
                        kwargs={"case_id": case.pk, "decision_id": followup.measure_decision_id},
                    )
                )
            return redirect(followup)
    context: dict[str, Any] = {
        "followup": followup,
        "plan": plan,
        "form": form,
        "has_rounds": bool(rounds),
        "cancel_url": followup.get_absolute_url(),
        "round_url": reverse("plans:plan_rating_round", kwargs={"case_id": case.pk}),
    }
    response = render_case_form(
        request, "followups/followup_complete.html", case, tab=TAB, context=context
    )
    response.status_code = status
    return response
