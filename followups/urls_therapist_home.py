"""The therapist's start page, "Min forside" (name in ``followups``).

tests/followups/test_therapist_home.py checks every pattern here for every persona."""

from django.urls import path

from followups.views import therapist_home

urlpatterns = [
    path("behandler/", therapist_home.therapist_home, name="therapist_home"),
]
