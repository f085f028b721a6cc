#!/usr/bin/env bash
# Serve the app. Without REDIS_URL, Celery tasks run in-process; with it, start a worker
# (with the beat scheduler embedded) next to the development server and stop it on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# Demo mode unless told otherwise: the demo logins work without a phone (no two-factor code,
# TWO_FACTOR_REQUIRED defaults to off in demo). DEBUG is off in demo; whitenoise serves the
# static files straight from static/ (WHITENOISE_USE_FINDERS outside production).
export APP_ENV="${APP_ENV:-demo}"
# Raise the reminders due now (the demo's overdue follow-ups, say) before anyone logs in; the
# sweep is idempotent, so the beat schedule running it again soon after adds nothing.
$PY manage.py sweep_reminders
if [[ -n "${REDIS_URL:-}" ]]; then
  .venv/bin/celery -A familievaerft worker --beat --loglevel=INFO --concurrency=2 &
  worker=$!
  trap 'kill $worker 2>/dev/null || true' EXIT
fi
echo "Familieværft: http://127.0.0.1:8000  (APP_ENV=$APP_ENV; demo logins in README.md)"
$PY manage.py runserver 127.0.0.1:8000
