"""The app's URLs plus the benchmark's floor and reference views under /bench/."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/floor/sager/", views.floor_my_cases, name="bench_floor_my_cases"),
    path("bench/floor/sager/<uuid:case_id>/", views.floor_case, name="bench_floor_case"),
    path("bench/floor/sager-orm/", views.floor_my_cases_orm, name="bench_floor_my_cases_orm"),
    path("bench/tom/", views.empty_page, name="bench_empty_page"),
    path("", include("familievaerft.urls")),
]
