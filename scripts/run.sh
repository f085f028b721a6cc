#!/usr/bin/env bash
# Serve the app. Without REDIS_URL, Celery tasks run in-process; with it, start a worker
# (with the beat scheduler embedded) next to the development server and stop it on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# Raise the reminders due now (the demo's overdue follow-ups, say) before anyone logs in; the
# sweep is idempotent, so the beat schedule running it again soon after adds nothing.
$PY manage.py sweep_reminders
if [[ -n "${REDIS_URL:-}" ]]; then
  .venv/bin/celery -A familievaerft worker --beat --loglevel=INFO --concurrency=2 &
  worker=$!
  trap 'kill $worker 2>/dev/null || true' EXIT
fi
echo "Familieværft: http://127.0.0.1:8000  (demo logins in README.md)"
$PY manage.py runserver 127.0.0.1:8000
