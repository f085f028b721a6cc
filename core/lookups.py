"""The project's own ORM lookups, registered on their fields by ``CoreConfig.ready()``.

``in_array``: ``field__in_array=<queryset>`` means the same rows as ``field__in=<queryset>``,
written for PostgreSQL as ``field = ANY(ARRAY(<subquery>))`` instead of ``field IN
(<subquery>)``.

Why: with ``IN (subquery)`` PostgreSQL plans a semi-join from its *estimate* of the
subquery's size. For the cases a user may see (a UNION of the cases they own, lead, are
assigned to or have been shared) it estimated far too many rows and, at 100,000 cases, chose a
hash join over a sequential scan of every case: tens of milliseconds per query, growing with
the table (found by ``make bench``). ``ARRAY(subquery)`` is an uncorrelated sub-select that
PostgreSQL evaluates once, as an init plan, and ``= ANY(array)`` then finds each id through
the primary-key index, whatever the estimate. On other databases (SQLite for ``make run``)
the lookup is the plain ``IN``, which is what the ORM's ``__in`` writes.

The per-database SQL is chosen the way Django documents for expressions and lookups: the
generic ``as_sql`` and a ``as_postgresql`` that the compiler calls on PostgreSQL. A list of
values (not a subquery) is written as ``__in`` writes it on every database.
"""

from typing import Any

from django.db.models import Field, IntegerField, UUIDField
from django.db.models.lookups import In


class InArray(In):
    """``field__in_array=<queryset>``: ``= ANY(ARRAY(<subquery>))`` on PostgreSQL, ``IN``
    elsewhere; the rows are those of ``field__in``."""

    lookup_name = "in_array"

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        if self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)  # "(SELECT …)"
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


# The fields ``in_array`` is registered on: UUID primary keys (cases) and integer ones
# (AutoField and BigAutoField are IntegerFields).
IN_ARRAY_FIELDS: tuple[type[Field], ...] = (UUIDField, IntegerField)


def register() -> None:
    """Register the lookups on their fields (``CoreConfig.ready()``); idempotent."""
    for field in IN_ARRAY_FIELDS:
        field.register_lookup(InArray)
