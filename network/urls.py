"""The network of a case, under /sager/<uuid:case_id>/netvaerk/ (names in ``network``); the
family's view of the map is in the portal (portal/urls.py, ``family:network``). Every view loads
the case through ``cases.pages.case_page``; tests/network/test_network_access.py checks every
pattern here for every persona."""

from django.urls import path

from network.views import meetings, page, versions

app_name = "network"

P = "sager/<uuid:case_id>/netvaerk/"

urlpatterns = [
    path(P, page.network_detail, name="network_detail"),
    path(f"{P}kort.svg", page.network_map_svg, name="network_map_svg"),
    path(f"{P}personer/ny/", page.network_member_add, name="network_member_add"),
    path(f"{P}personer/<int:member_id>/", page.network_member_edit, name="network_member_edit"),
    path(
        f"{P}personer/<int:member_id>/flyt/", page.network_member_move, name="network_member_move"
    ),
    path(
        f"{P}personer/<int:member_id>/fjern/",
        page.network_member_remove,
        name="network_member_remove",
    ),
    # Versions
    path(f"{P}versioner/", versions.network_snapshots, name="network_snapshots"),
    path(f"{P}versioner/ny/", versions.network_snapshot_take, name="network_snapshot_take"),
    path(
        f"{P}versioner/<int:snapshot_id>/kort.svg",
        versions.network_snapshot_svg,
        name="network_snapshot_svg",
    ),
    path(f"{P}sammenlign/", versions.network_compare, name="network_compare"),
    # Meetings
    path(f"{P}moeder/", meetings.meeting_list, name="meeting_list"),
    path(f"{P}moeder/nyt/", meetings.meeting_create, name="meeting_create"),
    path(f"{P}moeder/<int:meeting_id>/", meetings.meeting_detail, name="meeting_detail"),
    path(f"{P}moeder/<int:meeting_id>/ret/", meetings.meeting_edit, name="meeting_edit"),
    path(f"{P}moeder/<int:meeting_id>/referat/", meetings.meeting_record, name="meeting_record"),
    path(f"{P}moeder/<int:meeting_id>/inviter/", meetings.meeting_invite, name="meeting_invite"),
    path(
        f"{P}moeder/<int:meeting_id>/beslutninger/ny/",
        meetings.meeting_decision_add,
        name="meeting_decision_add",
    ),
    path(
        f"{P}beslutninger/<int:decision_id>/fjern/",
        meetings.meeting_decision_remove,
        name="meeting_decision_remove",
    ),
    path(
        f"{P}beslutninger/<int:decision_id>/til-plan/",
        meetings.meeting_decision_to_plan,
        name="meeting_decision_to_plan",
    ),
]
