from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import permissions


def app(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "APP_ENV": settings.APP_ENV,
        "can_register_notification": permissions.can_register_notification(user),
    }
