"""Celery tasks of the cases app. The schedule is settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from cases import portal_rights


@shared_task(
    name="cases.tasks.log_ended_portal_grants",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def log_ended_portal_grants() -> int:
    """Write the end of every portal grant whose last day has passed to the access log. Safe
    to run twice."""
    return portal_rights.log_ended_portal_grants()
