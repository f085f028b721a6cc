"""The OpenAPI schema validates; the documentation page is served by the app (no CDN)."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


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


def test_the_schema_is_served(db, client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Familieværft API"


@pytest.mark.parametrize("url", ["/api/v1/docs/"])
def test_the_docs_page_uses_only_our_own_static_files(db, client, url):
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
