"""The plans app's API routes: a case's plan, its goals and its rating rounds. Included by
familievaerft/api_urls.py under the "api" namespace; the paths and names are part of the
API's contract."""

from django.urls import path

from plans.api import views

urlpatterns = [
    path("cases/<uuid:case_id>/plan/", views.CasePlan.as_view(), name="case_plan"),
    path("cases/<uuid:case_id>/plan/goals/", views.PlanGoals.as_view(), name="plan_goals"),
    path(
        "cases/<uuid:case_id>/plan/rating-rounds/",
        views.PlanRatingRounds.as_view(),
        name="plan_rating_rounds",
    ),
]
