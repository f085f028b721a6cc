"""The Celery app: its configuration is settings' ``CELERY_*`` and its tasks are each app's
``tasks.py``; every task is a ``DurableTask``, whose work is recorded in Postgres first."""

import logging
import os
from typing import Any

from celery import Celery, Task
from kombu.exceptions import OperationalError as BrokerUnreachable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "familievaerft.settings")

logger = logging.getLogger(__name__)


class DurableTask(Task):
    """A task whose work is recorded in Postgres before it is queued, so losing the message
    loses nothing: the sweep looks at the open items as they are, and a letter's rendering row
    stays "queued" until ``requeue_stalled_renderings`` sends it again. Every task of this app
    has that property (a new one must too).

    When the broker cannot be reached, publishing gives up after the short retry policy of
    settings.CELERY_TASK_PUBLISH_RETRY_POLICY and logs the fact instead of raising: the request
    that queued the task (a family approving a letter) is answered, not failed with a 500 after
    its transaction committed, and the beat carries on with its next entry.
    """

    def apply_async(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().apply_async(*args, **kwargs)
        except BrokerUnreachable as exc:
            logger.warning(
                "task %s not queued, the broker is unreachable (%s); it is sent again from "
                "the database's state",
                self.name,
                type(exc).__name__,
            )
            return None


app = Celery("familievaerft", task_cls=DurableTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
