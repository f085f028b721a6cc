"""The site's front page (/): a redirect to where the user starts: the family portal for a
family user, "Min forside" for a provider's therapist or psychologist, Mine sager for the
authority's staff."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.models import Role

PROVIDER_ROLES = (Role.THERAPIST, Role.PSYCHOLOGIST)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = getattr(request.user, "role", None)
    if role == Role.FAMILY:
        return redirect("family:home")
    if role in PROVIDER_ROLES:
        return redirect("followups:therapist_home")
    return redirect("cases:my_cases")
