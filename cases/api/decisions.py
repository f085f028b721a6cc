"""The API of a case's decisions (afgørelser), their party hearings (with the parties'
answers) and complaints: read-only, for integrations (ESDH, reporting), under the same rules
as the pages' Afgørelser tab (``cases.views.case_decisions``): the authority's own file, so a
provider's therapist gets the same logged 404 as an outsider (``authority_file_for_api``), and
every read is written to the case's access log. Writes answer 405: decisions are made on the
case's pages, through ``cases.decisions``.

Lists are cursor-paginated, newest first (``core.api_pagination.NewestFirstCursor``);
/api/v1/decisions/ lists the decisions of every case the caller reads the file of, in one
query over ``Case.objects.visible_to``, each case shown written to its access log.
"""

from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from access.log import Action, access_log_record_many
from access.refusals import access_log_denied
from access.rules import PROVIDER, role_of
from cases.api.access import authority_file_for_api
from cases.api.serializers import PersonRef
from cases.models import Case, Complaint, Decision, HearingAnswer, PartyHearing
from core.api_pagination import NewestFirstCursor

# --- serializers -----------------------------------------------------------------------------


class HearingAnswerSerializer(serializers.ModelSerializer):
    recorded_by = PersonRef(read_only=True)

    class Meta:
        model = HearingAnswer
        fields = ["id", "party", "received_on", "text", "recorded_by", "created_at"]


class PartyHearingSerializer(serializers.ModelSerializer):
    parties = serializers.ListField(
        source="party_names", child=serializers.CharField(), read_only=True
    )
    sent_by = PersonRef(read_only=True)
    answers = HearingAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = PartyHearing
        fields = [
            "id",
            "decision",
            "sent_on",
            "respond_by",
            "parties",
            "note",
            "sent_by",
            "created_at",
            "answers",
        ]


class ComplaintSerializer(serializers.ModelSerializer):
    class Meta:
        model = Complaint
        fields = [
            "id",
            "decision",
            "received_on",
            "complainant",
            "text",
            "reconsider_by",
            "late",
            "outcome",
            "reconsidered_on",
            "sent_to_ankestyrelsen_on",
            "new_decision",
            "ankestyrelsen_result",
            "ankestyrelsen_result_on",
            "created_at",
        ]


class DecisionSerializer(serializers.ModelSerializer):
    """A decision as the decision's page shows it (``Decision.get_absolute_url``)."""

    legal_basis = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    legal_reference = serializers.SerializerMethodField()
    created_by = PersonRef(read_only=True)
    decided_by = PersonRef(read_only=True, allow_null=True)
    letter_ready = serializers.BooleanField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "case",
            "kind",
            "status",
            "measure",
            "legal_basis",
            "legal_reference",
            "facts",
            "reasons",
            "child_view",
            "conversation_on",
            "conversation_place",
            "conversation_present",
            "bisidder_offered",
            "bisidder_name",
            "conversation_not_held_reason",
            "consents",
            "acting_first_ground",
            "hearing_waived_reason",
            "created_by",
            "created_at",
            "decided_by",
            "decided_at",
            "letter_ready",
            "url",
        ]

    def get_legal_reference(self, decision: Decision) -> str | None:
        basis = decision.legal_basis or (decision.measure.legal_basis if decision.measure else None)
        return basis.reference if basis is not None else None


class DecisionDetailSerializer(DecisionSerializer):
    """A decision with its party hearings (and their answers) and its complaints."""

    hearings = PartyHearingSerializer(many=True, read_only=True)
    complaints = ComplaintSerializer(many=True, read_only=True)

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "hearings", "complaints"]


# --- views -----------------------------------------------------------------------------------


def decisions_of(cases: Any) -> QuerySet[Decision]:
    return Decision.objects.filter(case__in=cases).select_related(
        "case", "legal_basis", "measure__legal_basis", "created_by", "decided_by", "letter"
    )


def hearings_with_answers() -> Prefetch:
    return Prefetch(
        "hearings",
        queryset=PartyHearing.objects.select_related("sent_by").prefetch_related(
            Prefetch("answers", queryset=HearingAnswer.objects.select_related("recorded_by"))
        ),
    )


