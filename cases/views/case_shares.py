"""Sharing a case with a named colleague until a date (holiday cover), on the Adgangslog tab:
the owner or the team lead grants and revokes; everyone who sees the case sees the active
shares. Each grant and revocation is written to the access log by ``access.rules``."""

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access import rules
from access.models import CaseShare
from access.rules import Need
from accounts.models import User
from cases.forms.shares import CaseShareForm
from cases.models import Case
from cases.pages import FORM_METHODS, case_object_or_404, case_page, render_case_form

ACCESS_LOG_TAB = "access_log"
WHAT = gettext_lazy("dele sagen med en kollega")


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=ACCESS_LOG_TAB)
def case_share_grant(request: HttpRequest, case: Case) -> HttpResponse:
    form = CaseShareForm(request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST" and form.is_valid():
        colleague = form.cleaned_data["colleague"]
        try:
            rules.case_share_grant(
                case=case,
                user=colleague,
                valid_until=form.cleaned_data["valid_until"],
                reason=form.cleaned_data["reason"],
                granted_by=cast(User, request.user),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Sagen er delt med %(name)s til og med %(date)s.")
                % {
                    "name": colleague.get_full_name() or colleague.username,
                    "date": form.cleaned_data["valid_until"].strftime("%d.%m.%Y"),
                },
            )
            return redirect("cases:case_access_log", case_id=case.pk)
    return render_case_form(
        request, "cases/case_share_form.html", case, tab=ACCESS_LOG_TAB, context={"form": form}
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=ACCESS_LOG_TAB)
def case_share_revoke(request: HttpRequest, case: Case, share_id: int) -> HttpResponse:
    """A confirmation page, then the revocation (the colleague loses the case at once)."""
    share = case_object_or_404(
        request,
        case,
        CaseShare.objects.filter(permission__codename="view_case").select_related("user"),
        share_id,
        case_field="content_object",
    )
    if request.method != "POST":
        return render_case_form(
            request,
            "cases/case_share_revoke.html",
            case,
            tab=ACCESS_LOG_TAB,
            context={"share": share},
        )
    rules.case_share_revoke(case=case, user=share.user, revoked_by=cast(User, request.user))
    messages.success(
        request,
        _("Delingen med %(name)s er ophævet.")
        % {"name": share.user.get_full_name() or share.user.username},
    )
    return redirect("cases:case_access_log", case_id=case.pk)
