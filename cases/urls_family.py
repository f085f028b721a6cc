from django.urls import path

from .views import family

app_name = "family"

urlpatterns = [
    path("", family.family_home, name="home"),
]
