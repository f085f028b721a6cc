"""The test provider's URLs: the OAuth 2 / OIDC endpoints under /o/ (the issuer), its login
form, and a page that says the session ended (where RP-initiated logout can be seen)."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def index(request: HttpRequest) -> HttpResponse:
    who = request.user.get_username() if request.user.is_authenticated else ""
    return HttpResponse(f"provider session: {who or 'none'}", content_type="text/plain")


urlpatterns = [
    path("", index),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
