"""The cases app's API routes: /api/v1/cases/ with a case's notifications, assessments and
measures, and /api/v1/citizens/. Included by familievaerft/api_urls.py under the "api"
namespace; the paths and names are part of the API's contract."""

from django.urls import path

from cases.api import views

urlpatterns = [
    path("cases/", views.CaseList.as_view(), name="case_list"),
    path("cases/<uuid:case_id>/", views.CaseDetail.as_view(), name="case_detail"),
    path(
        "cases/<uuid:case_id>/notifications/",
        views.CaseNotifications.as_view(),
        name="case_notifications",
    ),
    path(
        "cases/<uuid:case_id>/assessments/",
        views.CaseAssessments.as_view(),
        name="case_assessments",
    ),
    path("cases/<uuid:case_id>/measures/", views.CaseMeasures.as_view(), name="case_measures"),
    path("citizens/", views.CitizenList.as_view(), name="citizen_list"),
    path("citizens/search/", views.CitizenSearchView.as_view(), name="citizen_search"),
    path("citizens/<uuid:citizen_id>/", views.CitizenDetailView.as_view(), name="citizen_detail"),
]
