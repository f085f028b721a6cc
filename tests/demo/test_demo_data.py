"""The demo's tables (demo/data/) stay apart from its builders and true to the README."""

import importlib
import pkgutil
import re
from pathlib import Path

import demo.data
from accounts.models import Role
from demo.data.families import FAMILY_PLAN
from demo.data.people import STAFF
from demo.data.personas import PERSONA_LOGINS

README = Path(__file__).resolve().parents[2] / "README.md"
ROLE_WORDS = {
    Role.CASEWORKER: "caseworker",
    Role.TEAM_LEAD: "team lead",
    Role.THERAPIST: "family therapist",
    Role.PSYCHOLOGIST: "psychologist",
    Role.ADMIN: "administrator",
}


def _readme_logins() -> dict[str, str]:
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| ([^|]+) \|$", README.read_text(), re.MULTILINE)
    return {username: who.strip() for username, who in rows}


def test_the_readme_demo_logins_are_the_demo_users():
    logins = _readme_logins()
    staff = {person.username: person for person in STAFF}
    families = {plan.login for plan in FAMILY_PLAN if plan.login}
    # Every demo user has its row (tests/demo/test_demo_personas.py checks the seeded users).
    assert set(logins) == set(staff) | families | set(PERSONA_LOGINS)
    for username, who in logins.items():
        if username in families:
            assert who.startswith("parent"), username
            continue
        if username in PERSONA_LOGINS:
            assert who, username
            continue
        person = staff[username]
        assert who.startswith(ROLE_WORDS[person.role]), username
        assert person.team is None or person.team in who, username


def test_the_data_modules_hold_tables_not_builders():
    modules = [
        importlib.import_module(f"demo.data.{info.name}")
        for info in pkgutil.iter_modules(demo.data.__path__)
    ]
    assert modules
    for module in modules:
        assert module.__doc__, module.__name__
        source = Path(module.__file__ or "").read_text()
        imports = re.findall(r"^(?:from|import) (\S+)", source, re.MULTILINE)
        assert not [name for name in imports if name.startswith(("demo.builders", "demo.fac"))]
        assert "objects." not in source and "import random" not in source, module.__name__
