"""The app's URLs plus the benchmark's floor views under /bench/."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/floor/sager/", views.floor_my_cases, name="bench_floor_my_cases"),
    path("bench/floor/sager/<uuid:case_id>/", views.floor_case, name="bench_floor_case"),
    path("", include("familievaerft.urls")),
]
