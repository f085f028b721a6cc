"""The network app's API routes: a case's network members and meetings. Included by
familievaerft/api_urls.py under the "api" namespace; the paths and names are part of the
API's contract."""

from django.urls import path

from network.api import views

urlpatterns = [
    path(
        "cases/<uuid:case_id>/network/members/",
        views.CaseNetworkMembers.as_view(),
        name="case_network_members",
    ),
    path(
        "cases/<uuid:case_id>/network/meetings/",
        views.CaseNetworkMeetings.as_view(),
        name="case_network_meetings",
    ),
]
