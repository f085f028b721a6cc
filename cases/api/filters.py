"""Query-string filters of the case list (GET /api/v1/cases/): status, open or closed, team,
owner, open deadlines before or after a time, changed since; times are ISO 8601, taken as UTC."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from cases.models import Case, CaseStatus, Deadline


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time in UTC: any offset Python accepts (up to ±24 h) is fine here, while
    PostgreSQL refuses offsets beyond ±15:59 and the conversion can overflow near year 1."""

    def to_python(self, value):  # type: ignore[no-untyped-def]
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(_("Ugyldigt tidspunkt."), code="invalid") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


# The range of the ids (BigAutoField). A larger number is refused here with a 400: SQLite
# cannot even bind it ("Python int too large to convert to SQLite INTEGER", a 500), and
# Django's own guard against such numbers does not cover foreign keys.
ID_MIN, ID_MAX = 1, 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number in the range of the ids, else a 400 (Django's own messages)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, min_value=ID_MIN, max_value=ID_MAX, **kwargs)
        schema = {"type": "integer", "minimum": ID_MIN, "maximum": ID_MAX}
        extend_schema_field({**schema, "description": str(self.extra.get("help_text", ""))})(self)


def _open_deadlines():  # type: ignore[no-untyped-def]
    """The open statutory deadlines of the outer case (the partial index covers them)."""
    return Deadline.objects.filter(case=OuterRef("pk"), met_at=None, handled_otherwise_at=None)


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, help_text="Sagens status.")
    is_open = django_filters.BooleanFilter(
        method="filter_is_open",
        help_text="true: kun åbne sager (som »Mine sager« viser som standard); false: kun lukkede.",
    )
    team = IdFilter(field_name="team_id", help_text="Teamets id.")
    owner = IdFilter(field_name="owner_id", help_text="Sagsbehandlerens id.")
    due_before = UtcIsoDateTimeFilter(
        method="filter_due_before",
        help_text="Kun sager med en åben frist, der udløber senest da (ISO 8601).",
    )
    due_after = UtcIsoDateTimeFilter(
        method="filter_due_after",
        help_text="Kun sager med en åben frist, der udløber tidligst da (ISO 8601).",
    )
    updated_since = UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Kun sager ændret siden (ISO 8601, fx 2026-11-01T00:00:00+01:00).",
    )

    class Meta:
        model = Case
        fields = [
            "status",
            "is_open",
            "team",
            "owner",
            "due_before",
            "due_after",
            "updated_since",
        ]

    def filter_due_before(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Exists(_open_deadlines().filter(due_at__lte=value)))

    def filter_due_after(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Exists(_open_deadlines().filter(due_at__gte=value)))

    def filter_is_open(self, queryset, name, value):  # type: ignore[no-untyped-def]
        if value is None:
            return queryset
        closed = queryset.filter(status=CaseStatus.CLOSED)
        return queryset.exclude(status=CaseStatus.CLOSED) if value else closed
