"""The Content Security Policy and the other security headers, and a source audit that keeps
inline script and style out of the templates and static files (the browser check is
tests/security/test_browser_csp.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}


def policy(response) -> dict[str, list[str]]:
    assert "Content-Security-Policy-Report-Only" not in response
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";")]
    return {name: values for name, *values in directives if name}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, path, status",
    [
        (None, "/login/", 200),
        (None, "/healthz", 200),
        (None, "/findes-ikke/", 404),
        ("owner", "/api/v1/docs/", 200),
        (None, "/api/v1/docs/", 302),  # staff only: to the login
        (None, "/api/v1/cases/", 401),
        ("owner", "/sager/{case}/", 200),
        ("owner", "/sager/{case}/netvaerk/kort.svg", 200),
        ("family_user", "/familie/", 200),
    ],
)
def test_every_kind_of_response_carries_the_policy(who, path, status, case, personas, login):
    from django.test import Client

    client = login(getattr(personas, who)) if who else Client()
    response = client.get(path.format(case=case.pk))
    assert response.status_code == status
    assert policy(response) == POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_policy_allows_nothing_inline_or_evaluated():
    header = " ".join(" ".join(values) for values in POLICY.values())
    assert "unsafe" not in header and "*" not in header


def test_htmx_is_told_not_to_inject_style_or_evaluate_code():
    base = (ROOT / "templates" / "base.html").read_text()
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", base)
    assert meta, "base.html has no htmx-config"
    assert '"includeIndicatorStyles": false' in meta[1] and '"allowEval": false' in meta[1]
    # The indicator style htmx would have injected is in our own stylesheet instead.
    assert ".htmx-indicator" in (ROOT / "static" / "css" / "app.css").read_text()


# What the policy refuses, as it would appear in a template or a script of ours.
FORBIDDEN_IN_TEMPLATES = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "htmx code attribute": re.compile(r"\s(?:data-)?hx-(?:on\b|on[:-]|vars\b)", re.I),
    "htmx js: values": re.compile(r"hx-vals\s*=\s*[\"']\s*js:", re.I),
}
FORBIDDEN_IN_SCRIPTS = {
    "eval": re.compile(r"\beval\s*\("),
    "Function constructor": re.compile(r"\bnew\s+Function\s*\("),
    "string timer": re.compile(r"set(?:Timeout|Interval)\s*\(\s*[\"']"),
    "style attribute": re.compile(r"setAttribute\(\s*[\"']style"),
    "event handler attribute": re.compile(r"setAttribute\(\s*[\"']on"),
    "innerHTML": re.compile(r"\.innerHTML\s*="),
}


def sources(directory: str, pattern: str) -> list[Path]:
    found = sorted((ROOT / directory).rglob(pattern))
    assert found, f"no {pattern} under {directory}"
    return found


@pytest.mark.parametrize("path", sources("templates", "*.html"), ids=lambda p: p.name)
def test_no_template_has_inline_code_or_style(path):
    text = path.read_text()
    problems = [name for name, rx in FORBIDDEN_IN_TEMPLATES.items() if rx.search(text)]
    assert not problems, f"{path.relative_to(ROOT)}: {problems}"


@pytest.mark.parametrize("path", sources("static/js", "*.js"), ids=lambda p: p.name)
def test_no_script_of_ours_evaluates_code_or_writes_inline_style(path):
    text = path.read_text()
    problems = [name for name, rx in FORBIDDEN_IN_SCRIPTS.items() if rx.search(text)]
    assert not problems, f"{path.relative_to(ROOT)}: {problems}"


def test_the_audit_would_catch_each_kind_of_inline_code():
    samples = {
        "inline script": "<script>alert(1)</script>",
        "style element": "<style>p{}</style>",
        "style attribute": '<p style="color:red">',
        "event handler attribute": '<a onclick="x()">',
        "javascript: URL": '<a href="javascript:x()">',
        "htmx code attribute": '<div hx-on:click="x()">',
        "htmx js: values": "<div hx-vals='js:{a: 1}'>",
    }
    for name, sample in samples.items():
        assert FORBIDDEN_IN_TEMPLATES[name].search(sample), name
    assert not FORBIDDEN_IN_TEMPLATES["inline script"].search('<script src="/x.js" defer>')


def test_the_python_drawn_svg_has_no_style_element_or_attribute():
    for module in ("network/svg.py", "plans/charts.py", "followups/charts_hours.py"):
        text = (ROOT / module).read_text()
        assert "<style" not in text and " style=" not in text, module
