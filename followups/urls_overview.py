"""The pages above the cases (names in ``followups``): the user's reminders, the deadline list, the
team overview, and the decision on support after 18 that the deadline list links to.

tests/followups/test_overview_access.py checks every pattern here for every persona."""

from django.urls import path

from followups.views import overview

urlpatterns = [
    path("paamindelser/", overview.reminder_list, name="reminder_list"),
    path("paamindelser/<int:pk>/laest/", overview.reminder_read, name="reminder_read"),
    path("paamindelser/laest/", overview.reminder_read_all, name="reminder_read_all"),
    path("frister/", overview.deadline_list, name="deadline_list"),
    path("team/", overview.team_overview, name="team_overview"),
    path(
        "sager/<uuid:case_id>/frister/efter-18/",
        overview.after_18_decision,
        name="after_18_decision",
    ),
]
