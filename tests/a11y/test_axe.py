"""axe-core in Chromium on every page, for every role: no violation on the app's own pages,
and none serious or critical on the third-party API docs (Swagger UI).

The pages are generated from the URL confs (tests/a11y/pages.py) with real objects from one
small world (tests/a11y/world.py), requested as every persona; each distinct template is
scanned once per persona, plus the forms showing their validation errors and the family's
and the therapist's pages at a phone's size. Everything runs offline inside one rolled-back
transaction, in one Chromium with one context per persona.
"""

import os
import re
from typing import Any

import pytest
from django.db import connections, transaction
from django.test import Client, override_settings

from accounts.models import Role
from demo import factories as f
from tests.a11y import pages as a11y
from tests.a11y.world import build_world
from tests.browser import ARTIFACTS, TIMEOUT_MS, BrowserProblems

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# One worker builds the world and the browser once (pytest-xdist --dist loadgroup).
pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.xdist_group("a11y")]

PERSONAS = [
    "anonymous",
    "caseworker",
    "colleague",
    "team_lead",
    "therapist",
    "psychologist",
    "admin",
    "family",
    "staff_enrolling",  # second factor required, no device yet: the set-up page
    "staff_verifying",  # second factor required, a device: the code page
]
PHONE = {"width": 360, "height": 740}
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class TwoFactorClient(Client):
    """A client whose requests see the second factor required (the rest of the suite runs
    with it off), for the staff login's code and set-up pages."""

    def request(self, **request):
        with override_settings(TWO_FACTOR_REQUIRED=True):
            return super().request(**request)


@pytest.fixture(scope="module")
def chromium():
    from tests.browser import launch_chromium

    yield from launch_chromium()


