"""The plans app's API views: the case's plan (read), adding a goal and recording a rating
round. Writes go through plans.services, with the same right as the plan pages
(``access.rules.CaseAccess.can_work_goals``: owner, team lead, assigned therapist)."""

from typing import Any, cast

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from access import rules as permissions
from accounts.models import User
from cases.api.access import case_for_api, refuse
from cases.models import Case
from plans import services
from plans.api.serializers import (
    GoalInput,
    GoalSerializer,
    PlanSerializer,
    RatingRoundInput,
    RatingRoundSerializer,
)
from plans.models import Goal, Plan, RatingRound


def plan_for(case: Case) -> Plan:
    plan = (
        Plan.objects.filter(case=case)
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.order_by("position", "id").prefetch_related(
                    "responsibilities"
                ),
            ),
            Prefetch(
                "rating_rounds",
                queryset=RatingRound.objects.order_by("held_on", "id").prefetch_related("ratings"),
            ),
        )
        .first()
    )
    if plan is None:
        raise NotFound
    plan.case = case  # the services check the case; no second query for it
    return plan


def goals_case(request: Request, case_id: Any) -> tuple[Case, Plan]:
    case = case_for_api(request, case_id)
    if not permissions.case_access(request.user, case).can_work_goals:
        raise refuse(request, case, _("Kun sagens rådgiver, teamleder og behandlere kan dette."))
    return case, plan_for(case)


class CasePlan(generics.GenericAPIView):
    serializer_class = PlanSerializer
    queryset = Plan.objects.none()

    @extend_schema(
        operation_id="case_plan_retrieve",
        summary="Sagens plan med mål, hvem-gør-hvad og skaleringsrunder",
        description="404, hvis sagen endnu ikke har en plan.",
    )
    def get(self, request: Request, case_id: Any) -> Response:
        case = case_for_api(request, case_id)
        return Response(self.get_serializer(plan_for(case)).data)


class PlanGoals(generics.GenericAPIView):
    serializer_class = GoalSerializer
    queryset = Goal.objects.none()

    @extend_schema(
        operation_id="case_plan_goals_create",
        summary="Tilføj et mål til planen",
        request=GoalInput,
        responses={201: GoalSerializer},
        examples=[
            OpenApiExample(
                "Skole",
                request_only=True,
                value={
                    "area": "school",
                    "family_wording": "Emma kommer i skole hver dag.",
                    "formulated_by": "Emma og mor",
                },
            )
        ],
    )
    def post(self, request: Request, case_id: Any) -> Response:
        _case, plan = goals_case(request, case_id)
        data = GoalInput(data=request.data)
        data.is_valid(raise_exception=True)
        goal = services.plan_goal_add(plan=plan, **data.validated_data)
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)


class PlanRatingRounds(generics.GenericAPIView):
    serializer_class = RatingRoundSerializer
    queryset = RatingRound.objects.none()

    @extend_schema(
        operation_id="case_plan_rating_rounds_create",
        summary="Registrér en skaleringsrunde (0–10)",
        description="Gemmes helt eller slet ikke (plans.services.plan_rating_round_record).",
        request=RatingRoundInput,
        responses={201: RatingRoundSerializer},
        examples=[
            OpenApiExample(
                "Planmøde",
                request_only=True,
                value={
                    "held_on": "2026-11-20",
                    "note": "Opfølgningsmøde",
                    "ratings": [
                        {"goal": 12, "rater_kind": "parent", "rater_name": "Mor", "value": 5},
                        {"goal": None, "rater_kind": "child", "rater_name": "Emma", "value": 6},
                    ],
                },
            )
        ],
    )
    def post(self, request: Request, case_id: Any) -> Response:
        _case, plan = goals_case(request, case_id)
        data = RatingRoundInput(data=request.data)
        data.is_valid(raise_exception=True)
        goals = {goal.pk: goal for goal in plan.goals.all()}
        ratings = []
        for index, rating in enumerate(data.validated_data["ratings"]):
            goal_id = rating["goal"]
            if goal_id is not None and goal_id not in goals:
                raise ValidationError(
                    {f"ratings[{index}].goal": [_("Målet hører ikke til denne plan.")]}
                )
            ratings.append(
                services.RatingInput(
                    goal=goals.get(goal_id) if goal_id is not None else None,
                    rater_kind=rating["rater_kind"],
                    rater_name=rating["rater_name"],
                    value=rating["value"],
                )
            )
        rating_round = services.plan_rating_round_record(
            plan=plan,
            user=cast(User, request.user),
            held_on=data.validated_data["held_on"],
            note=data.validated_data["note"],
            ratings=ratings,
        )
        return Response(RatingRoundSerializer(rating_round).data, status=status.HTTP_201_CREATED)
