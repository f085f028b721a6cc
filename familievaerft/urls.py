from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health, views, views_profile

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("plans.urls")),
    path("", include("followups.urls")),
    path("", include("network.urls")),
    path("sager/", include("cases.urls")),
    path("familie/", include("cases.urls_family")),
    path("profil/", views_profile.profile, name="profile"),
    path("api/v1/", include("familievaerft.api.urls")),
    path("admin/", admin.site.urls),
]