@pytest.fixture(scope="module")
def world(chromium, django_db_setup, django_db_blocker):
    """The world, built once for the module in a transaction rolled back at its end.

    Chromium starts first: Playwright's sync API runs an event loop, and Django hands out
    another database connection once it runs; the transaction must be on that one."""
    with (
        override_settings(PASSWORD_HASHERS=FAST_HASHER, TWO_FACTOR_REQUIRED=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
        pytest.MonkeyPatch.context() as mp,
    ):
        f.fake_rendering_task(mp)
        f.outbox_sends_in_process(mp)
        yield build_world()
        transaction.set_rollback(True)
    # The connection opened under Playwright's event loop: closed here, or the test
    # database could not be dropped at the end of the run.
    connections.close_all()


@pytest.fixture(scope="module")
def clients(world) -> dict[str, Client]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    users = dict(world.users)
    users["staff_enrolling"] = f.UserFactory(username="enrolling", role=Role.THERAPIST)
    users["staff_verifying"] = f.UserFactory(username="verifying", role=Role.CASEWORKER)
    TOTPDevice.objects.create(user=users["staff_verifying"], name="authenticator", confirmed=True)
    clients = {"anonymous": Client()}
    for persona in PERSONAS[1:]:
        client = TwoFactorClient() if persona.startswith("staff_") else Client()
        client.user = users[persona]  # type: ignore[attr-defined]
        log_in(client)
        clients[persona] = client
    return clients


def log_in(client: Client) -> Client:
    """A fresh session for the persona: a session row written by an earlier test is gone
    with that test's rollback."""
    user = getattr(client, "user", None)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# The routes each persona is sent to. The staff who work
# on the case get everything; the others get their own pages and one staff page of the case
# (its 404 or 403 page is what they would meet).
# Not the login steps for the staff who are logged in: they are the anonymous and the
# two-factor personas' pages (and submitting them would end the session).
ALL_BUT_LOGIN = r"^(?!(login|two_factor_setup|two_factor_verify)$)(?!admin:)"
STAFF_START = r"^(cases:(my_cases|search|notification_register|case_detail)|profile"
WANTED: dict[str, str] = {
    # Not api:docs: the API's docs are for staff (the caseworker's scan covers them).
    "anonymous": (
        r"^(login|password_reset(_done|_complete)?|family:invitation_accept|family:invitation"
        r"|cases:my_cases)$"
    ),
    "caseworker": ALL_BUT_LOGIN,
    "colleague": STAFF_START + r"|followups:(deadline_list|reminder_list|team_overview))$",
    "team_lead": ALL_BUT_LOGIN,
    "therapist": ALL_BUT_LOGIN,
    "psychologist": STAFF_START + r"|followups:(deadline_list|reminder_list|case_sessions))$",
    "admin": r"^(admin:(index|app_list|password_change|accounts_user_\w+)|profile)$",
    "family": r"^(family:|family:network$|profile$|cases:(my_cases|case_detail)$)",
    "staff_enrolling": r"^(two_factor_setup|two_factor_verify|cases:my_cases)$",
    "staff_verifying": r"^(two_factor_setup|two_factor_verify|cases:my_cases)$",
}
MISSING = "/findes-ikke/"


@pytest.fixture(scope="module")
def discovered(world, clients) -> dict[str, list[a11y.Page]]:
    """Every whole page each persona gets (not yet one per template), and a missing page."""
    found = {}
    for persona in PERSONAS:
        pattern = re.compile(WANTED[persona])
        found[persona] = a11y.discover(clients[persona], world.kwargs, pattern)
        response = clients[persona].get(MISSING)
        if response.status_code == 404:  # the staff without a second factor are sent on
            structure = "404.html" + a11y.structure(a11y.main_of(response.content.decode()))
            found[persona].append(a11y.Page("404", MISSING, 404, "404.html", structure))
    return found


@pytest.fixture(scope="module")
def to_scan(discovered) -> dict[str, list[a11y.Page]]:
    """One page per template and persona; a markup structure that an earlier persona's scan
    already covered is not scanned again."""
    seen: set[str] = set()
    plan = {}
    for persona in PERSONAS:
        plan[persona] = []
        for page in a11y.one_per_template(discovered[persona]):
            if page.structure not in seen:
                seen.add(page.structure)
                plan[persona].append(page)
    return plan


def open_context(chromium: Any, client: Client, viewport: dict[str, int] | None = None) -> Any:
    context = chromium.new_context(
        viewport=viewport or {"width": 1280, "height": 900},
        locale="da-DK",
        base_url=a11y.ORIGIN,
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    # Console errors and failed requests, checked after every page (``visit``).
    context.problems = BrowserProblems()
    context.problems.watch(context)
    a11y.serve_through_client(context, log_in(client))
    return context


def visit(page: Any, url: str, label: str) -> None:
    """Load the page; it must log no console error and have no failed request."""
    page.context.problems.take()
    page.goto(url, wait_until="load")
    page.context.problems.assert_none(f"{label} {url}")


# Pages drawn by a script after "load": what to wait for before the scan.
READY = {"api:docs": ".opblock"}
# Every violation found, serious or not, for test-artifacts/a11y-report.txt.
REPORT: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def _write_report():
    yield
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "a11y-report.txt").write_text("\n".join(REPORT) + "\n")


def scan(page: Any, found: a11y.Page, label: str) -> list[dict[str, Any]]:
    """axe on the page: the violations that fail it (``a11y.to_fix``; all go to the report)."""
    visit(page, found.url, label)
    # The page itself, not the login page a lost session would be sent to.
    assert a11y.LANDED[-1] == found.url, f"{label}: {found.url} led to {a11y.LANDED[-1]}"
    if found.route in READY:
        page.wait_for_selector(READY[found.route])
    violations = a11y.axe_violations(page)
    if violations:
        REPORT.append(a11y.describe(f"{label} {found.url} ({found.template})", violations))
    assert not a11y.ERRORS, a11y.ERRORS
    return a11y.to_fix(violations, found.template)


# --- completeness -------------------------------------------------------------------------------


def test_every_page_is_scanned(discovered, to_scan):
    """Every URL is a page some persona gets (and so scanned, or its template is), or it is
    listed in NOT_PAGES with a reason."""
    answered = {p.route for pages in discovered.values() for p in pages if p.status == 200}
    routes = {route.name for route in a11y.all_routes()}
    missing = sorted(
        name
        for name in routes - answered
        if name not in a11y.NOT_PAGES
        and not a11y.is_json_only(name)
        and not name.startswith(a11y.OPTIONAL_NAMESPACES)
    )
    assert not missing, (
        "pages that no persona gets and NOT_PAGES does not explain (give the world an object "
        f"for them in tests/a11y/world.py, or list them in NOT_PAGES): {missing}"
    )
    stale = sorted(set(a11y.NOT_PAGES) - routes)
    assert not stale, f"NOT_PAGES lists URLs that no longer exist: {stale}"
    pointless = sorted(set(a11y.NOT_PAGES) & answered)
    assert not pointless, f"NOT_PAGES lists URLs that answer a whole page: {pointless}"
    scanned = {p.template for pages in to_scan.values() for p in pages}
    for template in (
        "registration/login.html",
        "registration/two_factor_setup.html",
        "registration/two_factor_verify.html",
        "404.html",
        "family/home.html",
    ):
        assert template in scanned, template


# --- every page, every persona --------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_violations(persona, to_scan, clients, chromium):
    pages = to_scan[persona]
    if not pages:
        pytest.skip(f"every page {persona} gets was scanned for an earlier persona")
    context = open_context(chromium, clients[persona])
    page = context.new_page()
    problems = []
    try:
        for found in pages:
            violations = scan(page, found, persona)
            if violations:
                label = f"{persona} {found.url} ({found.template})"
                problems.append(a11y.describe(label, violations))
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# --- a phone -----------------------------------------------------------------------------------

PHONE_PAGES = re.compile(r"^(family:|family:network$|followups:session_)")


@pytest.mark.parametrize("persona", ["family", "therapist"])
def test_phone_viewport(persona, discovered, clients, chromium):
    pages = [
        p
        for p in a11y.one_per_template(discovered[persona])
        if p.status == 200 and PHONE_PAGES.match(p.route)
    ]
    assert pages, f"no phone pages for {persona}"
    context = open_context(chromium, clients[persona], viewport=PHONE)
    page = context.new_page()
    problems = []
    try:
        for found in pages:
            violations = scan(page, found, f"{persona} 360px")
            if violations:
                problems.append(a11y.describe(f"{persona} 360px {found.url}", violations))
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# --- nothing sideways at 360 px, and every checkbox a big target ----------------------------------

NARROW = {"width": 360, "height": 800}
OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= window.innerWidth) return null;
  const wide = [...document.body.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .filter(e => !e.closest('.visually-hidden'))
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (typeof e.className === 'string' && e.className ? '.' + e.className.trim() : '') +
      ' ' + Math.round(e.getBoundingClientRect().right));
  return root.scrollWidth + ' > ' + window.innerWidth + ': ' + wide.join(', ');
}"""
OPEN_ALL = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"
# A checkbox's hit area is its own box or that of a label around it: one of them >= 44 × 44.
SMALL_CHECKBOXES = """() => [...document.querySelectorAll('input[type=checkbox]')]
  .filter(el => el.getClientRects().length)
  .map(el => {
    const boxes = [el, ...el.labels].map(e => e.getBoundingClientRect());
    if (boxes.some(r => r.width >= 44 && r.height >= 44)) return null;
    const sizes = boxes.map(r => Math.round(r.width) + 'x' + Math.round(r.height));
    return (el.name || el.id) + ' ' + sizes.join(' ');
  }).filter(Boolean)"""


@pytest.mark.parametrize("persona", ["caseworker", "therapist", "family"])
def test_no_sideways_scrolling_at_360_px(persona, discovered, clients, chromium):
    """Every page of the persona at 360 × 800 (with every <details> open): nothing wider than
    the screen, and every checkbox a tap target of at least 44 × 44 px. A screenshot of each
    page goes to test-artifacts/phone-360/."""
    pages = [p for p in a11y.one_per_template(discovered[persona]) if p.status == 200]
    assert len(pages) >= 5, f"only {len(pages)} pages for {persona}"
    shots = ARTIFACTS / "phone-360"
    shots.mkdir(parents=True, exist_ok=True)
    context = open_context(chromium, clients[persona], viewport=NARROW)
    page = context.new_page()
    problems = []
    try:
        for found in pages:
            label = f"{persona} {found.url} ({found.template})"
            visit(page, found.url, label)
            if found.route in READY:
                page.wait_for_selector(READY[found.route])
            name = re.sub(r"[^\w-]+", "_", found.route)
            page.screenshot(path=str(shots / f"{persona}-{name}.png"), full_page=True)
            wide = page.evaluate(OVERFLOW)
            if wide:
                problems.append(f"{label}: {wide}")
            page.evaluate(OPEN_ALL)
            wide = page.evaluate(OVERFLOW)
            if wide:
                problems.append(f"{label} (details open): {wide}")
            small = page.evaluate(SMALL_CHECKBOXES)
            if small:
                problems.append(f"{label}: small checkboxes {small}")
            context.problems.assert_none(label)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# --- forms showing their errors ------------------------------------------------------------------

FORM = """() => [...document.querySelectorAll('form')].find(f =>
    f.method === 'post' && f.action === location.href &&
    f.querySelector('input:not([type=hidden]), textarea, select'))"""
SUBMIT_EMPTY = f"""() => {{
  const form = ({FORM})();
  for (const el of form.querySelectorAll('input, textarea')) {{
    if (['hidden', 'checkbox', 'radio', 'submit', 'button'].includes(el.type)) continue;
    el.value = '';
  }}
  form.noValidate = true;
  form.submit();
}}"""
HAS_FORM = f"() => !!({FORM})()"
HAS_ERRORS = "() => !!document.querySelector('[aria-invalid=true], .errorlist, .form-errors')"


def test_forms_with_validation_errors(discovered, clients, chromium):
    """Each form posting to its own page, submitted empty, shows its errors accessibly."""
    done: set[str] = set()
    problems, scanned = [], 0
    for persona in ("anonymous", "caseworker", "therapist", "family"):
        context = open_context(chromium, clients[persona])
        page = context.new_page()
        try:
            for found in a11y.one_per_template(discovered[persona]):
                if not found.own_form or found.template in done:
                    continue
                visit(page, found.url, persona)
                if not page.evaluate(HAS_FORM):
                    continue
                with page.expect_navigation(wait_until="load"):
                    page.evaluate(SUBMIT_EMPTY)
                context.problems.assert_none(f"{persona} {found.url} (errors)")
                if not page.evaluate(HAS_ERRORS):
                    continue
                done.add(found.template)
                scanned += 1
                violations = a11y.axe_violations(page)
                if violations:
                    REPORT.append(a11y.describe(f"{persona} {found.url} (errors)", violations))
                if violations:
                    problems.append(a11y.describe(f"{persona} {found.url} (errors)", violations))
        finally:
            context.close()
    assert scanned >= 5, f"only {scanned} forms showed errors: {sorted(done)}"
    assert not problems, "\n".join(problems)
