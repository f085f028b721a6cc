"""The network app's API serializers: the people on the child's network map and the network
and dialogue meetings (with the ids of the members invited), as read."""

from rest_framework import serializers

from network.models import Meeting, NetworkMember


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
