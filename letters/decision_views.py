"""The decision letter's PDF for the authority's staff, linked from the decision's page
(``cases:case_decision_detail``): loaded through ``cases.pages.case_page`` with the decision
page's own need (``Need.AUTHORITY_FILE``: a provider gets a logged 404), the decision through
the case (an id of another case is a logged 404), and the download logged."""

from typing import Any, cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from access.log import Action, access_log_record
from access.rules import Need
from cases.models import Case, Decision
from cases.pages import case_object_or_404, case_page
from letters.models import DecisionLetter


def _decision(request: HttpRequest, case: Case, kwargs: dict[str, Any]) -> tuple[Decision, None]:
    decision = case_object_or_404(
        request, case, Decision.objects.select_related("letter"), kwargs.pop("decision_id")
    )
    return decision, None


def decision_letter_file(decision: Decision) -> DecisionLetter:
    """The stored letter of ``decision``; 404 until it is rendered."""
    letter = DecisionLetter.objects.filter(
        decision=decision, status=DecisionLetter.Status.DONE
    ).first()
    if letter is None or not letter.file:
        raise Http404
    return letter


def pdf_response(letter: DecisionLetter, filename: str) -> HttpResponse:
    response = FileResponse(
        letter.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)  # a streaming response; the decorators type HttpResponse


@case_page(Need.AUTHORITY_FILE, load=_decision, tab="decisions")
def decision_letter_pdf(request: HttpRequest, case: Case, decision: Decision) -> HttpResponse:
    """The stored PDF of the decision letter, exactly as rendered. The download is logged."""
    letter = decision_letter_file(decision)
    access_log_record(
        user=request.user,
        action=Action.VIEW,
        case=case,
        target=f"Afgørelse {decision.pk}: afgørelsesbrev, PDF hentet",
    )
    return pdf_response(letter, f"afgoerelse-{case.number}-{decision.pk}.pdf")
