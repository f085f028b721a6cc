"""Every page of the app, found from the URL confs, and axe-core run on it in Chromium.

``all_patterns()`` walks the root URL conf; ``discover()`` requests every pattern as one
persona through Django's test client (kwargs from tests/a11y/world.py) and keeps the answers
that are whole HTML pages (200, and the 403/404 pages people meet), one per template: the
scan runs axe once per distinct template and persona, not once per URL.

The browser never talks to a server: ``serve_through_client`` answers Chromium's requests
from Django's test client (logged in as the persona) and the static files from the static
finders, so the scan runs inside the test's transaction, needs no live server and no network,
and every response keeps its real headers (the Content Security Policy included).
axe-core comes from the ``axe-playwright-python`` package (axe.min.js bundled, MPL-2.0).
"""

import mimetypes
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

# localhost, not Django's "testserver": Chromium treats only localhost (or HTTPS) as a
# trustworthy origin, and logs a console error for the Cross-Origin-Opener-Policy header of
# every page served from any other http origin.
ORIGIN = "http://localhost"
ERRORS: list[str] = []  # exceptions while answering the browser
LANDED: list[str] = []  # where each page load ended up after the redirects followed here
SERIOUS = {"serious", "critical"}

# URL names that are not HTML pages of their own, and why. A pattern that is neither here
# nor answers a whole HTML page for some persona fails test_every_page_is_scanned.
NOT_PAGES = {
    "healthz": "JSON health check",
    "logout": "POST only",
    "oidc_staff_login": "a redirect to the identity provider (404 unless configured)",
    "oidc_staff_callback": "the identity provider's answer: a redirect",
    "oidc_citizen_login": "a redirect to MitID (404 unless configured)",
    "oidc_citizen_callback": "MitID's answer: a redirect",
    "set_language": "POST only (the language switcher on every page is scanned)",
    "cases:citizen_lookup": "htmx fragment inside Ny underretning",
    "cases:access_log_export": "CSV download",
    "letters:closing_letter_rendering": "htmx fragment (PDF status) inside the letter page",
    "letters:closing_letter_pdf": "PDF download",
    "family:letter_preview_pdf": "PDF download",
    "family:letter_pdf": "PDF download",
    "letters:decision_letter_pdf": "PDF download",
    "family:decision_pdf": "PDF download",
    "file_access:bundle_pdf": "PDF download",
    "file_access:bundle_prepare": "POST only (the button is on the request's page)",
    "file_access:exemption_remove": "POST only (the button is on the request's page)",
    "followups:session_autosave": "POST only (htmx draft saving)",
    "followups:reminder_read": "POST only",
    "followups:reminder_read_all": "POST only",
    "post:print_mark": "POST only (the button is on the print queue)",
    "network:network_map_svg": "SVG image, shown inside the network page",
    "network:network_snapshot_svg": "SVG image, shown inside the versions page",
    "api:schema": "OpenAPI schema (YAML/JSON)",
    "recovery_codes_renew": "POST only (the new codes' page is test_recovery_codes_page)",
    "home": "redirects to the role's start page",
    "letters:closing_letter_start": "POST only",
    "letters:closing_letter_revise": "POST only",
    "letters:closing_letter_autosave": "POST only (htmx draft saving)",
    "family:letter_comment": "POST only (its errors show on the letter page)",
    "network:meeting_record": "POST only (the form is on the meeting page)",
    "network:meeting_decision_add": "POST only (the form is on the meeting page)",
    "family:invitation_accept": "the e-mailed link: it lands and redirects to family:invitation",
    "password_reset_confirm": "the e-mailed reset link: it redirects to its set-password form "
    "(tests/accounts/test_password_reset.py)",
}
# Pages a client reaches only after another one (the invitation's page after its link landed).
REACHED_THROUGH = {"family:invitation": ("family:invitation_accept", "token")}
# The API answers JSON (its docs page is scanned); the admin is Django's own and is scanned
# only where it answers the administrator with a page.
JSON_NAMESPACES = ("api:",)
OPTIONAL_NAMESPACES = ("admin:",)


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]


def _walk(resolver: URLResolver, namespace: str, kwargs: tuple[str, ...]) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        names = kwargs + tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _walk(entry, inner, names)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(f"{namespace}{entry.name}", names)


