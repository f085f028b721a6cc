"""The letters app's API routes: a case's closing letters and a letter's PDF. Included by
familievaerft/api_urls.py under the "api" namespace; the paths and names are part of the
API's contract."""

from django.urls import path

from letters.api import views

urlpatterns = [
    path("cases/<uuid:case_id>/letters/", views.CaseLetters.as_view(), name="case_letters"),
    path(
        "cases/<uuid:case_id>/letters/<int:letter_id>/pdf/",
        views.CaseLetterPdf.as_view(),
        name="case_letter_pdf",
    ),
]
