"""The REST API's URLs (/api/v1/, mounted in familievaerft/urls.py), configuration only: the
OpenAPI schema and its documentation, and each app's own API routes (``<app>.api.urls``),
all under the namespace "api". The paths and URL names are the API's contract; the endpoints
themselves live beside their apps."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# schema: its authentication extensions register themselves on import.
from core import api_schema as schema  # noqa: F401

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file of its own: no inline script.
    # Both are for staff only (SPECTACULAR_SETTINGS' SERVE_PERMISSIONS); a browser that is not
    # logged in is sent to the login page for the docs rather than shown a JSON 401.
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    # Bottom layer first, as in INSTALLED_APPS.
    path("", include("cases.api.urls")),
    path("", include("cases.api.decision_urls")),
    path("", include("plans.api.urls")),
    path("", include("network.api.urls")),
    path("", include("followups.api.urls")),
    path("", include("letters.api.urls")),
]
