"""The followups app's API routes: a case's follow-ups and completing one, its sessions, and
the caller's reminders. Included by familievaerft/api_urls.py under the "api" namespace; the
paths and names are part of the API's contract."""

from django.urls import path

from followups.api import views

urlpatterns = [
    path(
        "cases/<uuid:case_id>/followups/",
        views.CaseFollowUps.as_view(),
        name="case_followups",
    ),
    path(
        "cases/<uuid:case_id>/followups/<int:followup_id>/complete/",
        views.CaseFollowUpComplete.as_view(),
        name="case_followup_complete",
    ),
    path("cases/<uuid:case_id>/sessions/", views.CaseSessions.as_view(), name="case_sessions"),
    path("reminders/", views.OwnReminders.as_view(), name="reminders"),
]
