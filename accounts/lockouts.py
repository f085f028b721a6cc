"""One line in the app's log for every lock-out (django-axes logs each failure itself).

The username is not written (it may be a mistyped password); the user's id is, when the
username belongs to someone. The admin (Axes) shows the usernames."""

import logging
from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver

from accounts.models import User

log = logging.getLogger("familievaerft.auth")


@receiver(user_locked_out, dispatch_uid="familievaerft_log_lockout")
def log_lockout(
    sender: Any, request: Any, username: str | None, ip_address: str, **kw: Any
) -> None:
    user_id = (
        User.objects.filter(username=username).values_list("pk", flat=True).first()
        if username
        else None
    )
    log.warning("login lock-out ip=%s user_id=%s path=%s", ip_address, user_id, request.path)
