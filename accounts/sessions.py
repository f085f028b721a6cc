"""Session bookkeeping: when each login started, which sessions belong to whom, and ending
all of a user's sessions (and API tokens) the moment the user is deactivated."""

import datetime as dt
import logging
import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import ApiToken, User, UserSession

log = logging.getLogger("familievaerft.auth")

# Session keys: when the login happened and when the session was last seen (epoch seconds).
STARTED = "fv_auth_started"
SEEN = "fv_auth_seen"


@receiver(user_logged_in, dispatch_uid="familievaerft_session_started")
def session_started(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    # Rows of sessions that ended long ago without a logout (expired, browser closed).
    UserSession.objects.filter(
        user=user,
        created_at__lt=timezone.now() - dt.timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS),
    ).delete()
    UserSession.objects.update_or_create(session_key=key, defaults={"user": user})


@receiver(user_logged_out, dispatch_uid="familievaerft_session_ended")
def session_ended(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    key = getattr(request, "session", None) and request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).delete()


def end_all_sessions(user: User) -> int:
    """End every session of the user now; returns how many there were."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = list(UserSession.objects.filter(user=user).values_list("pk", "session_key"))
    for _, key in rows:
        store().delete(key)
    UserSession.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    return len(rows)


@receiver(pre_save, sender=User, dispatch_uid="accounts_user_deactivation_check")
def _note_deactivation(sender: Any, instance: User, update_fields: Any = None, **kw: Any) -> None:
    instance._fv_deactivated = False  # type: ignore[attr-defined]
    if instance.pk is None or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    was_active = User.objects.filter(pk=instance.pk, is_active=True).exists()
    instance._fv_deactivated = was_active  # type: ignore[attr-defined]


@receiver(post_save, sender=User, dispatch_uid="accounts_user_deactivated")
def _end_access_of_deactivated(sender: Any, instance: User, **kwargs: Any) -> None:
    if not getattr(instance, "_fv_deactivated", False):
        return
    instance._fv_deactivated = False  # type: ignore[attr-defined]
    sessions = end_all_sessions(instance)
    tokens = ApiToken.objects.filter(user=instance, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    log.warning(
        "user deactivated user_id=%s: %d sessions ended, %d API tokens revoked",
        instance.pk,
        sessions,
        tokens,
    )
