"""One line in the app's log for every lock-out (django-axes logs each failure itself)."""

import logging
from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver

log = logging.getLogger("familievaerft.auth")


@receiver(user_locked_out, dispatch_uid="familievaerft_log_lockout")
def log_lockout(
    sender: Any, request: Any, username: str | None, ip_address: str, **kw: Any
) -> None:
    log.warning("login lock-out username=%r ip=%s path=%s", username, ip_address, request.path)
