"""Placeholder: replaced by the list-level views (Mine sager, search, new notification)."""

from django.http import HttpRequest, HttpResponse


def my_cases(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Mine sager")


def search(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Søg")


def notification_register(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Ny underretning")
