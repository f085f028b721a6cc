"""The OpenAPI schema validates; it and the documentation page are served by the app (no CDN),
to logged-in staff only."""

import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from access.models import AccessLogEntry


def test_the_schema_validates(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary") or operation.get("description"), (method, path)
            assert "404" in operation["responses"] or path in {"/api/v1/cases/"}, (method, path)


def test_no_cpr_in_a_path_or_query_parameter(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, methods in schema["paths"].items():
        assert "cpr" not in path.lower()
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                assert "cpr" not in parameter["name"].lower(), (path, parameter)


OPENAPI_JSON = "application/vnd.oai.openapi+json"


def test_the_schema_is_served_to_staff(personas, login, make_token):
    response = login(personas.owner).get("/api/v1/schema/", HTTP_ACCEPT=OPENAPI_JSON)
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Familieværft API"
    # An integration with an API key reads it too.
    response = APIClient().get(
        "/api/v1/schema/",
        HTTP_ACCEPT=OPENAPI_JSON,
        HTTP_AUTHORIZATION=f"Token {make_token(personas.therapist, read_only=True)}",
    )
    assert response.status_code == 200


def test_the_schema_and_docs_are_not_public(db, client):
    """Finding 8 of issue 14: the API schema and Swagger UI were public."""
    response = client.get("/api/v1/schema/", HTTP_ACCEPT=OPENAPI_JSON)
    assert response.status_code == 401
    assert "paths" not in response.content.decode()
    for url in ("/api/v1/docs/", "/api/v1/docs/?script="):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.DENIED, target="/api/v1/schema/"
    ).exists()


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/docs/?script="])
def test_families_get_a_logged_403_for_the_schema_and_docs(personas, login, url):
    response = login(personas.family_user).get(url)
    assert response.status_code == 403
    assert "Familieværft API" not in response.content.decode()
    assert AccessLogEntry.objects.filter(
        user=personas.family_user, action=AccessLogEntry.Action.DENIED
    ).exists()


@pytest.mark.parametrize("url", ["/api/v1/docs/"])
def test_the_docs_page_uses_only_our_own_static_files(personas, login, url):
    client = login(personas.owner)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references, "the page should load Swagger UI"
    for reference in references:
        assert reference.startswith(("/static/", "/api/v1/")), reference
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost|testserver)", html)
    assert "<script>" not in html, "no inline scripts"
    script = client.get(f"{url}?script=")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()
    assert not re.search(r"https?://", script.content.decode().replace("http://testserver", ""))


def test_swagger_ui_assets_ship_with_the_app():
    from django.contrib.staticfiles import finders

    for name in ["swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"]:
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}"), name
