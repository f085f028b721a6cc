#!/usr/bin/env bash
# Command-line tools the tests run besides Python's: age, which encrypts the backups
# (deploy/backup/, tests/test_production_shape.py); pg_dump and pg_restore come with PostgreSQL.
# Installed from Debian's packages when missing and we are allowed to.
set -euo pipefail
if command -v age >/dev/null && command -v age-keygen >/dev/null; then exit 0; fi
if [[ $(id -u) -eq 0 ]]; then
  echo "Installing Debian's age for the backup tests"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq age >/dev/null 2>&1 || {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq age >/dev/null
  }
else
  echo "warning: age is missing; install it with: sudo apt-get install age" >&2
fi
