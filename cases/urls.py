from django.urls import include, path

app_name = "cases"

# List-level pages (Mine sager, search, registering a notification) and the case pages below
# /sager/<uuid>/ live in separate modules so each can grow on its own.
urlpatterns: list = [
    path("<uuid:case_id>/", include("cases.urls_case")),
]
