"""The followups app's API views: a case's follow-ups and recording a held one, its logged
sessions and logging a new one, and the caller's own reminders. Everything of a case is loaded
through ``case_for_api`` (logged; outsiders 404); writes go through followups.services and
followups.sessions like the pages, whole or not at all."""

from typing import Any, cast

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from access import rules as permissions
from access.refusals import access_log_denied
from accounts.models import User
from cases.api.access import case_for_api, refuse
from cases.models import Case, Measure
from core.api_pagination import NewestFirstCursor
from followups import sessions as sessions
from followups.api.serializers import (
    FollowUpCompleteInput,
    FollowUpSerializer,
    ReminderSerializer,
    SessionInput,
    SessionSerializer,
)
from followups.models import FollowUp, Reminder, Session
from followups.services import EvaluationInput, followup_complete
from plans.models import Goal


class CaseFollowUps(generics.GenericAPIView):
    serializer_class = FollowUpSerializer
    queryset = FollowUp.objects.none()
    pagination_class = None

    @extend_schema(
        operation_id="case_followups_list",
        summary="Sagens opfølgninger (§ 95)",
        responses={200: FollowUpSerializer(many=True)},
    )
    def get(self, request: Request, case_id: Any) -> Response:
        case = case_for_api(request, case_id)
        followups = FollowUp.objects.filter(case=case).order_by("due_on", "id")
        return Response(self.get_serializer(followups, many=True).data)


class CaseFollowUpComplete(generics.GenericAPIView):
    serializer_class = FollowUpCompleteInput
    queryset = FollowUp.objects.none()
    pagination_class = None

    @extend_schema(
        operation_id="case_followups_complete",
        summary="Registrér en holdt opfølgning",
        description="Sagens ejer eller teamleder (followups.services.followup_complete):"
        " beslutning med begrundelse, vurdering af målene, evt. ny planversion og de næste "
        "opfølgninger (påkrævet ved første opfølgning, medmindre indsatsen afsluttes). "
        "Gemmes helt eller slet ikke.",
        request=FollowUpCompleteInput,
        responses={200: FollowUpSerializer},
        examples=[
            OpenApiExample(
                "Første opfølgning",
                request_only=True,
                value={
                    "held_on": "2026-11-20",
                    "participants": "Mor, Emma, familiebehandler Louise Dam, rådgiver",
                    "decision": "continue",
                    "decision_reasons": "Indsatsen virker; målene er på vej.",
                    "evaluations": [{"goal": 12, "verdict": "on_track", "note": ""}],
                    "next_dates": ["2027-01-20", "2027-04-20"],
                    "schedule_reasons": "Tæt opfølgning først, derefter sjældnere.",
                },
            )
        ],
    )
    def post(self, request: Request, case_id: Any, followup_id: int) -> Response:
        case = case_for_api(request, case_id)
        followup = FollowUp.objects.filter(case=case, pk=followup_id).first()
        if followup is None:
            access_log_denied(request, case=case)
            raise NotFound()
        if not permissions.case_access(request.user, case).can_work:
            raise refuse(request, case, _("Kun sagens rådgiver eller teamleder kan dette."))
        form = FollowUpCompleteInput(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        goals = {g.pk: g for g in Goal.objects.filter(plan__case=case)}
        evaluations = []
        for index, item in enumerate(values.pop("evaluations")):
            goal = goals.get(item["goal"])
            if goal is None:
                raise ValidationError(
                    {f"evaluations[{index}].goal": [_("Vælg et mål fra sagens plan.")]}
                )
            evaluations.append(
                EvaluationInput(goal=goal, verdict=item["verdict"], note=item["note"])
            )
        done = followup_complete(
            followup=followup,
            user=cast(User, request.user),
            held_on=values["held_on"],
            participants=values["participants"],
            decision=values["decision"],
            decision_reasons=values["decision_reasons"],
            evaluations=evaluations,
            rating_round_id=values["rating_round"],
            revise_plan=values["revise_plan"],
            next_dates=values["next_dates"],
            schedule_reasons=values["schedule_reasons"],
        )
        return Response(FollowUpSerializer(done).data)


class CaseSessions(generics.GenericAPIView):
    serializer_class = SessionSerializer
    queryset = Session.objects.none()
    pagination_class = None

    @extend_schema(
        operation_id="case_sessions_list",
        summary="Sagens registrerede sessioner",
        description="Behandlerens interne notat vises kun på sagens sider.",
        responses={200: SessionSerializer(many=True)},
    )
    def get(self, request: Request, case_id: Any) -> Response:
        case = case_for_api(request, case_id)
        return Response(self.get_serializer(sessions.logged_sessions(case), many=True).data)

    @extend_schema(
        operation_id="case_sessions_create",
        summary="Registrér en session",
        description="For en behandler tilknyttet indsatsen (followups.sessions). "
        "Sessionen gemmes helt eller slet ikke.",
        request=SessionInput,
        responses={201: SessionSerializer},
        examples=[
            OpenApiExample(
                "Hjemmebesøg",
                request_only=True,
                value={
                    "measure": 4,
                    "date": "2026-11-20",
                    "start_time": "15:30",
                    "duration_minutes": 90,
                    "location": "home",
                    "methods": ["family_conversation", "structure"],
                    "goals": [12],
                    "family_summary": "Vi talte om morgenrutinen.",
                },
            )
        ],
    )
    def post(self, request: Request, case_id: Any) -> Response:
        case = case_for_api(request, case_id)
        user = cast(User, request.user)
        if not permissions.case_access(user, case).is_assigned:
            raise refuse(request, case, _("Kun behandlere på sagens indsatser kan dette."))
        form = SessionInput(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        measure = Measure.objects.filter(case=case, pk=values.pop("measure")).first()
        if measure is None:
            raise ValidationError({"measure": [_("Vælg en aktiv indsats på sagen.")]})
        data = sessions.SessionData(**_resolve(case, values))
        with transaction.atomic():  # the draft goes again if logging it fails
            draft = sessions.session_draft_save(case=case, user=user, data=data, measure=measure)
            session = sessions.session_log(case=case, user=user, session=draft)
        logged = sessions.logged_sessions(case).get(pk=session.pk)
        return Response(SessionSerializer(logged).data, status=status.HTTP_201_CREATED)


def _resolve(case: Case, values: dict[str, Any]) -> dict[str, Any]:
    """Ids to the case's own objects; an id from elsewhere is a field error."""
    errors: dict[str, Any] = {}
    member_ids = set(values["family_participants"])
    members = list(sessions.family_members_of(case).filter(pk__in=member_ids))
    if len(members) != len(member_ids):
        errors["family_participants"] = [_("Vælg kun personer fra barnets familie.")]
    goal_ids = set(values["goals"])
    goals = list(sessions.goals_of(case).filter(pk__in=goal_ids))
    if len(goals) != len(goal_ids):
        errors["goals"] = [_("Vælg kun mål fra sagens plan.")]
    second = None
    if values["second_therapist"] is not None:
        second = User.objects.filter(pk=values["second_therapist"]).first()
        if second is None:
            errors["second_therapist"] = [_("Den anden behandler findes ikke.")]
    if errors:
        raise ValidationError(errors)
    return {**values, "family_participants": members, "goals": goals, "second_therapist": second}


class OwnReminders(generics.ListAPIView):
    """The caller's own reminders (deadlines coming due, overdue, letters received)."""

    serializer_class = ReminderSerializer
    pagination_class = NewestFirstCursor
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Reminder]:
        return Reminder.objects.filter(recipient_id=self.request.user.pk)

    @extend_schema(operation_id="reminders_list", summary="Mine påmindelser")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
