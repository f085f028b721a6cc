"""A case's notifications, assessments and measures. Writes call the services the pages call."""

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from access import rules as permissions
from accounts.models import User
from cases import services
from cases.api.access import case_for_api, refuse
from cases.api.serializers_work import (
    AssessmentSerializer,
    MeasureInput,
    MeasureSerializer,
    NotificationInput,
    NotificationSerializer,
)
from cases.models import Assessment, Measure, Notification


class CaseNotifications(generics.GenericAPIView):
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()
    pagination_class = None

    @extend_schema(
        operation_id="case_notifications_list",
        summary="Sagens underretninger",
        responses={200: NotificationSerializer(many=True)},
    )
    def get(self, request: Request, case_id: Any) -> Response:
        case = case_for_api(request, case_id)
        notifications = case.notifications.order_by("-received_at", "-id")
        return Response(self.get_serializer(notifications, many=True).data)

    @extend_schema(
        operation_id="case_notifications_create",
        summary="Registrér en underretning på sagens barn",
        description="Samme regler som siden 'Ny underretning' (cases.services."
        "notification_register): kun myndighedsrådgivere og teamledere; tidspunktet må ikke "
        "ligge i fremtiden; en fagpersons organisation er påkrævet.",
        request=NotificationInput,
        responses={201: NotificationSerializer},
        examples=[
            OpenApiExample(
                "Fra skolen",
                request_only=True,
                value={
                    "kind": "notification",
                    "received_at": "2026-11-20T09:30:00+01:00",
                    "reporter_kind": "professional",
                    "reporter_name": "Lene Holm",
                    "reporter_organisation": "Nordskolen",
                    "concern": "Barnet kommer ofte sultent i skole.",
                },
            )
        ],
    )
    def post(self, request: Request, case_id: Any) -> Response:
        case = case_for_api(request, case_id)
        if not permissions.can_register_notification(request.user):
            raise refuse(request, case, _("Kun myndighedsrådgivere kan registrere underretninger."))
        data = NotificationInput(data=request.data)
        data.is_valid(raise_exception=True)
        notification = services.notification_register(
            user=cast(User, request.user), citizen=case.citizen, **data.validated_data
        )
        return Response(NotificationSerializer(notification).data, status=status.HTTP_201_CREATED)


class CaseAssessments(generics.GenericAPIView):
    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()
    pagination_class = None

    @extend_schema(
        operation_id="case_assessments_list",
        summary="Sagens undersøgelser",
        responses={200: AssessmentSerializer(many=True)},
    )
    def get(self, request: Request, case_id: Any) -> Response:
        case = case_for_api(request, case_id)
        assessments = case.assessments.order_by("-started_on", "-id")
        return Response(self.get_serializer(assessments, many=True).data)


def measures_of(case: Any) -> Any:
    return (
        Measure.objects.filter(case=case)
        .select_related("legal_basis")
        .prefetch_related("therapists", "hours_steps")
        .order_by("-start_date", "-id")
    )


class CaseMeasures(generics.GenericAPIView):
    serializer_class = MeasureSerializer
    queryset = Measure.objects.none()
    pagination_class = None

    @extend_schema(
        operation_id="case_measures_list",
        summary="Sagens indsatser",
        responses={200: MeasureSerializer(many=True)},
    )
    def get(self, request: Request, case_id: Any) -> Response:
        case = case_for_api(request, case_id)
        return Response(self.get_serializer(measures_of(case), many=True).data)

    @extend_schema(
        operation_id="case_measures_create",
        summary="Bestil en indsats",
        description="Sagens ejer eller teamleder (cases.services.measure_order): formål og "
        "forventet varighed (§ 32, stk. 3) og samtykke (§ 32, stk. 2) er påkrævet. Opretter "
        "planen og fristerne som siden gør.",
        request=MeasureInput,
        responses={201: MeasureSerializer},
        examples=[
            OpenApiExample(
                "Familiebehandling",
                request_only=True,
                value={
                    "legal_basis": "bl-32-1-5",
                    "purpose": "Styrke forældrenes struktur i hverdagen.",
                    "expected_duration_months": 6,
                    "start_date": "2026-12-01",
                    "planned_end_date": None,
                    "provider_team": 3,
                    "consent_given_on": "2026-11-20",
                    "therapists": [7],
                    "hours_steps": [
                        {"weeks": 8, "hours_per_week": "6.0"},
                        {"weeks": None, "hours_per_week": "3.0"},
                    ],
                },
            )
        ],
    )
    def post(self, request: Request, case_id: Any) -> Response:
        case = case_for_api(request, case_id)
        if not permissions.can_work_case(request.user, case):
            raise refuse(request, case, _("Kun sagens rådgiver eller teamleder kan bestille."))
        data = MeasureInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        steps = [(s["weeks"], s["hours_per_week"]) for s in values.pop("hours_steps", [])]
        measure = services.measure_order(
            case=case, user=cast(User, request.user), hours_steps=steps, **values
        )
        measure = measures_of(case).get(pk=measure.pk)
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)
