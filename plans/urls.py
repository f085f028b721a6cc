from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("sager/<uuid:case_id>/plan/", views.plan_detail, name="plan_detail"),
    path(
        "sager/<uuid:case_id>/plan/versioner/<int:number>/",
        views.plan_version,
        name="plan_version",
    ),
]
