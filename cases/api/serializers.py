"""The cases app's API serializers: cases and citizens as the API shows them (a CPR number
appears only in CitizenDetail), and a case's notifications, assessments and measures, both as
read and as the input of their writes. Serializers of plans, follow-ups, the network and
letters live in those apps' own ``api`` packages."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from access.rules import case_access
from accounts.models import Team, User
from cases.models import (
    Assessment,
    Case,
    Citizen,
    HoursStep,
    Measure,
    Notification,
)
from core.cpr import normalise_cpr, validate_cpr

# Nothing in a case predates the system's law by decades; far older times are typing errors.
EARLIEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)


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


class NotificationSerializer(serializers.ModelSerializer):
    """A notification; who reported is left out for a caller who may not see a reporter that
    asked not to be known by the family (``CaseAccess.may_see_reporter``)."""

    REPORTER_FIELDS = ("reporter_name", "reporter_organisation", "reporter_email")

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not case_access(request.user, instance.case).may_see_reporter(
            instance
        ):
            data.update(dict.fromkeys(self.REPORTER_FIELDS, ""))
        return data

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "received_at",
            "reporter_kind",
            "reporter_name",
            "reporter_organisation",
            "reporter_email",
            "concern",
            "registered_at",
            "acute_judged_at",
            "acute_outcome",
            "receipt_sent_at",
        ]


class NotificationInput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Notification.Kind.choices, default=Notification.Kind.NOTIFICATION
    )
    received_at = serializers.DateTimeField()
    reporter_kind = serializers.ChoiceField(choices=Notification.ReporterKind.choices)
    reporter_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reporter_organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reporter_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    concern = serializers.CharField(max_length=20000)

    def validate_received_at(self, value: dt.datetime) -> dt.datetime:
        if value < EARLIEST:
            raise serializers.ValidationError(_("Modtagelsestidspunktet er for langt tilbage."))
        return value


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assessment
        fields = [
            "id",
            "kind",
            "started_on",
            "finished_on",
            "conclusion",
            "parents_view",
            "child_view",
        ]


class HoursStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = HoursStep
        fields = ["position", "weeks", "hours_per_week"]


class MeasureSerializer(serializers.ModelSerializer):
    legal_basis = serializers.SlugRelatedField(slug_field="code", read_only=True)
    legal_basis_title = serializers.CharField(source="legal_basis.title", read_only=True)
    therapists = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    hours_steps = HoursStepSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "legal_basis",
            "legal_basis_title",
            "purpose",
            "expected_duration_months",
            "start_date",
            "planned_end_date",
            "ended_on",
            "provider_team",
            "therapists",
            "consent_given_on",
            "decided_at",
            "hours_steps",
        ]
