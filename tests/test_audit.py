"""scripts/audit.sh (make lint, so CI): pip-audit over the locked packages. A vulnerability fails
the run; PyPI not answering (twice) only warns. pip-audit itself is replaced here by a stand-in
that answers as it would, so these tests need no network."""

# ruff: noqa: S603
import json
import os
import re
import subprocess
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "audit.sh"


def stand_in(tmp_path: Path, report: dict | None, exit_code: int = 0) -> Path:
    """A pip-audit that writes ``report`` to its --output file (none: writes nothing) and
    counts its calls."""
    fake = tmp_path / "pip-audit"
    body = json.dumps(report) if report is not None else ""
    fake.write_text(
        "#!/usr/bin/env bash\n"
        f'echo call >> "{tmp_path}/calls"\n'
        "while [[ $# -gt 0 ]]; do [[ $1 == --output ]] && out=$2; shift; done\n"
        + (f"cat > \"$out\" <<'JSON'\n{body}\nJSON\n" if report is not None else "")
        + f"exit {exit_code}\n"
    )
    fake.chmod(0o755)
    return fake


def audit(tmp_path: Path, fake: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"PIP_AUDIT": str(fake), "AUDIT_RETRY_SECONDS": "0"}
    return subprocess.run(
        [str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def calls(tmp_path: Path) -> int:
    return len((tmp_path / "calls").read_text().split())


def test_a_known_vulnerability_fails(tmp_path):
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "PYSEC-2026-1", "fix_versions": ["5.2.1"], "description": "x"}],
            },
            {"name": "celery", "version": "5.7.0", "vulns": []},
        ],
        "fixes": [],
    }
    result = audit(tmp_path, stand_in(tmp_path, report, exit_code=1))
    assert result.returncode == 1
    assert "VULNERABLE django 5.2.0: PYSEC-2026-1 (fixed in 5.2.1)" in result.stdout
    assert calls(tmp_path) == 1


def test_no_finding_passes(tmp_path):
    report = {"dependencies": [{"name": "celery", "version": "5.7.0", "vulns": []}]}
    result = audit(tmp_path, stand_in(tmp_path, report))
    assert result.returncode == 0
    assert "1 locked packages, no known vulnerabilities" in result.stdout


def test_pypi_not_answering_is_tried_twice_then_only_warned(tmp_path):
    skipped = {
        "dependencies": [
            {"name": "celery", "version": "5.7.0", "skip_reason": "Dependency not found on PyPI"}
        ]
    }
    result = audit(tmp_path, stand_in(tmp_path, skipped))
    assert result.returncode == 0
    assert "NOT audited" in result.stderr
    assert calls(tmp_path) == 2

    (tmp_path / "calls").unlink()
    result = audit(tmp_path, stand_in(tmp_path, None, exit_code=1))  # a network error: no report
    assert result.returncode == 0 and "NOT audited" in result.stderr
    assert calls(tmp_path) == 2


def test_lint_runs_the_audit_and_the_dev_lock_has_it():
    makefile = (ROOT / "Makefile").read_text()
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/audit.sh" in lint
    assert "\npip-audit==" in (ROOT / "requirements-dev.lock").read_text()
    assert "\npip-audit==" not in (ROOT / "requirements.lock").read_text()


def locked(name: str) -> dict[str, str]:
    """package -> version of a lock file, each checked to carry at least one hash."""
    text = (ROOT / name).read_text()
    pins = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if match:
            assert "--hash=sha256:" in block, f"{name}: {match[1]} has no hash"
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def test_the_lock_files_pin_every_dependency_with_hashes():
    """requirements.lock has the runtime dependencies (and the setuptools that builds the
    project), requirements-dev.lock those and the [dev] ones at the same versions: a dependency
    added to pyproject.toml without `make lock` fails here."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime, dev = locked("requirements.lock"), locked("requirements-dev.lock")
    for requirement in map(Requirement, project["project"]["dependencies"]):
        name = canonicalize_name(requirement.name)
        assert name in runtime, f"{name} is not in requirements.lock: run make lock"
        assert requirement.specifier.contains(runtime[name], prereleases=True), name
    for requirement in map(Requirement, project["project"]["optional-dependencies"]["dev"]):
        name = canonicalize_name(requirement.name)
        assert name in dev, f"{name} is not in requirements-dev.lock: run make lock"
        assert name not in runtime, f"{name} (development only) is in requirements.lock"
    for build in map(Requirement, project["build-system"]["requires"]):
        assert canonicalize_name(build.name) in runtime
    assert {name: dev[name] for name in runtime} == runtime  # the same runtime pins
