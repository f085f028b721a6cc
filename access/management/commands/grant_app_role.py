"""``manage.py grant_app_role <role>``: the privileges of the database role the app runs as.

On PostgreSQL, migrations run as the role that owns the tables (``MIGRATE_DATABASE_URL``) and
the app (web, worker, beat) as a role that owns nothing (``DATABASE_URL``). Run this as the
owner after every ``migrate`` (docker compose's ``migrate`` service does); it is idempotent. It
gives ``<role>``:

* CONNECT on the database and USAGE on the schema;
* SELECT, INSERT, UPDATE and DELETE on every table, USAGE and SELECT on every sequence, and the
  same by default on the tables and sequences later migrations create;
* on the access log only SELECT and INSERT: the row triggers refuse UPDATE and DELETE anyway,
  and without TRUNCATE and without owning the table the role can neither empty it nor disable
  or replace its triggers;
* on Django's migration history only SELECT.

It refuses a role that could reach the owner's rights: the owner itself, a superuser, a role
with CREATEROLE, a member of the owner role, or a role that owns anything in the database.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _
from psycopg import sql

from access.models import AccessLogEntry


class Command(BaseCommand):
    help = _(
        "Giver databaserollen, som appen kører som, rettigheder til tabellerne: læse og skrive, "
        "men kun læse og tilføje i adgangsloggen. Køres som tabellernes ejer efter migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help=_("Appens databaserolle (den i DATABASE_URL)."))

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(_("grant_app_role er kun til PostgreSQL."))
        role: str = options["role"]
        with transaction.atomic():
            database, schema = self._check(role)
            for statement in self._statements(role, database, schema):
                self._execute(statement)
        self.stdout.write(
            _("%(role)s må læse og skrive i tabellerne og kun læse og tilføje i adgangsloggen.")
            % {"role": role}
        )

    def _check(self, role: str) -> tuple[str, str]:
        """The database and schema to grant in; CommandError for a role that may not be the
        app's."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT current_database(), current_schema(),
                       r.rolname = current_user, r.rolsuper, r.rolcreaterole,
                       pg_has_role(r.oid, current_user, 'MEMBER')
                       OR pg_has_role(
                           r.oid, (SELECT relowner FROM pg_class WHERE oid = %s::regclass), 'MEMBER'
                       ),
                       EXISTS (SELECT 1 FROM pg_class WHERE relowner = r.oid)
                       OR EXISTS (SELECT 1 FROM pg_proc WHERE proowner = r.oid)
                       OR EXISTS (SELECT 1 FROM pg_namespace WHERE nspowner = r.oid)
                       OR EXISTS (SELECT 1 FROM pg_type WHERE typowner = r.oid)
                       OR EXISTS (
                           SELECT 1 FROM pg_database
                           WHERE datdba = r.oid AND datname = current_database()
                       )
                FROM pg_roles r WHERE r.rolname = %s
                """,
                [AccessLogEntry._meta.db_table, role],
            )
            row = cursor.fetchone()
        if row is None:
            raise CommandError(_("Rollen %(role)s findes ikke.") % {"role": role})
        database, schema, is_me, is_superuser, creates_roles, is_member, owns = row
        if is_me or is_member:
            reason = _("er (medlem af) tabellernes ejer, som kører migrate")
        elif is_superuser:
            reason = _("er superbruger")
        elif creates_roles:
            reason = _("har CREATEROLE og kan give sig selv ejerens rettigheder")
        elif owns:
            reason = _("ejer objekter i databasen")
        else:
            return database, schema
        raise CommandError(
            _("Rollen %(role)s kan ikke være appens rolle: den %(reason)s.")
            % {"role": role, "reason": reason}
        )

    def _statements(self, role: str, database: str, schema: str) -> list[sql.Composable]:
        grantee = sql.Identifier(role)
        in_schema = sql.Identifier(schema)
        log = sql.Identifier(schema, AccessLogEntry._meta.db_table)
        history = sql.Identifier(schema, MigrationRecorder.Migration._meta.db_table)
        return [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), grantee),
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(in_schema, grantee),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(
                in_schema, grantee
            ),
            # Nothing else, should an earlier grant have given more.
            sql.SQL(
                "REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {} FROM {}"
            ).format(in_schema, grantee),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
                in_schema, grantee
            ),
            sql.SQL("REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(
                in_schema, grantee
            ),
            # Tables and sequences that later migrations create (as this role, the owner).
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA {} "
                "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
            ).format(in_schema, grantee),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES TO {}"
            ).format(in_schema, grantee),
            # The access log: read and append, nothing else, for the app and for everybody.
            sql.SQL("REVOKE ALL ON TABLE {} FROM {}, PUBLIC").format(log, grantee),
            sql.SQL("GRANT SELECT, INSERT ON TABLE {} TO {}").format(log, grantee),
            # The migration history is written by migrate only.
            sql.SQL("REVOKE INSERT, UPDATE, DELETE ON TABLE {} FROM {}").format(history, grantee),
        ]

    def _execute(self, statement: sql.Composable) -> None:
        connection.ensure_connection()
        text = statement.as_string(connection.connection)
        with connection.cursor() as cursor:
            cursor.execute(text)
