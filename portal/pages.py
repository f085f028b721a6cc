"""What every page of the family portal that shows a child's case shares: loading the case
through the family rule (``access.rules.family_case_visibility``), logging the read, and
answering anyone else with a logged 404 — exactly as for a case that does not exist.

Every such page is wrapped in ``family_case_page``; the view is called as
``view(request, case, **kwargs)`` and finds what the user may do in ``request.family_access``.
Templates get the child's first name and what the page shows, never the case object's
internal parts.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from access.log import Action, access_log_record
from access.refusals import as_uuid
from access.rules import UserAccess
from cases.models import Case
from cases.pages import READ_METHODS, refuse


def load_family_case(request: HttpRequest, case_id: Any) -> Case:
    """A case of a child in the requesting family member's own family: the read is logged;
    anyone else gets a logged 404."""
    case_uuid = as_uuid(case_id)
    case = (
        Case.objects.visible_to_family(request.user)
        .select_related("citizen", "owner")
        .filter(id=case_uuid)
        .first()
        if case_uuid is not None
        else None
    )
    if case is None:
        raise refuse(request, case_uuid)
    access_log_record(user=request.user, action=Action.VIEW, case=case, target=request.path)
    return case


def family_case_page(
    *, methods: tuple[str, ...] = READ_METHODS
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Load the family's case of the URL and call ``view(request, case, **kwargs)``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapper(request: HttpRequest, case_id: Any, **kwargs: Any) -> HttpResponse:
            case = load_family_case(request, case_id)
            request.family_access = UserAccess(request.user)  # type: ignore[attr-defined]
            return view(request, case, **kwargs)

        wrapper.family_page = True  # type: ignore[attr-defined]
        return wrapper

    return decorator
