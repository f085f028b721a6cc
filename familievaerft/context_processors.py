from functools import cached_property
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest

from . import permissions
from .models import STAFF_ROLES, User


class ReminderBadge:
    """The unread count in the header: one COUNT, run only if a template shows it."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def unread(self) -> int:
        from followups.selectors import unread_reminder_count

        return unread_reminder_count(user=self.user)


def app(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    is_staff_user = permissions.role_of(user) in STAFF_ROLES
    return {
        "APP_ENV": settings.APP_ENV,
        "can_register_notification": permissions.can_register_notification(user),
        # Anonymous and family users get no badge (and no query).
        "reminder_badge": ReminderBadge(cast(User, user)) if is_staff_user else None,
    }
