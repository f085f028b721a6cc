#!/usr/bin/env bash
# The family portal's front end (Det Fælles Designsystem, npm package dkfds, version pinned in
# package.json and package-lock.json) in static/vendor/dkfds/. The copied files are committed,
# so a checkout (and the Docker build, and CI) needs no npm: this does nothing while
# static/vendor/dkfds/VERSION matches the lock file. After a version change in package.json
# (`npm install dkfds@X --ignore-scripts`), it runs `npm ci` and copies the files again
# (scripts/dkfds-copy.mjs); `scripts/assets.sh --force` copies them again regardless.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(python3 -c 'import json; print(json.load(open("package-lock.json"))["packages"]["node_modules/dkfds"]["version"])')
have=$(cat static/vendor/dkfds/VERSION 2>/dev/null || true)
if [[ "${1:-}" != "--force" && "$have" == "$want" && -f static/vendor/dkfds/css/dkfds-borgerdk.min.css ]]; then
  exit 0
fi
command -v npm >/dev/null || { echo "error: npm is needed to install dkfds $want (apt-get install npm)" >&2; exit 1; }
npm ci --ignore-scripts --no-audit --no-fund --prefer-offline
node scripts/dkfds-copy.mjs
