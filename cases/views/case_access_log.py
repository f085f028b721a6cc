"""The access-log tab (with the case's active shares; granting and revoking them is
case_shares.py), and the citizen's whole access log as a download."""

import io

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from access import rules as permissions
from access.log_export import access_log_rows, write_csv, write_json
from access.rules import Need
from cases.models import Case
from cases.pages import case_page, render_tab
from cases.selectors import case as selectors

ENTRIES_PER_PAGE = 50
EXPORT_FORMATS = {
    "json": ("application/json; charset=utf-8", write_json),
    "csv": ("text/csv; charset=utf-8", write_csv),
}


@case_page(Need.AUTHORITY_FILE)
def case_access_log(request: HttpRequest, case: Case) -> HttpResponse:
    # The visit itself was logged while loading the case, so it is the first row.
    page = Paginator(selectors.access_log_of(case), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page,
        "rows": [(entry, selectors.describe_target(entry.target)) for entry in page],
        "can_export": permissions.can_export_access_log(request.user),
        "shares": list(permissions.active_shares(case)),
    }
    return render_tab(
        request, "cases/case_access_log.html", case, tab="access_log", context=context
    )


@case_page(Need.EXPORT, what=_("hente adgangsloggen"))
def access_log_export(request: HttpRequest, case: Case) -> HttpResponse:
    """The citizen's whole access log (all of their cases); the export is itself logged."""
    fmt = request.GET.get("format", "json")
    if fmt not in EXPORT_FORMATS:
        fmt = "json"  # the export is already logged, so it is also made
    content_type, write = EXPORT_FORMATS[fmt]
    buffer = io.StringIO()
    write(access_log_rows(citizen_id=case.citizen_id), buffer)
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="adgangslog-{case.number}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
