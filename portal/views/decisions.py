"""The decision letter in the family portal: the PDF of a decision made on the child's case,
exactly as stored (``letters.DecisionLetter``), listed under "Afgørelser" on the landing page.

The case is loaded with ``portal.pages.family_case_page`` (only those of the family who may see
the case; anyone else a logged 404) and the decision through the case: a decision of another
case, one not made yet or one whose letter is not rendered is a logged 404 too. The download is
logged.
"""

from django.http import Http404, HttpRequest, HttpResponse

from access.log import Action, access_log_record
from access.refusals import access_log_denied
from cases.models import Case, Decision
from letters.decision_views import pdf_response
from letters.models import DecisionLetter
from portal.pages import family_case_page


@family_case_page()
def decision_pdf(request: HttpRequest, case: Case, decision_id: int) -> HttpResponse:
    letter = (
        DecisionLetter.objects.filter(
            decision__case=case,
            decision_id=decision_id,
            decision__status=Decision.Status.DECIDED,
            status=DecisionLetter.Status.DONE,
        )
        .exclude(file="")
        .first()
    )
    if letter is None:
        access_log_denied(request, case=case)
        raise Http404
    access_log_record(
        user=request.user,
        action=Action.VIEW,
        case=case,
        target=f"Afgørelse {decision_id}: afgørelsesbrev, PDF hentet i familieportalen",
    )
    return pdf_response(letter, f"afgoerelse-{decision_id}.pdf")
