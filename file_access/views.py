"""The case's Aktindsigt tab: the requests for access to the files, a request's page (the
deadline, the notice, the exemptions, the documents handed out), the forms, the bundle's PDF
and handing it out after a confirmation.

Every page loads the case through ``cases.pages.case_page``: reading is for the authority's
staff (a provider gets a logged 404, ``Need.AUTHORITY_FILE``), acting for the case's owner or
team lead (``Need.AUTHORITY``, as the decision pages). A request is looked up through the case,
so an id of another case is a logged 404. The rules and the access log are
``file_access.services``'s."""

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.log import Action, access_log_record
from access.rules import Need
from cases.models import Case
from cases.pages import (
    FORM_METHODS,
    POST_ONLY,
    case_object_or_404,
    case_page,
    form_data,
    render_case_form,
    render_tab,
    service_form_page,
    user_of,
)
from core.forms import ServiceForm
from file_access import documents, services
from file_access.forms import ExemptionForm, NoticeForm, RequestForm
from file_access.models import FileAccessBundle, FileAccessExemption, FileAccessRequest

TAB = "file_access"
WHAT = gettext_lazy("behandle anmodninger om aktindsigt")
FORM_TEMPLATE = "file_access/form.html"


def _load_request(
    request: HttpRequest, case: Case, kwargs: dict[str, Any]
) -> tuple[FileAccessRequest, None]:
    found = case_object_or_404(
        request,
        case,
        FileAccessRequest.objects.select_related("registered_by", "handed_out_by", "deadline"),
        kwargs.pop("request_id"),
    )
    return found, None


def _saved_or_form(
    request: HttpRequest,
    case: Case,
    access_request: FileAccessRequest | None,
    form: ServiceForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    heading: Any,
    intro: Any = "",
    submit: Any,
    done: Any,
) -> HttpResponse:
    """Run ``save`` on a valid POST and go to the request's page; otherwise show the form
    again with the service's refusal beside what was typed (``cases.pages.service_form_page``)."""
    return service_form_page(
        request,
        case,
        form,
        save,
        template=FORM_TEMPLATE,
        tab=TAB,
        done=done,
        success_url=lambda saved: (access_request or saved).get_absolute_url(),
        context={
            "file_request": access_request,
            "heading": heading,
            "intro": intro,
            "submit": submit,
        },
    )


@case_page(Need.AUTHORITY_FILE, tab=TAB)
def case_file_access(request: HttpRequest, case: Case) -> HttpResponse:
    items = FileAccessRequest.objects.filter(case=case).select_related("bundle")
    return render_tab(
        request,
        "file_access/case_file_access.html",
        case,
        tab=TAB,
        context={"requests": items, "working_days": services.ANSWER_WORKING_DAYS},
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=TAB)
def request_create(request: HttpRequest, case: Case) -> HttpResponse:
    form = RequestForm(form_data(request), case=case)
    return _saved_or_form(
        request,
        case,
        None,
        form,
        lambda data: services.request_register(case=case, user=user_of(request), **data),
        heading=_("Ny anmodning om aktindsigt"),
        intro=_(
            "En part har ret til at se sagens dokumenter (Forvaltningsloven § 9). Anmodningen "
            "skal besvares inden %(days)d arbejdsdage; ellers skal parten have besked om "
            "hvorfor, og hvornår svaret kommer (§ 16, stk. 2)."
        )
        % {"days": services.ANSWER_WORKING_DAYS},
        submit=_("Registrér anmodning"),
        done=_("Anmodningen om aktindsigt er registreret."),
    )


