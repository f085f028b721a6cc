"""The network app's API views: the people on a case's network map (those not removed) and
its network and dialogue meetings, read only. The case is loaded through ``case_for_api``
(logged; outsiders 404)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.access import case_for_api
from network.api.serializers import MeetingSerializer, NetworkMemberSerializer
from network.models import Meeting, NetworkMember


class CaseNetworkMembers(generics.GenericAPIView):
    serializer_class = NetworkMemberSerializer
    queryset = NetworkMember.objects.none()
    pagination_class = None

    @extend_schema(
        operation_id="case_network_members_list",
        summary="Barnets netværk (personerne på netværkskortet)",
        responses={200: NetworkMemberSerializer(many=True)},
    )
    def get(self, request: Request, case_id: Any) -> Response:
        case = case_for_api(request, case_id)
        members = NetworkMember.objects.filter(case=case, removed_at=None)
        return Response(self.get_serializer(members, many=True).data)


class CaseNetworkMeetings(generics.GenericAPIView):
    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()
    pagination_class = None

    @extend_schema(
        operation_id="case_network_meetings_list",
        summary="Netværks- og dialogmøder",
        responses={200: MeetingSerializer(many=True)},
    )
    def get(self, request: Request, case_id: Any) -> Response:
        case = case_for_api(request, case_id)
        meetings = (
            Meeting.objects.filter(case=case)
            .prefetch_related("invitees")
            .order_by("-starts_at", "-id")
        )
        return Response(self.get_serializer(meetings, many=True).data)
