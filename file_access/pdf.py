"""The answer to a request for access to the files as one PDF: a cover letter (to whom, what
was asked, what is handed out, what is exempt and on which legal basis, and how to complain of
it, Forvaltningsloven § 16, stk. 4), then every document of the case that is not exempt.

Rendering is a pure function of the request, its exemptions and the case's documents, with
WeasyPrint under the letters' rules (``letters.pdf``: only our own static files, one font
configuration per thread); ``file_access.tasks.render_file_access_bundle`` stores the result.
"""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import FamilyMember
from file_access.documents import case_documents, exemption_choices
from file_access.models import FileAccessBundle, FileAccessRequest
from letters.pdf import _pdf, text_blocks

TEMPLATE = "file_access/bundle_pdf.html"


def _recipient(request: FileAccessRequest) -> dict[str, Any]:
    member = FamilyMember.objects.select_related("family", "citizen").get(pk=request.requester_id)
    street = member.family.address or (member.citizen.address if member.citizen else "")
    town = ""
    if member.citizen is not None:
        town = f"{member.citizen.postal_code} {member.citizen.city}".strip()
    if town and town in street:
        town = ""
    return {"name": request.requester_name, "lines": [line for line in (street, town) if line]}


def bundle_context(request: FileAccessRequest) -> dict[str, Any]:
    """Everything the template prints."""
    request = FileAccessRequest.objects.select_related(
        "case__citizen", "case__owner", "case__team__unit"
    ).get(pk=request.pk)
    case = request.case
    unit = case.team.unit
    exemptions = list(request.exemptions.order_by("created_at", "id"))
    exempt_keys = {e.key for e in exemptions}
    labels = dict(exemption_choices(case))
    documents = [
        {
            "document": document,
            "fields": [(label, text_blocks(text)) for label, text in document.fields],
        }
        for document in case_documents(case, exempt_keys=exempt_keys)
        if document.key not in exempt_keys
    ]
    bundle = FileAccessBundle.objects.filter(request=request).only("queued_at").first()
    letter_date = timezone.localdate(bundle.queued_at) if bundle else timezone.localdate()
    caseworker = case.owner
    subject = _("Aktindsigt")
    return {
        "title": f"{subject} – {_('Sag')} {case.number}",
        "subject": subject,
        "request": request,
        "case": case,
        "child_name": case.citizen.full_name,
        "municipality": unit.municipality,
        "unit": unit,
        "team": case.team,
        "recipient": _recipient(request),
        "letter_date": letter_date,
        "asked_for": text_blocks(request.asked_for),
        "documents": documents,
        "exemptions": [
            {
                "what": labels.get(e.key, f"{e.get_kind_display()} {e.object_id}"),
                "reason": e.reason,
                "legal_basis": e.legal_basis,
            }
            for e in exemptions
        ],
        "caseworker": caseworker,
        "caseworker_name": caseworker.get_full_name() or caseworker.get_username(),
        "logo_url": static("img/letterhead-logo.svg"),
        "stylesheet_url": static("css/letter-pdf.css"),
        "bundle_stylesheet_url": static("file_access/bundle-pdf.css"),
    }


def render_bundle_html(request: FileAccessRequest) -> str:
    """The bundle as HTML, in Danish whatever language the request or worker runs in."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(TEMPLATE, bundle_context(request))


def render_bundle_pdf(request: FileAccessRequest) -> bytes:
    """The bundle as PDF bytes. No side effects."""
    return _pdf(render_bundle_html(request))
