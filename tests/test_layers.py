"""The apps' layers point one way (pyproject.toml, [tool.importlinter]; README, "Project layout").

A module imports only from its own app or from the apps below it:
core → accounts → access → cases → plans → network | followups → letters → portal → demo, with
familievaerft on top; network and followups must not import each other. import-linter builds
the import graph with grimp, which reads every import statement of every module, at module
level or inside a function (or under ``if TYPE_CHECKING``) alike, so an upward import cannot
hide in a function body. The same check runs as ``.venv/bin/lint-imports``.
"""

import subprocess
import sys
from copy import deepcopy
from pathlib import Path

import grimp
import pytest
from importlinter import configuration
from importlinter.application import use_cases
from importlinter.contracts.layers import LayersContract

configuration.configure()  # what lint-imports does first (its readers, its timer)

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _options():
    return use_cases.read_user_options(str(PYPROJECT))


def _layers_contract(options) -> LayersContract:
    (contract_options,) = [c for c in options.contracts_options if c.get("id") == "layers"]
    return LayersContract(
        name=contract_options["name"],
        session_options=options.session_options,
        contract_options=contract_options,
    )


def _broken(check) -> list[str]:
    """One line per illegal import chain: 'cases.services -> letters.models (l.12)'."""
    lines = []
    for dependency in check.metadata.get("invalid_dependencies", []):
        for route in dependency["routes"]:
            links = [*route["extra_firsts"], *route["chain"], *route["extra_lasts"]]
            lines.append(
                ", ".join(
                    f"{link['importer']} -> {link['imported']} "
                    f"(l.{','.join(str(n) for n in link['line_numbers'])})"
                    for link in links
                )
            )
    return lines


def test_the_apps_keep_their_layers():
    """``lint-imports`` as a developer or CI runs it, on the contract in pyproject.toml."""
    result = subprocess.run(  # noqa: S603 (the venv's own binary, fixed arguments)
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", str(PYPROJECT)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_every_app_directory_is_a_package_the_check_can_see():
    """grimp skips a directory without __init__.py (a namespace package) and all it imports."""
    roots = _options().session_options["root_packages"]
    missing = sorted(
        str(directory.relative_to(ROOT))
        for root in roots
        for directory in [ROOT / root, *(ROOT / root).rglob("*")]
        if directory.is_dir()
        and directory.name != "__pycache__"
        and any(directory.glob("*.py"))
        and not (directory / "__init__.py").exists()
    )
    assert missing == []


@pytest.fixture(scope="module")
def real_graph():
    """The apps' import graph as on disk (built once for the module; tests add to copies)."""
    return grimp.build_graph(*_options().session_options["root_packages"], cache_dir=None)


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("cases.services", "letters.models"),  # a layer importing one above it
        ("core.forms", "accounts.models"),  # the bottom layer importing the next
        ("network.services", "followups.models"),  # the siblings, either way
        ("followups.services", "network.models"),
        ("plans.services", "familievaerft.settings"),  # the project package is on top
    ],
)
def test_the_contract_refuses_an_upward_import(real_graph, importer, imported):
    """The real contract on the real graph with one import added in memory (the tree on disk
    is not touched): the check reports that import, and did not before."""
    contract = _layers_contract(_options())
    line = f"{importer} -> {imported} (l.7)"
    assert line not in _broken(contract.check(deepcopy(real_graph), verbose=False))

    graph = deepcopy(real_graph)
    graph.add_import(
        importer=importer,
        imported=imported,
        line_number=7,
        line_contents=f"from {imported} import something",
    )
    check = contract.check(graph, verbose=False)

    assert not check.kept
    assert line in _broken(check)


def test_the_contract_allows_a_downward_import(real_graph):
    contract = _layers_contract(_options())
    before = contract.check(deepcopy(real_graph), verbose=False)
    graph = deepcopy(real_graph)
    graph.add_import(
        importer="letters.services",
        imported="network.models",
        line_number=7,
        line_contents="from network.models import NetworkMember",
    )

    after = contract.check(graph, verbose=False)

    assert (after.kept, _broken(after)) == (before.kept, _broken(before))


def test_an_upward_import_inside_a_function_is_found(tmp_path, monkeypatch):
    """A package written to a temporary directory: its lower layer imports the higher one only
    inside a function body, and a layers contract reports it, with the line."""
    package = tmp_path / "layerprobe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "high.py").write_text("VALUE = 1\n")
    (package / "low.py").write_text(
        "def late():\n    from layerprobe.high import VALUE\n\n    return VALUE\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("layerprobe", cache_dir=None)
    contract = LayersContract(
        name="probe",
        session_options={"root_packages": ["layerprobe"]},
        contract_options={"layers": ["layerprobe.high", "layerprobe.low"]},
    )

    check = contract.check(graph, verbose=False)

    assert not check.kept
    assert _broken(check) == ["layerprobe.low -> layerprobe.high (l.2)"]


@pytest.mark.parametrize("app", ["plans", "followups", "letters", "access", "network"])
def test_the_inverted_dependencies_are_connected(app):
    """Where a lower app calls up through a signal or registry, the upper app's ready() has
    connected its part (else the work would silently not happen)."""
    from accounts.signals import request_refused
    from cases import signals, start_page
    from followups import reminders
    from plans import print_sections

    def uids(signal) -> set[str]:
        return {lookup_key[0] for lookup_key, *_rest in signal.receivers}

    connected = {
        "plans": lambda: "plans_measure_ordered" in uids(signals.measure_ordered),
        "followups": lambda: (
            {"followups_measure_ordered", "followups_assessment_finished"}
            <= uids(signals.measure_ordered) | uids(signals.assessment_finished)
            and [s.__module__ for s in start_page._sources] == ["followups.selectors"]
        ),
        "letters": lambda: (
            any(s.__module__ == "letters.reminders" for s in reminders.ITEM_SOURCES)
            and "letters_decision_made" in uids(signals.decision_made)
        ),
        "access": lambda: "access_request_refused" in uids(request_refused),
        "network": lambda: any(
            s.__module__ == "network.plan_print" for s in print_sections._SECTIONS
        ),
    }
    assert connected[app]()
