"""The API routes of a case's decisions, party hearings and complaints (read-only; views in
``cases.api.decisions``). Included by familievaerft/api_urls.py under the "api" namespace; the
paths and names are part of the API's contract."""

from django.urls import path

from cases.api import decisions as views

urlpatterns = [
    path("decisions/", views.DecisionList.as_view(), name="decision_list"),
    path(
        "cases/<uuid:case_id>/decisions/",
        views.CaseDecisions.as_view(),
        name="case_decisions",
    ),
    path(
        "cases/<uuid:case_id>/decisions/<int:decision_id>/",
        views.CaseDecisionDetail.as_view(),
        name="case_decision_detail",
    ),
    path("cases/<uuid:case_id>/hearings/", views.CaseHearings.as_view(), name="case_hearings"),
    path(
        "cases/<uuid:case_id>/complaints/",
        views.CaseComplaints.as_view(),
        name="case_complaints",
    ),
]
