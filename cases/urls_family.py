from django.urls import path

from plans import views_family as plan_views

from .views import family

app_name = "family"

urlpatterns = [
    path("", family.family_home, name="home"),
    path("sager/<uuid:case_id>/plan/", plan_views.family_plan, name="plan"),
]
