"""The follow-ups of a case (names in ``followups``): the tab, one follow-up, and recording it.
tests/followups/test_followup_access.py checks every pattern here for every persona."""

from django.urls import path

from followups.views import followups

P = "sager/<uuid:case_id>/opfoelgning/"

urlpatterns = [
    path(P, followups.case_followups, name="case_followups"),
    path(f"{P}<int:followup_id>/", followups.followup_detail, name="followup_detail"),
    path(
        f"{P}<int:followup_id>/registrer/",
        followups.followup_complete,
        name="followup_complete",
    ),
]
