#!/usr/bin/env bash
# The test suite, on PostgreSQL and Redis of this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-services.sh
scripts/ensure-chromium.sh
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/familievaerft}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/15}"
export APP_ENV="${APP_ENV:-development}"
DATABASE_URL=sqlite:///:memory: .venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "error: models changed without a migration (run manage.py makemigrations)" >&2
  exit 1
}
exec .venv/bin/pytest "$@"
