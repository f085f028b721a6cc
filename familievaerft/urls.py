"""The root URL conf, configuration only: each app's URLs included at their paths, the login and
two-factor pages, /healthz, the REST API under /api/v1/ and the admin. The views live in their
apps."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import oidc
from accounts.views import home as views
from accounts.views import login as auth_views
from accounts.views import password_reset
from accounts.views import profile as views_profile
from core import health
from portal import mitid

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says: no 404 for it.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.svg")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("login/kode/", auth_views.two_factor_verify, name="two_factor_verify"),
    path("login/opsaet/", auth_views.two_factor_setup, name="two_factor_setup"),
    path("logout/", oidc.LogoutView.as_view(), name="logout"),
    # Password reset for the accounts that have a password (accounts.views.password_reset).
    # The token's path is redacted in every log (core.redaction.RESET_TOKEN).
    path("login/glemt/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path(
        "login/glemt/sendt/",
        password_reset.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "login/nulstil/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "login/nulstil/faerdig/",
        password_reset.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Single sign-on (README, "Single sign-on"): staff, and families with MitID.
    path("login/medarbejder/", oidc.StaffLoginView.as_view(), name="oidc_staff_login"),
    path("login/medarbejder/svar/", oidc.StaffCallbackView.as_view(), name="oidc_staff_callback"),
    path("login/mitid/", mitid.CitizenLoginView.as_view(), name="oidc_citizen_login"),
    path("login/mitid/svar/", mitid.CitizenCallbackView.as_view(), name="oidc_citizen_callback"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("plans.urls")),
    path("", include("followups.urls")),
    path("", include("network.urls")),
    path("sager/", include("cases.urls")),
    path("sager/<uuid:case_id>/statusskrivelser/", include("letters.urls")),
    path("post/", include("letters.urls_post")),
    path("sager/<uuid:case_id>/aktindsigt/", include("file_access.urls")),
    path("familie/", include("portal.urls")),
    path("profil/", views_profile.profile, name="profile"),
    path("profil/gendannelseskoder/", auth_views.recovery_codes_renew, name="recovery_codes_renew"),
    path("api/v1/", include("familievaerft.api_urls")),
    # The admin's own login form, with the login rate limit (the lock-out and the code step
    # apply to it as to every login).
    path("admin/login/", auth_views.admin_login),
    path("admin/", admin.site.urls),
]
