"""Cases and citizens as the API shows them. A CPR number appears only in CitizenDetail."""

from rest_framework import serializers

from accounts.models import Team, User
from cases.models import Case, Citizen
from core.cpr import normalise_cpr, validate_cpr


class PersonRef(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]


class TeamRef(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]


class CitizenSummary(serializers.ModelSerializer):
    """A citizen without the CPR number (lists, cases)."""

    class Meta:
        model = Citizen
        fields = ["id", "first_name", "last_name", "birth_date"]


class CitizenDetail(serializers.ModelSerializer):
    """A citizen the caller may see, with the CPR number (DDMMYYSSSS)."""

    class Meta:
        model = Citizen
        fields = [
            "id",
            "first_name",
            "last_name",
            "cpr",
            "birth_date",
            "address",
            "postal_code",
            "city",
            "school_or_daycare",
        ]


class CitizenSearch(serializers.Serializer):
    cpr = serializers.CharField(
        max_length=11,
        write_only=True,
        help_text="CPR-nummer, 10 cifre (DDMMÅÅSSSS eller DDMMÅÅ-SSSS). Kun eksakt match.",
    )

    def validate_cpr(self, value: str) -> str:
        cpr = normalise_cpr(value)
        validate_cpr(cpr)
        return cpr


class CaseSerializer(serializers.ModelSerializer):
    citizen = CitizenSummary(read_only=True)
    owner = PersonRef(read_only=True)
    team = TeamRef(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "citizen",
            "owner",
            "team",
            "opened_at",
            "closed_at",
            "reopened_at",
            "updated_at",
        ]
