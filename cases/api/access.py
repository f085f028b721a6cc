"""Loading a case for an API request: the same helper as the pages (logged, outsiders 404)."""

from typing import Any, cast

from django.http import HttpRequest
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request

from access.log import Action
from access.refusals import access_log_denied
from access.rules import CaseAccess, case_access
from cases.models import Case
from cases.pages import load_case

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def case_for_api(request: Request, case_id: Any) -> Case:
    """The case in the URL if the caller may see it. A read is logged as a view, a write as a
    change; anything not visible is a logged 404 (``cases.pages.load_case``). What the caller
    may do with it is ``access_of(request, case)``, worked out once per request."""
    action = Action.VIEW if request.method in READ_METHODS else Action.CHANGE
    # The DRF request carries the token's user and proxies ``path`` to the Django request.
    return load_case(cast(HttpRequest, request), case_id, action=action)


def authority_file_for_api(request: Request, case_id: Any) -> Case:
    """``case_for_api`` for the authority's own file (notifications, assessments): a
    provider's therapist gets the same logged 404 as an outsider (``access.rules``)."""
    case = case_for_api(request, case_id)
    if not access_of(request, case).reads_the_authority_file:
        access_log_denied(cast(HttpRequest, request), case=case)
        raise NotFound()
    return case


def access_of(request: Request, case: Case) -> CaseAccess:
    """The caller's rights on a case loaded by ``case_for_api``, one object per request."""
    return case_access(request.user, case)


def refuse(request: Request, case: Case, message: Any) -> PermissionDenied:
    """The caller sees the case but may not do this: log the refusal, answer 403."""
    access_log_denied(cast(HttpRequest, request), case=case)
    return PermissionDenied(message)
