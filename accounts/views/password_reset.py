"""Password reset for the accounts that still have a password: break-glass staff (with staff
single sign-on configured, the only staff who may use one) and family members invited without
MitID. Django's own views, with Danish templates (templates/registration/password_reset_*).

* Only a user who may log in with a password gets a mail (``accounts.oidc
  .password_login_allowed``, and a usable password: nobody who logs in through the municipality's
  provider or MitID). Everybody else, and an unknown address, sees the same page: the form never
  tells whether an address has an account.
* The link's token is kept out of every log. Django's confirm view moves it into the session on
  the first request and redirects to ``…/set-password/``; that one request line is redacted by
  ``core.redaction`` (the filter on every log handler, gunicorn's access log included), and the
  page answers with ``Referrer-Policy: no-referrer`` and no caching. The mail goes through the
  outbox as a secret body, emptied once sent.
* Posts to the form are rate limited per client address (``PASSWORD_RESET_RATE_LIMIT``).
* The link points at ``SITE_URL``, never at the Host header of the request that asked for it.
"""

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template import loader
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from accounts import oidc
from accounts.models import User
from core import outbox
from core.rate_limits import rate_limited, too_many_requests

log = logging.getLogger("familievaerft.auth")


def may_reset_password(user: User) -> bool:
    """Whether ``user`` may be sent a reset link: an active account that logs in with a
    password (families with one, break-glass staff; all staff while single sign-on is off)."""
    return user.is_active and user.has_usable_password() and oidc.password_login_allowed(user)


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mailadresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email: str) -> Any:
        return (user for user in super().get_users(email) if may_reset_password(user))

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Through the outbox (core.outbox), as every mail: sent by the worker with
        EMAIL_TIMEOUT and retries, never with ``fail_silently``, so a mail server that is down
        shows as a failed message (``/post/udgaaende/``) and not as an error page that would
        tell who has an account. The body holds the link, so it is a secret: the outbox empties
        it once the mail is sent or given up on."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        outbox.email_queue(to=to_email, subject=subject, body=body, body_is_secret=True)
        log.info("password reset mail queued user_id=%s", context["user"].pk)


def _private(response: HttpResponseBase) -> HttpResponseBase:
    """No cache keeps the page, and no later request carries its address as a referrer."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if rate_limited(request, "password-reset", settings.PASSWORD_RESET_RATE_LIMIT):
            return too_many_requests(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def dispatch(self, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return _private(super().dispatch(*args, **kwargs))

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        log.info("password reset user_id=%s", form.user.pk)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
