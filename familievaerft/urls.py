"""The root URL conf, configuration only: each app's URLs included at their paths, the login and
two-factor pages, /healthz, the REST API under /api/v1/ and the admin. The views live in their
apps."""

from django.contrib import admin
from django.contrib.auth import views as django_auth_views
from django.urls import include, path

from accounts.views import home as views
from accounts.views import login as auth_views
from accounts.views import profile as views_profile
from core import health

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("login/kode/", auth_views.two_factor_verify, name="two_factor_verify"),
    path("login/opsaet/", auth_views.two_factor_setup, name="two_factor_setup"),
    path("logout/", django_auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("plans.urls")),
    path("", include("followups.urls")),
    path("", include("network.urls")),
    path("sager/", include("cases.urls")),
    path("sager/<uuid:case_id>/statusskrivelser/", include("letters.urls")),
    path("familie/", include("portal.urls")),
    path("profil/", views_profile.profile, name="profile"),
    path("profil/gendannelseskoder/", auth_views.recovery_codes_renew, name="recovery_codes_renew"),
    path("api/v1/", include("familievaerft.api_urls")),
    # The admin's own login form, with the login rate limit (the lock-out and the code step
    # apply to it as to every login).
    path("admin/login/", auth_views.admin_login),
    path("admin/", admin.site.urls),
]
