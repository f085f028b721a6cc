"""Cases and citizens. Lists are one query over ``permissions.visible_cases``; every case or
citizen read is written to the access log; a CPR number is only accepted in a POST body."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from access import rules as permissions
from access.log import Action, access_log_record, access_log_record_many
from cases.api.access import case_for_api, refuse_citizen
from cases.api.filters import CaseFilter
from cases.api.serializers import CaseSerializer, CitizenDetail, CitizenSearch, CitizenSummary
from cases.models import Case, Citizen
from core.api_pagination import NewestFirstCursor

TARGET_CPR_SEARCH = "API: CPR-søgning"


class CaseList(generics.ListAPIView):
    """The cases the caller may see (the same as "Mine sager" and the team's lists)."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering_fields = ["opened_at", "updated_at", "number"]
    ordering = "-updated_at"

    def get_queryset(self) -> QuerySet[Case]:
        return permissions.visible_cases(self.request.user).select_related(
            "citizen", "owner", "team"
        )

    @extend_schema(
        operation_id="cases_list",
        summary="Sager, du må se",
        description="Cursor-pagineret. Filtre: status, team, owner, updated_since. "
        "Sortering: `ordering=-updated_at` (standard), `opened_at`, `number`. "
        "Hver viste sag skrives i sagens adgangslog.",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        cases = list(page if page is not None else queryset)
        if cases:
            access_log_record_many(
                user=request.user, action=Action.VIEW, cases=cases, target=request.path
            )
        data = self.get_serializer(cases, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class CaseDetail(generics.GenericAPIView):
    serializer_class = CaseSerializer
    queryset = Case.objects.none()

    @extend_schema(
        operation_id="cases_retrieve",
        summary="Én sag",
        description="Samme id som sagens side (/sager/<id>/). Læsningen logges; en sag, du "
        "ikke må se, svarer 404 (og forsøget logges).",
    )
    def get(self, request: Request, case_id: Any) -> Response:
        return Response(self.get_serializer(case_for_api(request, case_id)).data)


def visible_citizens(user: Any) -> QuerySet[Citizen]:
    """Citizens with a case the user may see (one subquery)."""
    case_citizens = permissions.visible_cases(user).values("citizen_id")
    return Citizen.objects.filter(id__in=case_citizens)


class CitizenList(generics.ListAPIView):
    """Citizens with a case the caller may see, without CPR numbers."""

    serializer_class = CitizenSummary
    pagination_class = NewestFirstCursor
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Citizen]:
        return visible_citizens(self.request.user)

    @extend_schema(operation_id="citizens_list", summary="Borgere med en sag, du må se")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        citizens = list(page or [])
        access_log_record_many(
            user=request.user, action=Action.VIEW, citizens=citizens, target=request.path
        )
        return self.get_paginated_response(self.get_serializer(citizens, many=True).data)


class CitizenDetailView(generics.GenericAPIView):
    serializer_class = CitizenDetail
    queryset = Citizen.objects.none()

    @extend_schema(
        operation_id="citizens_retrieve",
        summary="Én borger, med CPR-nummer",
        description="Kun for en borger med en sag, du må se; ellers 404 (logget).",
    )
    def get(self, request: Request, citizen_id: Any) -> Response:
        citizen = visible_citizens(request.user).filter(id=citizen_id).first()
        if citizen is None:
            refuse_citizen(request, citizen_id)
            raise NotFound
        access_log_record(
            user=request.user, action=Action.VIEW, citizen=citizen, target=request.path
        )
        return Response(self.get_serializer(citizen).data)


class CitizenSearchView(generics.GenericAPIView):
    """Exact-match CPR search. The number travels in the body, never in the URL."""

    serializer_class = CitizenSearch
    queryset = Citizen.objects.none()
    pagination_class = None
    # A search only reads: a read-only token may use it.
    post_only_reads = True

    @extend_schema(
        operation_id="citizens_search",
        summary="Søg en borger på CPR-nummer (eksakt)",
        description="CPR-nummeret sendes i body, aldrig i URL'en. Svaret er en liste med "
        "højst én borger: tom, hvis borgeren ikke findes eller ikke har en sag, du må se. "
        "Søgningen logges (uden CPR-nummeret).",
        request=CitizenSearch,
        responses={200: CitizenDetail(many=True)},
        examples=[OpenApiExample("CPR", value={"cpr": "0101101234"}, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        form = CitizenSearch(data=request.data)
        form.is_valid(raise_exception=True)
        citizen = visible_citizens(request.user).filter(cpr=form.validated_data["cpr"]).first()
        access_log_record(
            user=request.user, action=Action.SEARCH, citizen=citizen, target=TARGET_CPR_SEARCH
        )
        return Response(CitizenDetail([citizen] if citizen else [], many=True).data)
