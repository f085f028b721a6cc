"""Every module says what belongs in it (issue 18: "a module docstring on every module").

Migrations are generated and say what they change in their operations; an empty
``__init__.py`` has nothing to describe. Everything else the repository holds in Python,
tests included, opens with a docstring.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRECTORIES = {".venv", "node_modules", "staticfiles", "test-artifacts", "__pycache__"}


def _modules() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if (
            parts & SKIPPED_DIRECTORIES
            or "migrations" in parts
            or any(p.startswith(".") for p in path.relative_to(ROOT).parts)
        ):
            continue
        found.append(path)
    return found


def test_the_walk_finds_the_apps_modules():
    names = {str(p.relative_to(ROOT)) for p in _modules()}
    assert {"manage.py", "cases/models.py", "access/rules.py", "tests/conftest.py"} <= names
    assert not any("/migrations/" in name for name in names)


def test_every_module_has_a_docstring():
    missing = sorted(
        str(path.relative_to(ROOT))
        for path in _modules()
        if (text := path.read_text(encoding="utf-8")).strip()
        and ast.get_docstring(ast.parse(text)) is None
    )
    assert missing == []