class HearingCursor(NewestFirstCursor):
    ordering = ("-sent_on", "-id")


class ReadOnlyCaseList(generics.ListAPIView):
    """A list of one case's rows: the case through ``authority_file_for_api`` (logged; an
    outsider or a provider 404), cursor pages, newest first."""

    pagination_class = NewestFirstCursor
    filter_backends: list[Any] = []
    case: Case

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.case = authority_file_for_api(request, kwargs["case_id"])
        return super().list(request, *args, **kwargs)


class DecisionList(generics.ListAPIView):
    serializer_class = DecisionSerializer
    pagination_class = NewestFirstCursor
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Decision]:
        user = self.request.user
        if role_of(user) in PROVIDER:
            # The authority's file: a provider reads the orders of its measures, not decisions.
            return Decision.objects.none()
        return decisions_of(Case.objects.visible_to(user).values("id"))

    @extend_schema(
        operation_id="decisions_list",
        summary="Afgørelser på de sager, du må se",
        description="Cursor-pagineret, nyeste først. Afgørelser hører til myndighedens egen "
        "sag: en leverandørs behandler får en tom liste. Hver sag, der vises en afgørelse fra, "
        "skrives i sagens adgangslog.",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        decisions = list(page or [])
        cases = {decision.case_id: decision.case for decision in decisions}
        if cases:
            access_log_record_many(
                user=request.user, action=Action.VIEW, cases=cases.values(), target=request.path
            )
        return self.get_paginated_response(self.get_serializer(decisions, many=True).data)


class CaseDecisions(ReadOnlyCaseList):
    serializer_class = DecisionSerializer

    def get_queryset(self) -> QuerySet[Decision]:
        return decisions_of([self.case.pk])

    @extend_schema(
        operation_id="case_decisions_list",
        summary="Sagens afgørelser",
        description="Udkast, afgørelser i partshøring og trufne afgørelser, nyeste først. "
        "Kun myndighedens medarbejdere; andre får 404 (logget).",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CaseDecisionDetail(generics.GenericAPIView):
    serializer_class = DecisionDetailSerializer
    queryset = Decision.objects.none()

    @extend_schema(
        operation_id="case_decisions_retrieve",
        summary="Én afgørelse med partshøringer, høringssvar og klager",
        parameters=[OpenApiParameter("decision_id", int, OpenApiParameter.PATH)],
    )
    def get(self, request: Request, case_id: Any, decision_id: int) -> Response:
        case = authority_file_for_api(request, case_id)
        decision = (
            decisions_of([case.pk])
            .prefetch_related(hearings_with_answers(), "complaints")
            .filter(pk=decision_id)
            .first()
        )
        if decision is None:
            access_log_denied(cast(HttpRequest, request), case=case)
            raise NotFound
        return Response(self.get_serializer(decision).data)


class CaseHearings(ReadOnlyCaseList):
    serializer_class = PartyHearingSerializer
    pagination_class = HearingCursor

    def get_queryset(self) -> QuerySet[PartyHearing]:
        return (
            PartyHearing.objects.filter(decision__case=self.case)
            .select_related("sent_by")
            .prefetch_related(
                Prefetch("answers", queryset=HearingAnswer.objects.select_related("recorded_by"))
            )
        )

    @extend_schema(
        operation_id="case_hearings_list",
        summary="Sagens partshøringer med parternes svar",
        description="Nyeste først. Kun myndighedens medarbejdere; andre får 404 (logget).",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CaseComplaints(ReadOnlyCaseList):
    serializer_class = ComplaintSerializer

    def get_queryset(self) -> QuerySet[Complaint]:
        return Complaint.objects.filter(decision__case=self.case)

    @extend_schema(
        operation_id="case_complaints_list",
        summary="Klager over sagens afgørelser",
        description="Med genvurdering og Ankestyrelsens afgørelse. Nyeste først. Kun "
        "myndighedens medarbejdere; andre får 404 (logget).",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