def all_routes() -> list[Route]:
    """Every named URL of the root URL conf, with the keyword arguments it takes."""
    return list(_walk(get_resolver(), "", ()))


def url_of(route: Route, values: dict[str, object]) -> str | None:
    """The URL with real values (``name:kwarg`` before ``kwarg``); None if one is missing."""
    kwargs: dict[str, object] = {}
    short = route.name.split(":", 1)[-1]
    for kwarg in route.kwargs:
        for key in (f"{route.name}:{kwarg}", f"{short}:{kwarg}", kwarg):
            if key in values:
                kwargs[kwarg] = values[key]
                break
        else:
            if kwarg == "app_label":
                kwargs[kwarg] = "familievaerft"
            else:
                return None
    try:
        return reverse(route.name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def is_json_only(name: str) -> bool:
    return name.startswith(JSON_NAMESPACES) and name != "api:docs"


@dataclass
class Page:
    route: str
    url: str
    status: int
    template: str
    structure: str = ""
    own_form: bool = False  # a form that posts back to the page itself


_FORM = re.compile(r"<form\b([^>]*)>", re.IGNORECASE)


def posts_to_itself(html: str, url: str) -> bool:
    for attributes in _FORM.findall(html):
        if not re.search(r'method="post"', attributes, re.IGNORECASE):
            continue
        action = re.search(r'\saction="([^"]*)"', attributes)
        if action is None or action.group(1) in ("", url):
            return True
    return False


def _template_of(response: Any, url: str) -> str:
    templates = [t.name for t in getattr(response, "templates", []) if t.name]
    return templates[0] if templates else url


def is_whole_page(response: Any) -> bool:
    content_type = response.get("Content-Type", "")
    if not content_type.startswith("text/html") or getattr(response, "streaming", False):
        return False
    return b"<html" in response.content[:500].lower()


def discover(client: Client, values: dict[str, object], wanted: "re.Pattern[str]") -> list[Page]:
    """Every whole HTML page this client gets (200, or the 403/404 pages people meet), of
    the routes whose name matches ``wanted``."""
    pages: list[Page] = []
    for route in all_routes():
        if route.name in NOT_PAGES or is_json_only(route.name):
            continue
        if not wanted.search(route.name):
            continue
        url = url_of(route, values)
        if url is None:
            continue
        if route.name in REACHED_THROUGH:
            before, kwarg = REACHED_THROUGH[route.name]
            if kwarg in values:
                client.get(reverse(before, args=[values[kwarg]]))
        response = client.get(url)
        if response.status_code in (200, 403, 404) and is_whole_page(response):
            page = Page(route.name, url, response.status_code, _template_of(response, url))
            html = response.content.decode()
            page.structure = page.template + structure(main_of(html))
            page.own_form = response.status_code == 200 and posts_to_itself(html, url)
            pages.append(page)
    return pages


_TAG = re.compile(r"<([a-zA-Z][\w-]*)([^>]*)>|>([^<]*)<")
_ATTRIBUTE = re.compile(r'\s([\w:-]+)(?:="([^"]*)")?')
_KEEP_VALUES = {"class", "role", "type", "lang", "scope", "hidden", "disabled", "rel"}


def structure(html: str) -> str:
    """The page's markup without its words and values: tag names, attribute names, the
    values of a few attributes that change how it is read (class, role, type …), and whether
    each piece of text is empty. Two pages with the same structure get the same axe result
    in all but their words, so a structure is scanned once, by the first persona that has it.
    """
    parts = []
    for match in _TAG.finditer(html):
        tag, attributes, text = match.groups()
        if tag is None:
            parts.append("T" if text and text.strip() else "")
            continue
        kept = []
        for name, value in _ATTRIBUTE.findall(attributes or ""):
            if name in _KEEP_VALUES or (name.startswith("aria-") and value in ("true", "false")):
                kept.append(f"{name}={value}")
            else:
                kept.append(name if value else f"{name}=")
        parts.append(f"<{tag} {' '.join(sorted(kept))}>")
    return "".join(parts)


_MAIN = re.compile(r"<main\b.*</main>", re.DOTALL)


def main_of(html: str) -> str:
    """The page's <main>: the header and footer around it are the same on every page of a
    persona, and scanned with its first page."""
    match = _MAIN.search(html)
    return match.group(0) if match else html


def one_per_template(pages: list[Page]) -> list[Page]:
    """The pages to scan: one per template, a 200 rather than an error page where there is one."""
    unique: dict[str, Page] = {}
    for page in sorted(pages, key=lambda page: page.status != 200):
        unique.setdefault(page.template, page)
    return list(unique.values())


# --- the browser's requests answered by Django's test client ------------------------------------

_HOP_BY_HOP = {"content-length", "transfer-encoding", "connection"}


def _static(path: str) -> tuple[int, dict[str, str], bytes]:
    found = finders.find(path.removeprefix("/static/"))
    if not found:
        return 404, {"Content-Type": "text/plain"}, b"not found"
    with open(found, "rb") as handle:
        body = handle.read()
    content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
    return 200, {"Content-Type": content_type}, body


def serve_through_client(context: Any, client: Client) -> None:
    """Answer every request of the browser context from ``client`` (or the static files)."""

    # Playwright calls the handler from its own greenlet, where Django would open another
    # database connection, outside the test's transaction: hand it the test's connection.
    connection = connections[DEFAULT_DB_ALIAS]

    def handle(route: Any) -> None:
        connections[DEFAULT_DB_ALIAS] = connection
        try:
            answer(route)
        except Exception as error:  # shown to the test rather than lost in the event loop
            ERRORS.append(f"{route.request.method} {route.request.url}: {error!r}")
            route.fulfill(status=599, body=traceback.format_exc())

    def answer(route: Any) -> None:
        request = route.request
        parts = urlsplit(request.url)
        if parts.netloc != urlsplit(ORIGIN).netloc:
            route.abort()  # nothing leaves the machine
            return
        if parts.path.startswith("/static/"):
            status, headers, body = _static(parts.path)
        else:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            extra = {
                "HTTP_" + key.upper().replace("-", "_"): value
                for key, value in request.headers.items()
                if key.lower().startswith("hx-") or key.lower() in ("accept", "referer")
            }
            response = client.generic(
                request.method,
                path,
                data=request.post_data_buffer or b"",
                content_type=request.headers.get("content-type", ""),
                **extra,
            )
            # Chromium does not route the request a fulfilled redirect leads to: follow it
            # here (the address bar keeps the first URL; the pages use absolute paths).
            for _hop in range(5):
                location = response.get("Location", "")
                if response.status_code not in (301, 302, 303, 307, 308) or "://" in location:
                    break
                path = location
                response = client.get(location, **extra)
            if request.is_navigation_request():
                LANDED.append(path)
            body = (
                b"".join(response.streaming_content)
                if getattr(response, "streaming", False)
                else response.content
            )
            status = response.status_code
            headers = {k: v for k, v in response.items() if k.lower() not in _HOP_BY_HOP}
        route.fulfill(status=status, headers=headers, body=body)

    context.route("**/*", handle)


# --- axe ---------------------------------------------------------------------------------------

_AXE: Any = None


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (injected once per loaded page)."""
    global _AXE
    if _AXE is None:
        from axe_playwright_python.sync_playwright import Axe

        _AXE = Axe()
    results = _AXE.run(page, options={"resultTypes": ["violations"]})
    return list(results.response["violations"])


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v.get("impact") in SERIOUS]


# Pages drawn by someone else's code, where only serious and critical violations fail the
# scan: Swagger UI's own markup has a skipped heading level and content outside landmarks.
THIRD_PARTY_TEMPLATES = {"drf_spectacular/swagger_ui.html"}


def to_fix(violations: list[dict[str, Any]], template: str | None) -> list[dict[str, Any]]:
    """What fails a scan: every violation on the app's own pages (moderate and minor too),
    the serious and critical ones on a third party's."""
    return serious(violations) if template in THIRD_PARTY_TEMPLATES else violations


def describe(label: str, violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{label}: {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            html = re.sub(r"\s+", " ", node.get("html", ""))[:200]
            lines.append(f"    {', '.join(map(str, node['target']))}: {html}")
            summary = node.get("failureSummary", "")
            if summary:
                lines.append("      " + re.sub(r"\s+", " ", summary)[:300])
    return "\n".join(lines)
