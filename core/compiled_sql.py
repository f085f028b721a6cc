"""Querysets built and compiled to SQL once, then run again and again with new values.

Building a queryset and compiling it to SQL costs Django more CPU than PostgreSQL needs to run
the query when it is small (``make bench``: ~2 ms of the ~2.1 ms that Mine sager's page of 25
cases cost). A page that runs the same query for the same user all day can compile it once:

    rows(build, user.pk, user.role, filters, today)

calls ``build(*args, now=MARK_NOW)`` the first time it sees those arguments, keeps the
queryset's SQL and parameters, and runs that SQL on later calls, with ``now`` put where the
marker was (``now`` must reach the query only as itself, not as a date or time derived from
it). ``build`` must be a module-level function whose queryset depends on nothing but its
arguments (and ``now``), and it must return a ``values_list`` queryset for ``rows`` (the
database's tuples) or a ``values`` queryset for ``dicts``. PostgreSQL's driver returns the
types the ORM would (aware datetimes, dates, UUIDs); other databases (SQLite for ``make run``)
need the ORM's converters, so there the queryset is built and run through the ORM each time.
"""

import datetime as dt
import functools
from collections.abc import Callable, Hashable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

# Stands for "now" while compiling; no real query asks about this microsecond.
MARK_NOW = dt.datetime(1900, 1, 1, 0, 0, 0, 424242, tzinfo=dt.UTC)

Builder = Callable[..., QuerySet[Any]]


@functools.lru_cache(maxsize=1024)  # a few kB of SQL per entry
def _compiled(build: Builder, args: tuple[Hashable, ...]) -> tuple[str, tuple[Any, ...]] | None:
    """The SQL and parameters, or None for a queryset that can match nothing (``[0:0]``,
    ``none()``), which Django answers without a query."""
    try:
        sql, params = build(*args, now=MARK_NOW).query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def rows(build: Builder, *args: Hashable, now: dt.datetime | None = None) -> list[tuple[Any, ...]]:
    """The rows of the ``values_list`` queryset ``build(*args, now=now)``."""
    if connection.vendor != "postgresql":
        return list(build(*args, now=now))
    return _run(build, args, now, as_dicts=False)


def dicts(build: Builder, *args: Hashable, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The rows of the ``values`` queryset ``build(*args, now=now)``, keyed by the SQL's column
    names (the queryset's keys, for columns it selects by their own names or aliases)."""
    if connection.vendor != "postgresql":
        return list(build(*args, now=now))
    return _run(build, args, now, as_dicts=True)


def _run(build: Builder, args: tuple[Hashable, ...], now: dt.datetime | None, *, as_dicts: bool):
    compiled = _compiled(build, args)
    if compiled is None:
        return []
    sql, params = compiled
    if now is not None:
        params = tuple(now if value == MARK_NOW else value for value in params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if not as_dicts:
            return cursor.fetchall()
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
