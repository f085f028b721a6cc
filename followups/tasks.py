"""Celery tasks of the follow-ups app. The schedule is settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from followups import reminders


@shared_task(
    name="followups.tasks.sweep_reminders",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def sweep_reminders() -> str:
    """Raise and deliver every reminder due now. Safe to run twice or at the same time."""
    return str(reminders.sweep())
