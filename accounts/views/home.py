"""The site's front page (/): a redirect to where the user starts, the family portal for a family
user and Mine sager for staff."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.models import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", None) == Role.FAMILY:
        return redirect("family:home")
    return redirect("cases:my_cases")
