"""Placeholder: replaced by the family portal's landing page."""

from django.http import HttpRequest, HttpResponse


def family_home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Min familie")
