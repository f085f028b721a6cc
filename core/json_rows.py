"""Model instances from rows that PostgreSQL returned as JSON (``row_to_json``, ``json_agg``).

A page that shows a handful of rows from five tables can fetch them in one hand-written query
that nests each table's rows as JSON, instead of five ORM queries that are each built and
compiled in Python on every request (``make bench``: the case overview went from seven
queries and ~3.7 ms of Python to one). The rows become ordinary model instances, so templates,
properties and ``get_absolute_url`` work on them as on any other.

JSON carries no types: each field's value is turned back into what the ORM would have given
(datetimes, dates, UUIDs and decimals arrive as text or numbers).
"""

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def _datetime(value: Any) -> dt.datetime:
    # The connection's time zone is UTC (USE_TZ): "2026-11-24T01:39:16.919379+00:00".
    return dt.datetime.fromisoformat(value)


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "DateTimeField": _datetime,
    "DateField": dt.date.fromisoformat,
    "TimeField": dt.time.fromisoformat,
    "UUIDField": _uuid,
    "DecimalField": _decimal,
}


# Fields whose JSON value is already what the ORM gives.
_AS_IS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "FloatField",
    "BooleanField",
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "URLField",
    "GenericIPAddressField",
    "JSONField",
    "FileField",
}


def _converter(field: Field) -> Callable[[Any], Any] | None:
    internal = field.get_internal_type()
    if internal in ("ForeignKey", "OneToOneField"):
        return _converter(field.target_field)  # type: ignore[attr-defined]
    if internal in _CONVERTERS:
        return _CONVERTERS[internal]
    if internal in _AS_IS:
        return None
    # A DurationField, a BinaryField…: add its conversion before loading it from JSON.
    raise NotImplementedError(f"json_rows cannot load a {internal} ({field})")


@functools.cache
def _plan(model: type[Model]) -> tuple[tuple[str, str, Callable[[Any], Any] | None], ...]:
    """(column, attname, converter) of each concrete field, in the model's field order."""
    return tuple(
        (str(field.column), field.attname, _converter(field))
        for field in model._meta.concrete_fields
    )


def instance(model: type[M], row: dict[str, Any], **related: Model | None) -> M:
    """A model instance, as loaded from the database, from a JSON object keyed by column,
    with ``related`` objects cached on it (``set_related``): ``instance(Note, row, author=u)``.

    Columns missing from the row are deferred, as with ``only()``: reading one loads it.
    """
    names, values = [], []
    for column, attname, convert in _plan(model):
        if column in row:
            value = row[column]
            names.append(attname)
            values.append(value if value is None or convert is None else convert(value))
    obj = model.from_db(DEFAULT_DB_ALIAS, names, values)
    for name, value in related.items():
        set_related(obj, name, value)
    return obj


def instances(model: type[M], rows: Iterable[dict[str, Any]] | None) -> list[M]:
    """``instance`` of each row; ``json_agg`` over no rows gives NULL, hence None here."""
    return [instance(model, row) for row in rows or ()]


def set_related(obj: Model, name: str, related: Model | None) -> None:
    """Cache a forward or reverse one-to-one/foreign-key object on ``obj``, as
    ``select_related`` does, so reading ``obj.<name>`` runs no query."""
    # A ForeignKey or OneToOneField, or for a reverse one-to-one its OneToOneRel: both keep
    # the object in the instance's field cache.
    obj._meta.get_field(name).set_cached_value(obj, related)  # type: ignore[union-attr]
