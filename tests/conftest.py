"""Persona fixtures: one case seen from every side. Every page and API endpoint is tested as
each of them (the persona matrices), so an outsider's 404 is tested for every URL; the model
factories they are built with are in one place, demo/factories.py.

* ``owner``               – caseworker owning ``case`` (team A)
* ``colleague``           – caseworker on team B: must get 404
* ``team_lead``           – leads team A: sees the team's cases
* ``therapist``           – at the family house, assigned to the case's measure
* ``other_therapist``     – at the family house, not assigned: must get 404
* ``family_user``         – a parent in the child's family: no staff pages
* ``other_family_user``   – a parent in another family
"""

from types import SimpleNamespace

import pytest
from django.db.backends.signals import connection_created
from django.test import Client, override_settings
from django.utils import translation

from accounts.models import OrganisationUnit, Role
from demo import factories as f


def _allow_test_flush(sender, connection, **kwargs):
    # Transactional tests end with Django flushing every table by TRUNCATE; the access log
    # refuses TRUNCATE unless this session setting is on, and honours it only for the table's
    # owner: the tests' database user (access migration 0002; tests/access/test_database_roles.py).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET familievaerft.allow_truncate = 'on'")


connection_created.connect(_allow_test_flush)


@pytest.fixture(scope="session", autouse=True)
def _media_in_a_temporary_directory(tmp_path_factory):
    """Rendered letters and other files never land in the working tree's media/."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The default hasher is deliberately slow; tests hash many passwords.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        # Hashes made outside this fixture (a module-scoped seed, say) still verify.
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _two_factor_off(settings):
    # The suite logs staff in with client.force_login and the browser tests post the password
    # form only; a second factor would stand in front of every page. tests/accounts/ turns it back
    # on (settings.TWO_FACTOR_REQUIRED = True) to test the requirement itself.
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    # A request through the locale middleware leaves its language active in the test's thread
    # (an English cookie); the next test in this worker must not build its texts in English.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _outbox_sends_in_process(monkeypatch):
    # REDIS_URL is set for the suite; the outbox sends in the test's own process instead.
    f.outbox_sends_in_process(monkeypatch)


@pytest.fixture
def org(db):
    authority = f.OrganisationUnitFactory(
        name="Børne- og Ungeafdelingen", kind=OrganisationUnit.Kind.AUTHORITY
    )
    provider = f.OrganisationUnitFactory(name="Familiehuset", kind=OrganisationUnit.Kind.PROVIDER)
    return SimpleNamespace(
        authority=authority,
        provider=provider,
        team_a=f.TeamFactory(unit=authority, name="Team Nord"),
        team_b=f.TeamFactory(unit=authority, name="Team Syd"),
        family_house=f.TeamFactory(unit=provider, name="Familiehusets team"),
    )


@pytest.fixture
def personas(org):
    owner = f.UserFactory(username="owner", role=Role.CASEWORKER)
    colleague = f.UserFactory(username="colleague", role=Role.CASEWORKER)
    team_lead = f.UserFactory(username="lead", role=Role.TEAM_LEAD)
    therapist = f.UserFactory(username="therapist", role=Role.THERAPIST)
    other_therapist = f.UserFactory(username="therapist2", role=Role.THERAPIST)
    family_user = f.UserFactory(username="parent", role=Role.FAMILY)
    other_family_user = f.UserFactory(username="parent2", role=Role.FAMILY)
    f.add_member(org.team_a, owner)
    f.add_member(org.team_a, team_lead, lead=True)
    f.add_member(org.team_b, colleague)
    f.add_member(org.family_house, therapist)
    f.add_member(org.family_house, other_therapist)
    return SimpleNamespace(
        owner=owner,
        colleague=colleague,
        team_lead=team_lead,
        therapist=therapist,
        other_therapist=other_therapist,
        family_user=family_user,
        other_family_user=other_family_user,
    )


@pytest.fixture
def case(org, personas):
    """A case in the measure stage, with a notification, a measure (therapist assigned),
    a journal note and the child's family."""
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status="measure")
    f.NotificationFactory(case=case)
    measure = f.MeasureFactory(case=case, provider_team=org.family_house)
    f.assign(measure, personas.therapist)
    f.JournalNoteFactory(case=case)
    f.family_with_child(case.citizen, personas.family_user)
    other_child = f.CitizenFactory()
    f.family_with_child(other_child, personas.other_family_user)
    return case


@pytest.fixture
def login():
    """``login(user)`` returns a test client logged in as ``user``."""

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def browser():
    """Debian's Chromium (tests/browser.py); used by the @pytest.mark.browser tests. A test
    fails at teardown if one of its pages logged a console error or had a failed request."""
    from tests.browser import launch_watched_chromium

    yield from launch_watched_chromium()


# --- the slow families ---------------------------------------------------------------------------
# `make test` and CI run every test; `make test-fast` deselects these markers (registered in
# pyproject.toml). They are set here, by where a test lives and what it uses, so that a new test
# in one of these places is in its family without a decorator. Paths are matched by directory and
# file name wherever they are under tests/, so modules moved to another app keep their family.
SLOW_DIRECTORIES = {"faults": "faults", "property": "property", "a11y": "browser"}
SLOW_MODULES = {
    "test_schemathesis.py": "property",  # Schemathesis draws the API requests with Hypothesis
    "test_seed_demo.py": "seed",  # the demo municipality, seeded for the module
    "test_demo_sqlite.py": "seed",  # migrates and seeds a SQLite file in a subprocess
    "test_bench.py": "seed",  # the benchmark's data generator
}
BROWSER_FIXTURES = {"browser", "chromium"}  # chromium: tests/a11y's module-wide browser
# Helpers that start a server process and wait for it, as (module, name): a test whose own code
# calls one of them is in the family "processes".
PROCESS_HELPERS = {
    ("tests.celery_helpers", "worker"),
    ("tests.celery_helpers", "beat"),
    ("tests.celery_helpers", "started"),
    ("tests.test_production_shape", "running"),
}


def _names_used(code) -> set[str]:
    """The global and attribute names a function's code (and its nested functions') uses."""
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _names_used(const)
    return names


def _starts_a_process(item) -> bool:
    code = getattr(getattr(item, "function", None), "__code__", None)
    module = getattr(item, "module", None)
    if code is None or module is None:
        return False
    for name in _names_used(code):
        helper = getattr(module, name, None)
        if (getattr(helper, "__module__", None), getattr(helper, "__qualname__", None)) in (
            PROCESS_HELPERS
        ):
            return True
    return False


def slow_families(item) -> set[str]:
    *directories, module = item.nodeid.split("::", 1)[0].split("/")
    families = {SLOW_DIRECTORIES[d] for d in directories if d in SLOW_DIRECTORIES}
    if module in SLOW_MODULES:
        families.add(SLOW_MODULES[module])
    if module.startswith("test_browser") or BROWSER_FIXTURES & set(
        getattr(item, "fixturenames", ())
    ):
        families.add("browser")
    if _starts_a_process(item):
        families.add("processes")
    return families


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        for family in sorted(slow_families(item)):
            item.add_marker(family)
