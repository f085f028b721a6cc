"""The Aktindsigt pages of one case, under /sager/<uuid:case_id>/aktindsigt/ (names in the
``file_access`` namespace; included from familievaerft/urls.py).

Every view loads the case through ``cases.pages.case_page`` and the request through the case;
tests/file_access/test_file_access_pages.py requests every pattern here as every persona.
"""

from django.urls import path

from file_access import views

app_name = "file_access"

urlpatterns = [
    path("", views.case_file_access, name="case_file_access"),
    path("ny/", views.request_create, name="request_create"),
    path("<int:request_id>/", views.request_detail, name="request_detail"),
    path("<int:request_id>/underretning/", views.notice_record, name="notice_record"),
    path("<int:request_id>/undtag/", views.exemption_add, name="exemption_add"),
    path(
        "<int:request_id>/undtag/<int:exemption_id>/fjern/",
        views.exemption_remove,
        name="exemption_remove",
    ),
    path("<int:request_id>/dan-pdf/", views.bundle_prepare, name="bundle_prepare"),
    path("<int:request_id>/pdf/", views.bundle_pdf, name="bundle_pdf"),
    path("<int:request_id>/udlever/", views.hand_out, name="hand_out"),
]
