"""/api/v1/ — mounted in familievaerft/urls.py."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cases.api import views as views_cases
from cases.api import views_work

# schema: its authentication extensions register themselves on import.
from core import api_schema as schema  # noqa: F401
from followups import api_views_more as views_more
from plans import api_views as views_plans

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file of its own: no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("cases/", views_cases.CaseList.as_view(), name="case_list"),
    path("cases/<uuid:case_id>/", views_cases.CaseDetail.as_view(), name="case_detail"),
    path(
        "cases/<uuid:case_id>/notifications/",
        views_work.CaseNotifications.as_view(),
        name="case_notifications",
    ),
    path(
        "cases/<uuid:case_id>/assessments/",
        views_work.CaseAssessments.as_view(),
        name="case_assessments",
    ),
    path("cases/<uuid:case_id>/measures/", views_work.CaseMeasures.as_view(), name="case_measures"),
    path("cases/<uuid:case_id>/plan/", views_plans.CasePlan.as_view(), name="case_plan"),
    path("cases/<uuid:case_id>/plan/goals/", views_plans.PlanGoals.as_view(), name="plan_goals"),
    path(
        "cases/<uuid:case_id>/plan/rating-rounds/",
        views_plans.PlanRatingRounds.as_view(),
        name="plan_rating_rounds",
    ),
    path(
        "cases/<uuid:case_id>/followups/",
        views_more.CaseFollowUps.as_view(),
        name="case_followups",
    ),
    path(
        "cases/<uuid:case_id>/followups/<int:followup_id>/complete/",
        views_more.CaseFollowUpComplete.as_view(),
        name="case_followup_complete",
    ),
    path("cases/<uuid:case_id>/sessions/", views_more.CaseSessions.as_view(), name="case_sessions"),
    path(
        "cases/<uuid:case_id>/network/members/",
        views_more.CaseNetworkMembers.as_view(),
        name="case_network_members",
    ),
    path(
        "cases/<uuid:case_id>/network/meetings/",
        views_more.CaseNetworkMeetings.as_view(),
        name="case_network_meetings",
    ),
    path("cases/<uuid:case_id>/letters/", views_more.CaseLetters.as_view(), name="case_letters"),
    path(
        "cases/<uuid:case_id>/letters/<int:letter_id>/pdf/",
        views_more.CaseLetterPdf.as_view(),
        name="case_letter_pdf",
    ),
    path("reminders/", views_more.OwnReminders.as_view(), name="reminders"),
    path("citizens/", views_cases.CitizenList.as_view(), name="citizen_list"),
    path("citizens/search/", views_cases.CitizenSearchView.as_view(), name="citizen_search"),
    path(
        "citizens/<uuid:citizen_id>/",
        views_cases.CitizenDetailView.as_view(),
        name="citizen_detail",
    ),
]