@case_page(Need.AUTHORITY_FILE, load=_load_request, tab=TAB)
def request_detail(
    request: HttpRequest, case: Case, access_request: FileAccessRequest
) -> HttpResponse:
    exemptions = list(access_request.exemptions.select_related("created_by"))
    exempt_keys = {e.key for e in exemptions}
    labels = dict(documents.exemption_choices(case))
    fixed = services.exemptions_fixed(access_request)
    bundle = FileAccessBundle.objects.filter(request=access_request).first()
    confidential = documents.hidden_reporters(case, set())
    return render_case_form(
        request,
        "file_access/request_detail.html",
        case,
        tab=TAB,
        context={
            "file_request": access_request,
            "exemptions": [
                {
                    "exemption": e,
                    "label": labels.get(e.key, e.key),
                    "locked": e.kind == FileAccessExemption.Kind.REPORTER
                    and e.object_id in confidential,
                }
                for e in exemptions
            ],
            "documents": [
                (d, d.key in exempt_keys)
                for d in documents.case_documents(case, exempt_keys=exempt_keys)
            ],
            "fixed": fixed,
            "bundle": bundle,
            "working_days": services.ANSWER_WORKING_DAYS,
        },
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, load=_load_request, tab=TAB)
def notice_record(
    request: HttpRequest, case: Case, access_request: FileAccessRequest
) -> HttpResponse:
    form = NoticeForm(
        form_data(request),
        initial={
            "reason": access_request.notice_reason,
            "expected_on": access_request.expected_on,
        },
    )
    return _saved_or_form(
        request,
        case,
        access_request,
        form,
        lambda data: services.notice_record(request=access_request, user=user_of(request), **data),
        heading=_("Underret parten om længere svartid"),
        intro=_(
            "Kan anmodningen ikke besvares inden %(days)d arbejdsdage, skal parten have besked "
            "om grunden og om, hvornår svaret kan forventes (Forvaltningsloven § 16, stk. 2)."
        )
        % {"days": services.ANSWER_WORKING_DAYS},
        submit=_("Gem underretning"),
        done=_("Underretningen om længere svartid er registreret."),
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, load=_load_request, tab=TAB)
def exemption_add(
    request: HttpRequest, case: Case, access_request: FileAccessRequest
) -> HttpResponse:
    form = ExemptionForm(form_data(request), case=case)
    return _saved_or_form(
        request,
        case,
        access_request,
        form,
        lambda data: services.exemption_add(request=access_request, user=user_of(request), **data),
        heading=_("Undtag fra aktindsigt"),
        intro=_(
            "Det undtagne kommer ikke med i PDF'en; følgebrevet fortæller parten, hvad der er "
            "undtaget, hvorfor og med hvilken hjemmel."
        ),
        submit=_("Undtag"),
        done=_("Undtagelsen er gemt."),
    )


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@case_page(Need.AUTHORITY, what=WHAT, methods=POST_ONLY, load=_load_request, tab=TAB)
def exemption_remove(
    request: HttpRequest, case: Case, access_request: FileAccessRequest, exemption_id: int
) -> HttpResponse:
    exemption = case_object_or_404(
        request,
        case,
        FileAccessExemption.objects.filter(request=access_request).select_related("request__case"),
        exemption_id,
        case_field="request__case",
    )
    try:
        services.exemption_remove(exemption=exemption, user=user_of(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Undtagelsen er fjernet."))
    return redirect(access_request.get_absolute_url())


@case_page(Need.AUTHORITY, what=WHAT, methods=POST_ONLY, load=_load_request, tab=TAB)
def bundle_prepare(
    request: HttpRequest, case: Case, access_request: FileAccessRequest
) -> HttpResponse:
    try:
        services.bundle_prepare(request=access_request, user=user_of(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("PDF'en dannes. Undtagelserne kan nu ikke ændres."))
    return redirect(access_request.get_absolute_url())


@case_page(Need.AUTHORITY_FILE, load=_load_request, tab=TAB)
def bundle_pdf(request: HttpRequest, case: Case, access_request: FileAccessRequest) -> HttpResponse:
    """The stored PDF exactly as rendered (for the caseworker to read before handing it out).
    The download is logged."""
    bundle = FileAccessBundle.objects.filter(request=access_request).first()
    if bundle is None or not bundle.is_done:
        raise Http404
    access_log_record(
        user=request.user,
        action=Action.VIEW,
        case=case,
        target=f"Aktindsigt {access_request.pk}: PDF hentet",
    )
    response = FileResponse(
        bundle.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"aktindsigt-{case.number}-{access_request.pk}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, load=_load_request, tab=TAB)
def hand_out(request: HttpRequest, case: Case, access_request: FileAccessRequest) -> HttpResponse:
    """A confirmation page (GET) and handing the PDF out (POST)."""
    bundle = FileAccessBundle.objects.filter(request=access_request).first()
    error = ""
    if request.method == "POST":
        try:
            services.hand_out(request=access_request, user=user_of(request))
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request,
                _("Aktindsigten er udleveret til %(name)s.")
                % {"name": access_request.requester_name},
            )
            return redirect(access_request.get_absolute_url())
    return render_case_form(
        request,
        "file_access/hand_out_confirm.html",
        case,
        tab=TAB,
        context={
            "file_request": access_request,
            "bundle": bundle,
            "exemption_count": access_request.exemptions.count(),
            "error": error,
        },
    )
