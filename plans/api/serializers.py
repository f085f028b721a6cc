"""The plans app's API serializers: the case's plan with its goals, who does what and the
scaling rounds, as read; and the input of a new goal and of a rating round."""

from rest_framework import serializers

from plans.models import Area, Goal, Plan, Rating, RatingRound, Responsibility
from plans.services import RATING_MAX, RATING_MIN


class ResponsibilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Responsibility
        fields = [
            "id",
            "assignee_kind",
            "assignee_name",
            "family_member",
            "professional",
            "task",
            "when",
        ]


class GoalSerializer(serializers.ModelSerializer):
    responsibilities = ResponsibilitySerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = [
            "id",
            "area",
            "family_wording",
            "professional_wording",
            "formulated_by",
            "target_date",
            "status",
            "position",
            "responsibilities",
        ]


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["id", "goal", "rater_kind", "rater_name", "value"]


class RatingRoundSerializer(serializers.ModelSerializer):
    ratings = RatingSerializer(many=True, read_only=True)

    class Meta:
        model = RatingRound
        fields = ["id", "held_on", "note", "recorded_at", "ratings"]


class PlanSerializer(serializers.ModelSerializer):
    goals = GoalSerializer(many=True, read_only=True)
    rating_rounds = RatingRoundSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "kind",
            "purpose",
            "child_voice",
            "parents_view",
            "house_worries",
            "house_good_things",
            "house_dreams",
            "internal_note",
            "version",
            "created_at",
            "updated_at",
            "goals",
            "rating_rounds",
        ]


class GoalInput(serializers.Serializer):
    area = serializers.ChoiceField(choices=Area.choices)
    family_wording = serializers.CharField(max_length=5000)
    professional_wording = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    formulated_by = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    target_date = serializers.DateField(required=False, allow_null=True, default=None)


class RatingInputSerializer(serializers.Serializer):
    goal = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        allow_null=True,
        help_text="Målets id; tom = planen som helhed.",
    )
    rater_kind = serializers.ChoiceField(choices=Rating.RaterKind.choices)
    rater_name = serializers.CharField(max_length=200)
    value = serializers.IntegerField(min_value=RATING_MIN, max_value=RATING_MAX)


class RatingRoundInput(serializers.Serializer):
    held_on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    ratings = RatingInputSerializer(many=True, allow_empty=False)
