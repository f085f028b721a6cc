"""What every page's layout (base.html) needs: the header's links, what the user may do above any
one case (``user_access``) and the unread-reminder badge, counted only if shown."""

import functools
from functools import cached_property
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from access import rules as permissions
from accounts.models import User


class ReminderBadge:
    """The unread count in the header: one COUNT, run only if a template shows it."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def unread(self) -> int:
        from followups.selectors import unread_reminder_count

        return unread_reminder_count(user=self.user)


# The links of every page's header and footer (base.html), by key.
NAV_URL_NAMES = {
    "home": "home",
    "family_home": "family:home",
    "my_cases": "cases:my_cases",
    "register": "cases:notification_register",
    "deadlines": "followups:deadline_list",
    "team": "followups:team_overview",
    "reminders": "followups:reminder_list",
    "search": "cases:search",
    "profile": "profile",
    "print_queue": "post:print_queue",
    "outbox": "post:outbox_list",
    "logout": "logout",
    "set_language": "set_language",
}


@functools.lru_cache(maxsize=16)
def _nav_urls(urlconf: str, script_prefix: str) -> dict[str, str]:
    return {key: reverse(name, urlconf=urlconf) for key, name in NAV_URL_NAMES.items()}


def nav_urls() -> dict[str, str]:
    """``NAV_URL_NAMES`` reversed once per process (and URL conf and script prefix), not on
    every page: a dozen ``{% url %}`` tags were a quarter of base.html's time (``make bench``)."""
    return _nav_urls(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


def app(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    user_access = permissions.UserAccess(user)
    return {
        "APP_ENV": settings.APP_ENV,
        "nav_urls": nav_urls(),
        # What the user may do above any one case; templates ask it, never a role string.
        "user_access": user_access,
        "can_register_notification": user_access.can_register_notification,
        # Anonymous and family users get no badge (and no query).
        "reminder_badge": ReminderBadge(cast(User, user)) if user_access.is_staff else None,
    }
