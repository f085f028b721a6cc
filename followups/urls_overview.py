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
