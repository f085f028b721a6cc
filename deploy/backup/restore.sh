#!/usr/bin/env bash
# Restore one backup made by deploy/backup/backup.sh (README, "Backup and restore"):
#
#   restore.sh IDENTITY_FILE familievaerft-<time>.dump.age        into $PGDATABASE
#   restore.sh IDENTITY_FILE familievaerft-<time>.media.tar.age   into $BACKUP_MEDIA_DIR
#
# IDENTITY_FILE is the age private key the backups were encrypted to (age-keygen's output).
# The database must exist and be empty, owned by the role restored as (PGUSER, the tables'
# owner familievaerft): every object is created owned by it, in one transaction that stops at
# the first error. The app role's privileges come back with `manage.py grant_app_role
# familievaerft_app`, which the migrate service runs whenever the stack starts.
set -euo pipefail
identity="${1:?usage: restore.sh IDENTITY_FILE BACKUP_FILE}"
backup="${2:?usage: restore.sh IDENTITY_FILE BACKUP_FILE}"
if [[ -n "${PGPASSWORD_FILE:-}" ]]; then
  PGPASSWORD="$(cat "$PGPASSWORD_FILE")"
  export PGPASSWORD
fi
case "$backup" in
  *.dump.age)
    age --decrypt --identity "$identity" "$backup" \
      | pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
          --dbname "${PGDATABASE:?set PGDATABASE}"
    echo "restore: $backup into database $PGDATABASE"
    ;;
  *.media.tar.age)
    media="${BACKUP_MEDIA_DIR:-/app/media}"
    mkdir -p "$media"
    age --decrypt --identity "$identity" "$backup" | tar --extract --file - --directory "$media"
    echo "restore: $backup into $media"
    ;;
  *)
    echo "restore: not a backup file: $backup" >&2
    exit 2
    ;;
esac
