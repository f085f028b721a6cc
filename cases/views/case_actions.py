"""Authority actions on a case (owner or team lead): acute judgement, receipt, assessments,
closing and reopening, deadlines handled otherwise. Each is a GET form or
confirmation page and a POST that calls one service, then redirects (PRG)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from access.rules import Need
from cases import deadlines as deadline_services
from cases import services
from cases.forms.case import (
    AcuteJudgementForm,
    AssessmentFinishForm,
    AssessmentPreliminaryForm,
    AssessmentStartForm,
    CaseCloseForm,
    CaseReopenForm,
    DeadlineHandleOtherwiseForm,
    ReceiptForm,
    ServiceForm,
)
from cases.models import Assessment, Case, Deadline, Notification
from cases.pages import (
    FORM_METHODS,
    case_object_or_404,
    case_page,
    form_data,
    render_case_form,
    user_of,
)
from cases.selectors import case as selectors


def authority_action(
    what: Any,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Owner or team lead only; ``what`` completes "Kun … kan <what>" on the 403 page."""
    return case_page(Need.AUTHORITY, what=what, methods=FORM_METHODS)


def _same(result: Any) -> Any:
    return result


def form_action(
    request: HttpRequest,
    case: Case,
    form: ServiceForm,
    perform: Callable[[dict[str, Any]], Any],
    *,
    success: Any,
    template: str,
    tab: str,
    context: dict[str, Any] | None = None,
    then: Callable[[Any], Any] = _same,
) -> HttpResponse:
    """The form page of an action: on a valid POST run the service and redirect to
    ``then(result)`` (the object the service returned, by default); otherwise, or when the
    service refuses (the refusal goes onto the form), show the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, success)
            return redirect(then(result))
    return render_case_form(
        request, template, case, tab=tab, context={"form": form, **(context or {})}
    )


# --- notifications ---------------------------------------------------------------------------


@authority_action(_("registrere den akutte vurdering"))
def notification_acute(request: HttpRequest, case: Case, notification_id: int) -> HttpResponse:
    notification = case_object_or_404(request, case, Notification.objects.all(), notification_id)
    return form_action(
        request,
        case,
        AcuteJudgementForm(form_data(request)),
        lambda d: services.notification_judge_acute(
            notification=notification, user=user_of(request), **d
        ),
        success=_("Den akutte vurdering er registreret."),
        template="cases/case_notification_acute.html",
        tab="notifications",
        context={"notification": notification},
    )


@authority_action(_("registrere kvitteringer til underrettere"))
def notification_receipt(request: HttpRequest, case: Case, notification_id: int) -> HttpResponse:
    notification = case_object_or_404(request, case, Notification.objects.all(), notification_id)
    return form_action(
        request,
        case,
        ReceiptForm(form_data(request)),
        lambda d: services.notification_send_receipt(
            notification=notification, user=user_of(request), **d
        ),
        success=_("Kvitteringen er registreret som sendt."),
        template="cases/case_notification_receipt.html",
        tab="notifications",
        context={"notification": notification},
    )


# --- assessments -----------------------------------------------------------------------------


@authority_action(_("starte en undersøgelse"))
def assessment_start(request: HttpRequest, case: Case) -> HttpResponse:
    return form_action(
        request,
        case,
        AssessmentStartForm(form_data(request)),
        lambda d: services.assessment_start(case=case, user=user_of(request), **d),
        success=_("Undersøgelsen er startet."),
        template="cases/case_assessment_start.html",
        tab="assessment",
    )


@authority_action(_("afslutte en undersøgelse"))
def assessment_finish(request: HttpRequest, case: Case, assessment_id: int) -> HttpResponse:
    """The running assessment: saved on the way ("gem"), or finished."""
    assessment = case_object_or_404(
        request, case, Assessment.objects.prefetch_related("areas"), assessment_id
    )
    form = AssessmentFinishForm(
        form_data(request),
        kind=assessment.kind,
        initial=AssessmentFinishForm.initial_from(assessment),
    )
    save_only = request.method == "POST" and "gem" in request.POST

    def perform(_data: dict[str, Any]) -> Any:
        arguments = form.service_arguments()
        finished_on = arguments.pop("finished_on")
        if save_only:
            return services.assessment_save(
                assessment=assessment, user=user_of(request), **arguments
            )
        if finished_on is None:
            raise ValidationError({"finished_on": _("Angiv slutdatoen.")})
        return services.assessment_finish(
            assessment=assessment,
            user=user_of(request),
            finished_on=finished_on,
            **arguments,
        )

    return form_action(
        request,
        case,
        form,
        perform,
        success=_("Undersøgelsen er gemt.") if save_only else _("Undersøgelsen er afsluttet."),
        template="cases/case_assessment_finish.html",
        tab="assessment",
        context={"assessment": assessment},
        then=lambda a: a.get_absolute_url() + f"#undersoegelse-{a.pk}",
    )


@authority_action(_("give en foreløbig vurdering"))
def assessment_preliminary(request: HttpRequest, case: Case, assessment_id: int) -> HttpResponse:
    assessment = case_object_or_404(request, case, Assessment.objects.all(), assessment_id)
    return form_action(
        request,
        case,
        AssessmentPreliminaryForm(form_data(request)),
        lambda d: services.assessment_preliminary(
            assessment=assessment, user=user_of(request), **d
        ),
        success=_("Den foreløbige vurdering er gemt og skrevet i journalen."),
        template="cases/case_assessment_preliminary.html",
        tab="assessment",
        context={"assessment": assessment},
        then=lambda a: a.get_absolute_url() + f"#undersoegelse-{a.pk}",
    )


# --- closing and reopening -------------------------------------------------------------------


@authority_action(_("lukke sagen"))
def case_close(request: HttpRequest, case: Case) -> HttpResponse:
    return form_action(
        request,
        case,
        CaseCloseForm(form_data(request)),
        lambda d: services.case_close(case=case, user=user_of(request), **d),
        success=_("Sagen er lukket."),
        template="cases/case_close.html",
        tab="overview",
        context={"open_deadlines": [d for d in selectors.deadlines_of(case) if d.is_open]},
    )


@authority_action(_("genåbne sagen"))
def case_reopen(request: HttpRequest, case: Case) -> HttpResponse:
    return form_action(
        request,
        case,
        CaseReopenForm(form_data(request)),
        lambda _d: services.case_reopen(case=case, user=user_of(request)),
        success=_("Sagen er genåbnet."),
        template="cases/case_reopen.html",
        tab="overview",
    )


# --- deadlines -------------------------------------------------------------------------------


@authority_action(_("markere frister som håndteret på anden vis"))
def deadline_handle_otherwise(request: HttpRequest, case: Case, deadline_id: int) -> HttpResponse:
    deadline = case_object_or_404(
        request, case, Deadline.objects.select_related("rule"), deadline_id
    )
    return form_action(
        request,
        case,
        DeadlineHandleOtherwiseForm(form_data(request)),
        lambda d: deadline_services.deadline_handle_otherwise(
            deadline=deadline, user=user_of(request), **d
        ),
        success=_("Fristen er markeret som håndteret på anden vis."),
        template="cases/case_deadline_handle_otherwise.html",
        tab="overview",
        context={"deadline": deadline},
        then=lambda _d: case,
    )
