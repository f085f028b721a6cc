"""Follow-ups, sessions, reminders, the network and closing letters as the API shows them."""

from rest_framework import serializers

from followups.models import FollowUp, GoalEvaluation, Reminder, Session
from followups.sessions import DURATION_MAX, DURATION_MIN, FAMILY_SUMMARY_MAX
from followups.sessions import INTERNAL_NOTE_MAX as SESSION_NOTE_MAX
from letters.models import ClosingLetter
from network.models import Meeting, NetworkMember

ID = {"min_value": 1, "max_value": 2**63 - 1}


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = [
            "id",
            "measure",
            "number",
            "due_on",
            "held_on",
            "participants",
            "decision",
            "decision_reasons",
            "schedule_reasons",
            "completed_at",
        ]


class GoalEvaluationInput(serializers.Serializer):
    goal = serializers.IntegerField(**ID)
    verdict = serializers.ChoiceField(choices=GoalEvaluation.Verdict.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class FollowUpCompleteInput(serializers.Serializer):
    """A held follow-up, as the follow-up page records it (followup_complete)."""

    held_on = serializers.DateField()
    participants = serializers.CharField(max_length=5000)
    decision = serializers.ChoiceField(choices=FollowUp.Decision.choices)
    decision_reasons = serializers.CharField(max_length=5000)
    evaluations = GoalEvaluationInput(many=True, required=False, default=list)
    rating_round = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)
    revise_plan = serializers.BooleanField(required=False, default=False)
    next_dates = serializers.ListField(
        child=serializers.DateField(), required=False, default=list, max_length=6
    )
    schedule_reasons = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )


class SessionSerializer(serializers.ModelSerializer):
    """A logged session. The therapist's internal note stays on the case pages."""

    family_participants = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    goals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    methods = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Session
        fields = [
            "id",
            "measure",
            "therapist",
            "second_therapist",
            "status",
            "date",
            "start_time",
            "duration_minutes",
            "location",
            "location_other",
            "family_participants",
            "network_participants",
            "methods",
            "goals",
            "family_summary",
            "logged_at",
        ]


class SessionInput(serializers.Serializer):
    measure = serializers.IntegerField(**ID, help_text="Indsatsens id (du skal være tilknyttet).")
    date = serializers.DateField()
    start_time = serializers.TimeField()
    duration_minutes = serializers.IntegerField(min_value=DURATION_MIN, max_value=DURATION_MAX)
    location = serializers.ChoiceField(choices=Session.Location.choices)
    location_other = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    family_participants = serializers.ListField(
        child=serializers.IntegerField(**ID), required=False, default=list
    )
    network_participants = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    second_therapist = serializers.IntegerField(**ID, required=False, allow_null=True, default=None)
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=Session.Method.choices), allow_empty=False
    )
    goals = serializers.ListField(
        child=serializers.IntegerField(**ID), required=False, default=list
    )
    internal_note = serializers.CharField(
        max_length=SESSION_NOTE_MAX, required=False, allow_blank=True, default=""
    )
    family_summary = serializers.CharField(
        max_length=FAMILY_SUMMARY_MAX, required=False, allow_blank=True, default=""
    )


class ReminderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reminder
        fields = ["id", "case", "item", "level", "title", "due_at", "created_at", "read_at"]


class NetworkMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = NetworkMember
        fields = [
            "id",
            "name",
            "relation",
            "sector",
            "circle",
            "role",
            "phone",
            "email",
            "address",
            "consent_given_by",
            "consent_given_on",
            "consent_withdrawn_on",
            "child_wants_invited",
            "given_by_family",
            "created_at",
            "updated_at",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    invitees = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "kind", "starts_at", "place", "purpose", "status", "minutes", "invitees"]

    def get_invitees(self, meeting: Meeting) -> list[int]:
        return [invitee.member_id for invitee in meeting.invitees.all()]


class ClosingLetterSerializer(serializers.ModelSerializer):
    approved_version_number = serializers.IntegerField(
        source="approved_version.number", read_only=True, allow_null=True
    )
    pdf_ready = serializers.SerializerMethodField()

    class Meta:
        model = ClosingLetter
        fields = [
            "id",
            "measure",
            "author",
            "status",
            "review_due_on",
            "approved_version_number",
            "approved_at",
            "sent_at",
            "created_at",
            "pdf_ready",
        ]

    def get_pdf_ready(self, letter: ClosingLetter) -> bool:
        return bool(getattr(letter, "pdf_ready", False))
