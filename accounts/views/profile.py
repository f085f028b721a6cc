"""The staff member's profile: their personal API tokens (make, see once, revoke)."""

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import two_factor as auth_otp
from accounts.api_tokens import api_token_create, api_token_revoke, expiry_problem
from accounts.models import STAFF_ROLES, ApiToken, User
from accounts.signals import report_refusal
from core.forms import ServiceForm
from core.rate_limits import api_token_create_rate_limited, too_many_requests

TEMPLATE = "accounts/profile.html"


class TokenForm(ServiceForm):
    name = forms.CharField(
        label=gettext_lazy("Navn"),
        max_length=100,
        help_text=gettext_lazy("Hvad nøglen bruges til, fx 'ESDH-integration'."),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Udløber"),
        help_text=gettext_lazy("Nøglen virker til og med denne dag, højst et år frem."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        # Three months unless chosen otherwise: long enough to set up, short enough to renew.
        initial=lambda: timezone.localdate() + dt.timedelta(days=90),
    )
    read_only = forms.BooleanField(
        label=gettext_lazy("Kun læseadgang"),
        required=False,
        help_text=gettext_lazy("Nøglen kan læse, men ikke registrere eller ændre noget."),
    )

    def clean_expires_on(self) -> Any:
        # The service's rule, checked here too so every field's error shows at once.
        value = self.cleaned_data["expires_on"]
        problem = expiry_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


def _staff_or_404(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if user.role not in STAFF_ROLES:
        report_refusal(request, "profil og API-nøgler: kun for medarbejdere")
        raise Http404
    return user


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _staff_or_404(request)
    form = TokenForm(prefix="token")
    secret: str | None = None
    created: ApiToken | None = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        return _revoke(request, user)
    if request.method == "POST" and api_token_create_rate_limited(request):
        return too_many_requests(request)
    if request.method == "POST":
        form = TokenForm(request.POST, prefix="token")
        if form.is_valid():
            try:
                created, secret = api_token_create(user=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                form = TokenForm(prefix="token")
    context: dict[str, Any] = {
        "nav": "profile",
        "form": form,
        "tokens": user.api_tokens.all(),
        "now": timezone.now(),
        "secret": secret,
        "created": created,
        "confirm": _token_to_confirm(request, user),
        "two_factor": auth_otp.status(user),
    }
    response = render(request, TEMPLATE, context, status=400 if form.errors else 200)
    # The page may carry a secret: never from a cache, not even the browser's back button.
    add_never_cache_headers(response)
    return response


def _token_to_confirm(request: HttpRequest, user: User) -> ApiToken | None:
    raw = request.GET.get("tilbagekald", "")
    if not (raw.isascii() and raw.isdigit()):  # "²".isdigit(), but int("²") fails
        return None
    return user.api_tokens.filter(pk=int(raw), revoked_at=None).first()


def _revoke(request: HttpRequest, user: User) -> HttpResponse:
    raw = request.POST.get("token", "")
    number = raw.isascii() and raw.isdigit()
    token = user.api_tokens.filter(pk=int(raw)).first() if number else None
    if token is None:
        report_refusal(request, "tilbagekald af en nøgle, der ikke er brugerens egen")
        raise Http404
    if api_token_revoke(token=token, user=user):
        messages.success(request, _("Nøglen “%(name)s” er tilbagekaldt.") % {"name": token.name})
    return redirect("profile")
