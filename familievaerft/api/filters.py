import django_filters

from cases.models import Case, CaseStatus


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, help_text="Sagens status.")
    is_open = django_filters.BooleanFilter(
        method="filter_is_open",
        help_text="true: kun åbne sager (som »Mine sager« viser som standard); false: kun lukkede.",
    )
    team = django_filters.NumberFilter(field_name="team_id", help_text="Teamets id.")
    owner = django_filters.NumberFilter(field_name="owner_id", help_text="Sagsbehandlerens id.")
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Kun sager ændret siden (ISO 8601, fx 2026-11-01T00:00:00+01:00).",
    )

    class Meta:
        model = Case
        fields = ["status", "is_open", "team", "owner", "updated_since"]

    def filter_is_open(self, queryset, name, value):  # type: ignore[no-untyped-def]
        if value is None:
            return queryset
        closed = queryset.filter(status=CaseStatus.CLOSED)
        return queryset.exclude(status=CaseStatus.CLOSED) if value else closed
