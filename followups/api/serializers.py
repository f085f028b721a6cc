"""The followups app's API serializers: follow-ups (§ 95) and the input of a held one,
logged sessions and the input of a new one, and the caller's own reminders. The network's and
the closing letters' serializers live in network.api and letters.api."""

from rest_framework import serializers

from followups.models import FollowUp, GoalEvaluation, Reminder, Session
from followups.sessions import DURATION_MAX, DURATION_MIN, FAMILY_SUMMARY_MAX
from followups.sessions import INTERNAL_NOTE_MAX as SESSION_NOTE_MAX

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
