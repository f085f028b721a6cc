#!/usr/bin/env bash
# One encrypted backup of Familieværft: the database (pg_dump, custom format) and the media files
# (letters, uploads), each piped straight into age, so nothing unencrypted touches the disk.
# docker-compose.yml's `backup` service runs it (`docker compose --profile backup run --rm
# backup`, e.g. nightly from cron); README, "Backup and restore". deploy/backup/restore.sh
# reverses it. tests/test_production_shape.py runs both against the local PostgreSQL.
#
#   BACKUP_AGE_RECIPIENTS  age public keys ("age1…", space-separated) the backups are encrypted
#                          to. Only the holder of a matching private key (kept offline, not on
#                          this server) can read a backup.
#   BACKUP_DIR             where the files go (default /backups, the `backups` volume)
#   BACKUP_MEDIA_DIR       the media files to back up (default /app/media; none if missing)
#   BACKUP_KEEP_DAYS       backups older than this many days are deleted (default 30; 0 keeps all)
#   PGHOST, PGPORT, PGDATABASE, PGUSER  the database, as libpq reads them; PGPASSWORD_FILE the
#                          file holding the password (a compose secret)
#
# Files: familievaerft-<UTC time>.dump.age and familievaerft-<UTC time>.media.tar.age, written
# under a .partial name and renamed only once complete: a failed run leaves no file that looks
# like a backup.
set -euo pipefail
dir="${BACKUP_DIR:-/backups}"
media="${BACKUP_MEDIA_DIR:-/app/media}"
keep="${BACKUP_KEEP_DAYS:-30}"
: "${BACKUP_AGE_RECIPIENTS:?set BACKUP_AGE_RECIPIENTS (age public keys) in .env}"
if [[ -n "${PGPASSWORD_FILE:-}" ]]; then
  PGPASSWORD="$(cat "$PGPASSWORD_FILE")"
  export PGPASSWORD
fi
recipients=()
for recipient in $BACKUP_AGE_RECIPIENTS; do recipients+=(--recipient "$recipient"); done

umask 077
mkdir -p "$dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
database="$dir/familievaerft-$stamp.dump.age"
files="$dir/familievaerft-$stamp.media.tar.age"
trap 'rm -f "$database.partial" "$files.partial"' EXIT

# Objects without owner and grants: restore.sh restores them as the owner role, and the migrate
# service gives the app role its privileges again (grant_app_role) when the stack starts.
pg_dump --format=custom --no-owner --no-privileges | age "${recipients[@]}" --output "$database.partial"
mv "$database.partial" "$database"
echo "backup: $database ($(wc -c < "$database") bytes)"

if [[ -d "$media" ]]; then
  tar --create --file - --directory "$media" . | age "${recipients[@]}" --output "$files.partial"
  mv "$files.partial" "$files"
  echo "backup: $files ($(wc -c < "$files") bytes)"
fi

if [[ "$keep" -gt 0 ]]; then
  find "$dir" -maxdepth 1 -name 'familievaerft-*.age' -mtime "+$keep" -print -delete \
    | sed 's/^/backup: deleted /'
fi
