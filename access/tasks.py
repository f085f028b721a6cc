"""Celery tasks of the access app. The schedule is settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from access import rules


@shared_task(
    name="access.tasks.log_expired_shares",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def log_expired_shares() -> int:
    """Write the end of every expired case share to the access log. Safe to run twice."""
    return rules.log_expired_shares()
