#!/bin/sh
# The secrets docker-compose.yml hands to its services (compose `secrets:`, mounted at
# /run/secrets/NAME and read through the *_FILE variables), made once, beside the compose file:
#
#   secrets/secret_key          Django's SECRET_KEY (web, worker, beat, migrate)
#   secrets/postgres_password   the db service's superuser postgres (administration only)
#   secrets/db_owner_password   familievaerft, the tables' owner (migrate, backup)
#   secrets/db_app_password     familievaerft_app, the restricted role (web, worker, beat)
#
# Run from the checkout: deploy/make-secrets.sh [directory, default ./secrets]. A file that
# exists is kept (the database's roles were made with it). Each value is random, URL-safe and
# written without a trailing newline. The directory is readable by its owner only; the files
# are readable inside the containers (compose mounts them as they are, and the app runs as uid
# 10001, PostgreSQL as uid 999). tests/test_production_shape.py runs this script.
set -eu
dir="${1:-secrets}"
umask 077
mkdir -p "$dir"
chmod 700 "$dir"
for name in secret_key postgres_password db_owner_password db_app_password; do
  file="$dir/$name"
  if [ -s "$file" ]; then
    echo "kept $file"
    continue
  fi
  # 48 random bytes as URL-safe base64: 64 characters, no "/", "+" or "=".
  head -c 48 /dev/urandom | base64 | tr -d '\n' | tr '+/' '-_' | tr -d '=' > "$file"
  chmod 644 "$file"
  echo "made $file"
done
