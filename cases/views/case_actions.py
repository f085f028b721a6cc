"""Authority actions on a case (owner or team lead): acute judgement, receipt, assessments,
measures, closing and reopening, deadlines handled otherwise. Each is a GET form or
confirmation page and a POST that calls one service, then redirects (PRG)."""

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from cases import services
from cases.forms_case import (
    AcuteJudgementForm,
    AssessmentFinishForm,
    AssessmentStartForm,
    CaseCloseForm,
    CaseForm,
    CaseReopenForm,
    DeadlineHandleOtherwiseForm,
    MeasureEndForm,
    MeasureOrderForm,
    ReceiptForm,
)
from cases.models import Assessment, Case, Measure, Notification
from familievaerft.models import User
from followups import services as deadline_services
from followups.models import Deadline

from . import case_selectors as selectors
from .case_common import FORM_METHODS, Access, case_object_or_404, case_view, render_case_form


def authority_action(
    what: Any,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Owner or team lead only; ``what`` completes "Kun … kan <what>" on the 403 page."""
    return case_view(Access.AUTHORITY, what=what, methods=FORM_METHODS)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def submit(
    request: HttpRequest,
    form: CaseForm,
    perform: Callable[[dict[str, Any]], Any],
    *,
    success: Any,
    then: Callable[[Any], Any],
) -> HttpResponse | None:
    """On a valid POST run the service; a refusal goes onto the form, success redirects."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = perform(form.cleaned_data)
    except ValidationError as error:
        form.add_service_error(error)
        return None
    messages.success(request, success)
    return redirect(then(result))


# --- notifications ---------------------------------------------------------------------------


@authority_action(_("registrere den akutte vurdering"))
def notification_acute(request: HttpRequest, case: Case, notification_id: int) -> HttpResponse:
    notification = case_object_or_404(request, case, Notification.objects.all(), notification_id)
    form = AcuteJudgementForm(_data(request))
    done = submit(
        request,
        form,
        lambda d: services.notification_judge_acute(
            notification=notification, user=_user(request), **d
        ),
        success=_("Den akutte vurdering er registreret."),
        then=lambda n: n,
    )
    return done or render_case_form(
        request,
        "cases/case_notification_acute.html",
        case,
        tab="notifications",
        context={"form": form, "notification": notification},
    )


@authority_action(_("registrere kvitteringer til underrettere"))
def notification_receipt(request: HttpRequest, case: Case, notification_id: int) -> HttpResponse:
    notification = case_object_or_404(request, case, Notification.objects.all(), notification_id)
    form = ReceiptForm(_data(request))
    done = submit(
        request,
        form,
        lambda d: services.notification_send_receipt(
            notification=notification, user=_user(request), **d
        ),
        success=_("Kvitteringen er registreret som sendt."),
        then=lambda n: n,
    )
    return done or render_case_form(
        request,
        "cases/case_notification_receipt.html",
        case,
        tab="notifications",
        context={"form": form, "notification": notification},
    )


# --- assessments -----------------------------------------------------------------------------


@authority_action(_("starte en undersøgelse"))
def assessment_start(request: HttpRequest, case: Case) -> HttpResponse:
    form = AssessmentStartForm(_data(request))
    done = submit(
        request,
        form,
        lambda d: services.assessment_start(case=case, user=_user(request), **d),
        success=_("Undersøgelsen er startet."),
        then=lambda a: a,
    )
    return done or render_case_form(
        request, "cases/case_assessment_start.html", case, tab="assessment", context={"form": form}
    )


@authority_action(_("afslutte en undersøgelse"))
def assessment_finish(request: HttpRequest, case: Case, assessment_id: int) -> HttpResponse:
    assessment = case_object_or_404(request, case, Assessment.objects.all(), assessment_id)
    form = AssessmentFinishForm(_data(request))
    done = submit(
        request,
        form,
        lambda d: services.assessment_finish(assessment=assessment, user=_user(request), **d),
        success=_("Undersøgelsen er afsluttet."),
        then=lambda a: a,
    )
    return done or render_case_form(
        request,
        "cases/case_assessment_finish.html",
        case,
        tab="assessment",
        context={"form": form, "assessment": assessment},
    )


# --- measures --------------------------------------------------------------------------------


@authority_action(_("bestille indsatser"))
def measure_order(request: HttpRequest, case: Case) -> HttpResponse:
    form = MeasureOrderForm(_data(request))
    done = submit(
        request,
        form,
        lambda _d: services.measure_order(
            case=case, user=_user(request), **form.service_arguments()
        ),
        success=_("Indsatsen er bestilt. De tilknyttede behandlere har nu adgang til sagen."),
        then=lambda m: m,
    )
    return done or render_case_form(
        request, "cases/case_measure_order.html", case, tab="measures", context={"form": form}
    )


@authority_action(_("afslutte indsatser"))
def measure_end(request: HttpRequest, case: Case, measure_id: int) -> HttpResponse:
    measure = case_object_or_404(
        request, case, Measure.objects.select_related("legal_basis"), measure_id
    )
    form = MeasureEndForm(_data(request))
    done = submit(
        request,
        form,
        lambda d: services.measure_end(measure=measure, **d),
        success=_("Indsatsen er afsluttet."),
        then=lambda m: m,
    )
    return done or render_case_form(
        request,
        "cases/case_measure_end.html",
        case,
        tab="measures",
        context={"form": form, "measure": measure},
    )


# --- closing and reopening -------------------------------------------------------------------


@authority_action(_("lukke sagen"))
def case_close(request: HttpRequest, case: Case) -> HttpResponse:
    form = CaseCloseForm(_data(request))
    done = submit(
        request,
        form,
        lambda d: services.case_close(case=case, user=_user(request), **d),
        success=_("Sagen er lukket."),
        then=lambda c: c,
    )
    open_deadlines = [d for d in selectors.deadlines_of(case) if d.is_open]
    return done or render_case_form(
        request,
        "cases/case_close.html",
        case,
        tab="overview",
        context={"form": form, "open_deadlines": open_deadlines},
    )


@authority_action(_("genåbne sagen"))
def case_reopen(request: HttpRequest, case: Case) -> HttpResponse:
    form = CaseReopenForm(_data(request))
    done = submit(
        request,
        form,
        lambda _d: services.case_reopen(case=case, user=_user(request)),
        success=_("Sagen er genåbnet."),
        then=lambda c: c,
    )
    return done or render_case_form(
        request, "cases/case_reopen.html", case, tab="overview", context={"form": form}
    )


# --- deadlines -------------------------------------------------------------------------------


@authority_action(_("markere frister som håndteret på anden vis"))
def deadline_handle_otherwise(request: HttpRequest, case: Case, deadline_id: int) -> HttpResponse:
    deadline = case_object_or_404(
        request, case, Deadline.objects.select_related("rule"), deadline_id
    )
    form = DeadlineHandleOtherwiseForm(_data(request))
    done = submit(
        request,
        form,
        lambda d: deadline_services.deadline_handle_otherwise(
            deadline=deadline, user=_user(request), **d
        ),
        success=_("Fristen er markeret som håndteret på anden vis."),
        then=lambda _d: case,
    )
    return done or render_case_form(
        request,
        "cases/case_deadline_handle_otherwise.html",
        case,
        tab="overview",
        context={"form": form, "deadline": deadline},
    )
