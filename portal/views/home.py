"""The family portal's landing page: the user's own children, in plain language, each with a
link to its plan when the case has one (``portal.views.plan``), its coming meetings and its
closing letters (to review, and received); and the page where an invited family member
chooses a password (``invitation_accept``, anonymous).

Families never see CPR numbers, journal notes, the content of notifications or the access log.
"""

from typing import cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from access import rules as permissions
from access.log import Action, access_log_record, access_log_record_many
from access.refusals import access_log_denied
from accounts.models import Role, User
from cases import invitations as services_invitations
from core import rate_limits
from plans.models import Plan
from portal import selectors
from portal.forms import InvitationAcceptForm


@login_required
@require_GET
def family_home(request: HttpRequest) -> HttpResponse:
    if permissions.role_of(request.user) != Role.FAMILY:
        access_log_denied(request)
        raise Http404
    user = cast(User, request.user)
    children = selectors.family_overview(user=user)
    cases = [child.case for child in children if child.case is not None]
    access_log_record_many(user=user, action=Action.VIEW, cases=cases, target=request.path)
    with_plan = set(Plan.objects.filter(case__in=cases).values_list("case_id", flat=True))
    context = {
        "nav": "family",
        "children": children,
        "cases_with_plan": with_plan,
        # A young person's own login: the page is about their own case, in their words.
        "only_self": bool(children) and all(child.is_self for child in children),
    }
    return render(request, "family/home.html", context)


# The token is a password in all but name: it is never written to the access log.
INVITATION_TARGET = "/familie/invitation/…/"


def _invitation_response(response: HttpResponse) -> HttpResponse:
    # The link must not linger in a cache or leak to another site in a Referer header.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _invitation_invalid(request: HttpRequest) -> HttpResponse:
    access_log_record(
        user=request.user,
        action=Action.DENIED,
        target=f"{INVITATION_TARGET} (ugyldigt, brugt eller udløbet link)",
    )
    response = render(request, "family/invitation_invalid.html", {"nav": "family"}, status=404)
    return _invitation_response(response)


INVITATION_SESSION_KEY = "invitation_token"


@require_http_methods(["GET", "HEAD"])
def invitation_landing(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail lands here: the token moves into the session and the browser goes
    on to ``family:invitation``, whose address holds no secret (so the token appears in no
    later request line, history entry, Referer header or log; the log filters of
    ``core.redaction`` hide it in this one)."""
    if rate_limits.invitation_rate_limited(request):
        return _invitation_response(rate_limits.too_many_requests(request))
    if services_invitations.invitation_for_token(token) is None:
        return _invitation_invalid(request)
    request.session[INVITATION_SESSION_KEY] = token
    return _invitation_response(redirect("family:invitation"))


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest) -> HttpResponse:
    """An invited family member sets a password for their new login; the link works once,
    for 7 days.

    An unknown, used, revoked or expired link gets one friendly page (404, logged), the same
    for every case, so the page tells nothing about which links exist.
    """
    # Guessing links: a few tries per hour and address, counted before the token is looked up.
    if rate_limits.invitation_rate_limited(request):
        return _invitation_response(rate_limits.too_many_requests(request))
    token = request.session.get(INVITATION_SESSION_KEY, "")
    invitation = services_invitations.invitation_for_token(token)
    if invitation is None:
        return _invitation_invalid(request)
    form = InvitationAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services_invitations.invitation_accept(
                token=token, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            if "token" in getattr(error, "error_dict", {}):
                request.session.pop(INVITATION_SESSION_KEY, None)
                return _invitation_invalid(request)
            form.add_service_error(error)
        else:
            # login() cycles the session key; the used token goes with the old session.
            request.session.pop(INVITATION_SESSION_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Velkommen til Familieværft. Næste gang logger du ind med din e-mailadresse."),
            )
            return redirect("family:home")
    context = {"nav": "family", "form": form, "username": invitation.email}
    return _invitation_response(render(request, "family/invitation_accept.html", context))
