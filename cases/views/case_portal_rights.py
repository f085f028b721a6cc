"""Who of the family sees the case in the portal, widened from the case's Familie tab: the
young person's consent (from 18) and a time-limited grant for an adult without a right of their
own (under 18). The case's owner or team lead records and revokes both; everyone who sees the
case sees them on the Familie tab. The rules and the access log are ``cases.portal_rights``'s.
"""

from collections.abc import Callable
from typing import TypeVar, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.rules import Need
from accounts.models import User
from cases import portal_rights
from cases.forms.portal_rights import PortalConsentForm, PortalGrantForm
from cases.models import Case, FamilyMember, PortalConsent, PortalGrant
from cases.pages import FORM_METHODS, case_object_or_404, case_page, render_case_form

FAMILY_TAB = "family"
F = TypeVar("F", PortalConsentForm, PortalGrantForm)
WHAT = gettext_lazy("bestemme, hvem af familien der kan se sagen i familieportalen")


def _adults(case: Case) -> "list[FamilyMember]":
    return list(
        FamilyMember.objects.filter(family__members__citizen_id=case.citizen_id, is_child=False)
        .distinct()
        .select_related("citizen")
        .order_by("first_name", "last_name", "id")
    )


def _form(
    request: HttpRequest,
    case: Case,
    form_class: type[F],
    may: Callable[[portal_rights.MemberRight], bool],
) -> F:
    """The form, offering the adults of the family ``may`` allows; the Familie tab's link
    names the member to preselect (``?medlem=<id>``)."""
    adults = _adults(case)
    rights = portal_rights.member_rights(case, adults)
    members = FamilyMember.objects.filter(
        pk__in=[m.pk for m in adults if may(rights[m.pk])]
    ).order_by("first_name", "last_name", "id")
    chosen = request.GET.get("medlem", "")
    return form_class(
        request.POST if request.method == "POST" else None,
        members=members,
        initial={"member": chosen} if chosen.isdigit() else None,
    )


def _back(case: Case) -> HttpResponse:
    return redirect("cases:case_family", case_id=case.pk)


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=FAMILY_TAB)
def portal_consent_record(request: HttpRequest, case: Case) -> HttpResponse:
    form = _form(request, case, PortalConsentForm, lambda right: right.may_consent)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            portal_rights.portal_consent_record(
                case=case,
                member=member,
                given_on=form.cleaned_data["given_on"],
                recorded_by=cast(User, request.user),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Samtykket er registreret: %(name)s kan nu se sagen i familieportalen.")
                % {"name": member.name},
            )
            return _back(case)
    return render_case_form(
        request,
        "cases/case_portal_consent_form.html",
        case,
        tab=FAMILY_TAB,
        context={"form": form, "adult": case.citizen.age >= portal_rights.ADULT_AGE},
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=FAMILY_TAB)
def portal_consent_revoke(request: HttpRequest, case: Case, consent_id: int) -> HttpResponse:
    """A confirmation page, then the revocation (the adult loses the case at once)."""
    consent = case_object_or_404(
        request,
        case,
        PortalConsent.objects.filter(revoked_at=None).select_related("member"),
        consent_id,
        case_field="young_person__cases",
    )
    if request.method != "POST":
        return render_case_form(
            request,
            "cases/case_portal_revoke.html",
            case,
            tab=FAMILY_TAB,
            context={"consent": consent},
        )
    portal_rights.portal_consent_revoke(
        case=case, consent=consent, revoked_by=cast(User, request.user)
    )
    messages.success(
        request,
        _("Samtykket er tilbagekaldt: %(name)s kan ikke længere se sagen.")
        % {"name": consent.member.name},
    )
    return _back(case)


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=FAMILY_TAB)
def portal_grant(request: HttpRequest, case: Case) -> HttpResponse:
    form = _form(request, case, PortalGrantForm, lambda right: right.may_grant)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            portal_rights.portal_grant(
                case=case,
                member=member,
                reason=form.cleaned_data["reason"],
                valid_until=form.cleaned_data["valid_until"],
                granted_by=cast(User, request.user),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("%(name)s kan se sagen i familieportalen til og med %(date)s.")
                % {
                    "name": member.name,
                    "date": form.cleaned_data["valid_until"].strftime("%d.%m.%Y"),
                },
            )
            return _back(case)
    return render_case_form(
        request,
        "cases/case_portal_grant_form.html",
        case,
        tab=FAMILY_TAB,
        context={"form": form, "adult": case.citizen.age >= portal_rights.ADULT_AGE},
    )


@case_page(Need.AUTHORITY, what=WHAT, methods=FORM_METHODS, tab=FAMILY_TAB)
def portal_grant_revoke(request: HttpRequest, case: Case, grant_id: int) -> HttpResponse:
    """A confirmation page, then the revocation (the adult loses the case at once)."""
    grant = case_object_or_404(
        request,
        case,
        PortalGrant.objects.filter(revoked_at=None).select_related("member"),
        grant_id,
        case_field="child__cases",
    )
    if request.method != "POST":
        return render_case_form(
            request,
            "cases/case_portal_revoke.html",
            case,
            tab=FAMILY_TAB,
            context={"grant": grant},
        )
    portal_rights.portal_grant_revoke(case=case, grant=grant, revoked_by=cast(User, request.user))
    messages.success(
        request,
        _("Adgangen er ophævet: %(name)s kan ikke længere se sagen.") % {"name": grant.member.name},
    )
    return _back(case)
