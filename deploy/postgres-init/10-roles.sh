#!/bin/sh
# The database roles of Familieværft. The db service of docker-compose.yml mounts this directory
# at /docker-entrypoint-initdb.d/; the postgres image runs it once, when it creates an empty data
# directory, as its superuser (POSTGRES_USER) against the new database (POSTGRES_DB).
#
# * DB_OWNER_ROLE (familievaerft) owns the database, and so every table migrations create: the
#   migrate service connects as it (MIGRATE_DATABASE_URL), and so do backups (pg_dump).
# * DB_APP_ROLE (familievaerft_app) is what web, worker and beat connect as (DATABASE_URL). It
#   owns nothing and may not create anything; `manage.py grant_app_role`, run by the migrate
#   service after every migrate, lets it read and write the tables but only read and append to
#   the access log, so the running app can neither rewrite nor empty its own log nor disable
#   the triggers that protect it.
# * POSTGRES_USER (postgres) stays the superuser, for administration only; nothing connects as it.
#
# Passwords come from files, compose's secrets db_owner_password and db_app_password
# (DB_OWNER_PASSWORD_FILE, DB_APP_PASSWORD_FILE; deploy/make-secrets.sh makes them), or else
# from the variables DB_OWNER_PASSWORD and DB_APP_PASSWORD. This runs only into an empty data
# directory: to change a password later, write the new secret file and
# `docker compose exec db psql -U postgres -c "ALTER ROLE familievaerft_app PASSWORD '...'"`.
# tests/test_production_shape.py runs this script against the local PostgreSQL.
set -e
if [ -n "${DB_OWNER_PASSWORD_FILE:-}" ]; then DB_OWNER_PASSWORD="$(cat "$DB_OWNER_PASSWORD_FILE")"; fi
if [ -n "${DB_APP_PASSWORD_FILE:-}" ]; then DB_APP_PASSWORD="$(cat "$DB_APP_PASSWORD_FILE")"; fi
: "${POSTGRES_USER:?}" "${POSTGRES_DB:?}"
: "${DB_OWNER_ROLE:?}" "${DB_OWNER_PASSWORD:?no secret db_owner_password (deploy/make-secrets.sh)}"
: "${DB_APP_ROLE:?}" "${DB_APP_PASSWORD:?no secret db_app_password (deploy/make-secrets.sh)}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set=database="$POSTGRES_DB" \
    --set=owner="$DB_OWNER_ROLE" --set=owner_password="$DB_OWNER_PASSWORD" \
    --set=app="$DB_APP_ROLE" --set=app_password="$DB_APP_PASSWORD" <<'SQL'
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
-- The owner of the database owns its schema public too (pg_database_owner, PostgreSQL 15):
-- only it may create tables there.
ALTER DATABASE :"database" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"database" TO :"app";
SQL
