"""The letters app's API views: a case's closing letters (metadata, whether the PDF is ready)
and the approved version's PDF exactly as it was rendered. The case is loaded through
``case_for_api`` (logged; outsiders 404); fetching the PDF is written to the access log."""

from typing import Any, cast

from django.db.models import Exists, OuterRef
from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from access.log import Action, access_log_record
from access.refusals import access_log_denied
from cases.api.access import case_for_api
from letters.api.serializers import ClosingLetterSerializer
from letters.models import ClosingLetter, LetterRendering


def _done_rendering() -> Exists:
    return Exists(
        LetterRendering.objects.filter(
            version_id=OuterRef("approved_version_id"), status=LetterRendering.Status.DONE
        ).exclude(file="")
    )


class CaseLetters(generics.GenericAPIView):
    serializer_class = ClosingLetterSerializer
    queryset = ClosingLetter.objects.none()
    pagination_class = None

    @extend_schema(
        operation_id="case_letters_list",
        summary="Afsluttende statusskrivelser (metadata)",
        description="`pdf_ready`: den godkendte/sendte version er dannet som PDF og kan hentes.",
        responses={200: ClosingLetterSerializer(many=True)},
    )
    def get(self, request: Request, case_id: Any) -> Response:
        case = case_for_api(request, case_id)
        letters = (
            ClosingLetter.objects.filter(case=case)
            .select_related("approved_version")
            .annotate(pdf_ready=_done_rendering())
            .order_by("-created_at", "-id")
        )
        return Response(self.get_serializer(letters, many=True).data)


class CaseLetterPdf(generics.GenericAPIView):
    serializer_class = ClosingLetterSerializer  # for the schema's error responses only

    @extend_schema(
        operation_id="case_letters_pdf",
        summary="Statusskrivelsens PDF, præcis som den blev dannet",
        description="404, indtil PDF'en findes. Hentningen logges.",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="PDF"
            )
        },
    )
    def get(self, request: Request, case_id: Any, letter_id: int) -> HttpResponse:
        case = case_for_api(request, case_id)
        letter = (
            ClosingLetter.objects.filter(case=case, pk=letter_id)
            .select_related("approved_version__rendering")
            .first()
        )
        if letter is None:
            access_log_denied(request, case=case)  # type: ignore[arg-type]
            raise NotFound
        version = letter.approved_version
        rendering = getattr(version, "rendering", None)  # none yet: the reverse one-to-one raises
        if version is None or rendering is None:
            raise NotFound
        if rendering.status != LetterRendering.Status.DONE or not rendering.file:
            raise NotFound
        access_log_record(
            user=request.user,
            action=Action.VIEW,
            case=case,
            target=f"Statusskrivelse {letter.pk} version {version.number}: PDF hentet (API)",
        )
        response = FileResponse(
            rendering.file.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"statusskrivelse-{case.number}-v{version.number}.pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return cast(HttpResponse, response)
