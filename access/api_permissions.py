"""API-level gates. Which cases a caller sees is decided by access.rules alone."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from access import rules as access
from access.refusals import case_access_denied, citizen_access_denied
from accounts.models import STAFF_ROLES, ApiToken


class IsStaffMember(permissions.BasePermission):
    """The API is for staff; families use the family portal. Refusals are logged."""

    message = _("API'et er kun for kommunens medarbejdere.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        if access.role_of(user) in STAFF_ROLES:
            return True
        kwargs = getattr(view, "kwargs", {})
        if "citizen_id" in kwargs:
            citizen_access_denied(request, kwargs["citizen_id"])
        else:
            case_access_denied(request, kwargs.get("case_id"))
        return False


class TokenScope(permissions.BasePermission):
    """A read-only token may only read."""

    message = _("API-nøglen har kun læseadgang.")

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if isinstance(token, ApiToken) and token.read_only:
            return request.method in permissions.SAFE_METHODS or getattr(
                view, "post_only_reads", False
            )
        return True
