"""Login (password, then a code for staff), two-factor enrolment and recovery codes.

Failed passwords and failed codes both count towards the lock-out (django-axes); posts to
the login forms are rate limited per client address (django-ratelimit).
"""

import logging
from typing import Any, cast
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_ratelimit.core import is_ratelimited

from accounts import oidc
from accounts import two_factor as auth_otp
from accounts.models import STAFF_ROLES, User
from accounts.signals import report_refusal

log = logging.getLogger("familievaerft.auth")


def login_rate_limited(request: HttpRequest) -> bool:
    """Count a login post (password or code) per client address; True if over the limit."""
    limited = is_ratelimited(
        request,
        group="login",
        key="ip",
        rate=settings.LOGIN_RATE_LIMIT,
        method="POST",
        increment=True,
    )
    if limited:
        log.warning("login rate limit reached path=%s", request.path)
    return bool(limited)


def too_many_logins(request: HttpRequest) -> HttpResponse:
    response = render(request, "registration/locked_out.html", {"rate_limited": True}, status=429)
    response["Retry-After"] = "60"
    return response


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _forgive_failures(user: User) -> None:
    """The whole login succeeded: earlier failures for this username no longer count."""
    axes_reset(username=user.get_username())


SSO_REQUIRED = "sso_required"


def refuse_password_without_break_glass(user: User) -> None:
    """With staff single sign-on configured, a staff account without break-glass may not log
    in with a password (after the password was right, so nothing is given away)."""
    if not oidc.password_login_allowed(user):
        log.warning(
            "password login of a staff user without break-glass refused user_id=%s", user.pk
        )
        raise forms.ValidationError(
            _(
                "Medarbejdere logger ind med kommunens login. Brug knappen "
                "»Log ind som medarbejder«."
            ),
            code=SSO_REQUIRED,
        )


class PasswordLoginForm(AuthenticationForm):
    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        refuse_password_without_break_glass(cast(User, user))


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = PasswordLoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(oidc.sso_context())
        form = context.get("form")
        context["sso_required"] = bool(
            form is not None
            and form.is_bound
            and any(e.code == SSO_REQUIRED for e in form.non_field_errors().as_data())
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if login_rate_limited(request):
            return too_many_logins(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = cast(User, form.get_user())
        if auth_otp.two_factor_applies(user):
            target = "two_factor_verify" if auth_otp.has_device(user) else "two_factor_setup"
            return HttpResponseRedirect(_with_next(target, self.get_success_url()))
        _forgive_failures(user)
        return response


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode"),
        max_length=32,
        help_text=gettext_lazy(
            "Seks cifre fra godkendelses-appen, eller en af dine gendannelseskoder."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class EnrolForm(CodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("De seks cifre, appen viser for Familieværft.")


def _locked_out(request: HttpRequest, user: User) -> HttpResponse | None:
    """The lock-out page if this username or address is locked out (the session ends)."""
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_locked(request, credentials):
        return None
    logout(request)
    return get_lockout_response(request, None, credentials)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of a staff login: a TOTP code or a recovery code."""
    user = cast(User, request.user)
    next_url = _next_url(request)
    if not auth_otp.two_factor_applies(user) or user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_url)
    if not auth_otp.has_device(user):
        return redirect(_with_next("two_factor_setup", next_url))
    locked = _locked_out(request, user)
    if locked:
        return locked
    form = CodeForm()
    if request.method == "POST":
        if login_rate_limited(request):
            return too_many_logins(request)
        form = CodeForm(request.POST)
        if form.is_valid():
            device = auth_otp.verify_code(user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                _forgive_failures(user)
                log.info("two-factor login user_id=%s", user.pk)
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        _(
                            "Du har brugt en gendannelseskode. Der er %(left)d tilbage; lav nye "
                            "under Profil."
                        )
                        % {"left": left},
                    )
                return redirect(next_url)
            # A wrong code is a failed login: it counts towards the lock-out.
            log.warning("two-factor code refused user_id=%s", user.pk)
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=request
            )
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return get_lockout_response(request, None, {"username": user.get_username()})
            form.add_error("code", _("Koden er forkert eller udløbet. Prøv igen."))
    response = render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: scan the QR code (or type the key), confirm with a code, then the recovery
    codes are shown, once."""
    user = cast(User, request.user)
    if not (user.is_staff_member or user.is_staff or user.is_superuser):
        raise Http404
    next_url = _next_url(request)
    if auth_otp.has_device(user):
        # Another device only after this login has passed the one there is.
        return redirect(next_url)
    device = auth_otp.pending_totp_device(user)
    form: CodeForm = EnrolForm()
    if request.method == "POST":
        if login_rate_limited(request):
            return too_many_logins(request)
        form = EnrolForm(request.POST)
        if form.is_valid():
            codes = auth_otp.confirm_enrolment(device, form.cleaned_data["code"])
            if codes is not None:
                device.refresh_from_db()
                otp_login(request, device)
                _forgive_failures(user)
                return _recovery_codes_page(request, codes, next_url, enrolled=True)
            form.add_error(
                "code",
                _("Koden passer ikke. Tjek at telefonens ur er rigtigt, og prøv med en ny kode."),
            )
    response = render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": auth_otp.qr_svg(device, _("QR-kode til godkendelses-appen")),
            "secret": auth_otp.secret_for_manual_entry(device),
        },
        status=400 if form.errors else 200,
    )
    add_never_cache_headers(response)
    return response


def _recovery_codes_page(
    request: HttpRequest, codes: list[str], next_url: str, *, enrolled: bool
) -> HttpResponse:
    response = render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "next": next_url, "enrolled": enrolled},
    )
    # Shown once: never from a cache, not even the browser's back button.
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["POST"])
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    """New recovery codes from the profile page; the old ones stop working."""
    user = cast(User, request.user)
    if user.role not in STAFF_ROLES:
        report_refusal(request, "gendannelseskoder: kun for medarbejdere")
        raise Http404
    if not auth_otp.status(user).device:
        raise Http404
    codes = auth_otp.new_recovery_codes(user)
    return _recovery_codes_page(request, codes, reverse("profile"), enrolled=False)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site's login, behind the same rate limit as ours."""
    from django.contrib import admin

    if login_rate_limited(request):
        return too_many_logins(request)
    return admin.site.login(request)
