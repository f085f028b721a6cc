"""The list-level pages under /sager/ (names in the ``cases`` namespace): Mine sager, search, a
new notification and its CPR lookup; the pages of one case are included from cases/urls_case.py."""

from django.urls import include, path

from cases.views import lists

app_name = "cases"

# List-level pages here; the pages of one case (below /sager/<uuid>/) in cases/urls_case.py.
urlpatterns = [
    path("", lists.my_cases, name="my_cases"),
    path("soeg/", lists.search, name="search"),
    path("ny-underretning/", lists.notification_register, name="notification_register"),
    path("ny-underretning/opslag/", lists.citizen_lookup, name="citizen_lookup"),
    path("<uuid:case_id>/", include("cases.urls_case")),
]
