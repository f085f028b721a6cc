#!/usr/bin/env bash
# Known vulnerabilities in the locked dependencies (runtime and development: requirements-dev.lock
# holds both), by pip-audit against PyPI's vulnerability data. Run by `make lint`, so by CI.
#
# * A vulnerability found fails (exit 1): upgrade the pin (`make lock LOCK_FLAGS="--upgrade-package
#   NAME"`), or, if no fixed version exists yet, say why in AUDIT_IGNORE (space-separated ids).
# * PyPI not answering (no network, an outage, an index that does not serve the per-version JSON
#   pip-audit reads) is not a finding: tried twice, then a warning, and the run goes on.
set -euo pipefail
cd "$(dirname "$0")/.."
LOCK="${AUDIT_LOCK:-requirements-dev.lock}"
PIP_AUDIT="${PIP_AUDIT:-.venv/bin/pip-audit}"
ignores=()
for id in ${AUDIT_IGNORE:-}; do ignores+=(--ignore-vuln "$id"); done
report="$(mktemp)"
trap 'rm -f "$report"' EXIT

for attempt in 1 2; do
  status=0
  "$PIP_AUDIT" --requirement "$LOCK" --require-hashes --disable-pip --progress-spinner off \
    --format json --output "$report" --timeout 30 "${ignores[@]}" 2>/dev/null || status=$?
  verdict=0
  .venv/bin/python - "$report" "$status" <<'PY' || verdict=$?
import json
import sys

path, status = sys.argv[1], int(sys.argv[2])
try:
    with open(path) as f:
        report = json.load(f)
except (OSError, ValueError):
    print(f"pip-audit: no report (exit {status})", file=sys.stderr)
    sys.exit(3)  # could not ask: retry, then warn
dependencies = report.get("dependencies", [])
found = [d for d in dependencies if d.get("vulns")]
for dep in found:
    for vuln in dep["vulns"]:
        fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
        print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
if found:
    sys.exit(1)
audited = [d for d in dependencies if "skip_reason" not in d]
if dependencies and not audited:
    print("pip-audit: PyPI answered for none of the packages", file=sys.stderr)
    sys.exit(3)
skipped = [d["name"] for d in dependencies if "skip_reason" in d]
if skipped:
    print(f"warning: pip-audit could not check {len(skipped)}: {' '.join(skipped)}")
print(f"pip-audit: {len(audited)} locked packages, no known vulnerabilities")
PY
  case "$verdict" in
    0) exit 0 ;;
    1) echo "error: known vulnerabilities in $LOCK (see above)" >&2; exit 1 ;;
  esac
  [[ $attempt == 1 ]] && sleep "${AUDIT_RETRY_SECONDS:-10}"
done
echo "warning: pip-audit could not reach PyPI's vulnerability data (twice); $LOCK NOT audited" >&2
exit 0
