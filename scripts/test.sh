#!/usr/bin/env bash
# The test suite, on PostgreSQL and Redis of this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-services.sh
scripts/ensure-chromium.sh
scripts/ensure-tools.sh
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/familievaerft}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/15}"
export APP_ENV="${APP_ENV:-development}"
DATABASE_URL=sqlite:///:memory: .venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "error: models changed without a migration (run manage.py makemigrations)" >&2
  exit 1
}
# Two or more workers (pytest-xdist, one test database each), at most four; modules with an
# expensive module-wide fixture stay on one worker (xdist_group). PYTEST_WORKERS=0 runs serially.
workers="${PYTEST_WORKERS:-$(n=$(nproc); echo $(( n < 2 ? 2 : (n > 4 ? 4 : n) )))}"
exec .venv/bin/pytest -n "$workers" --dist loadgroup "$@"
