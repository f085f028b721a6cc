"""The closing status letters of a case, under /sager/<uuid:case_id>/statusskrivelser/
(names in the ``cases`` namespace; included from cases/urls_case.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
