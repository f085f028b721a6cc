"""letters' receiver of ``cases.signals.decision_made``, connected in LettersConfig.ready().

A decision made gets its letter (``DecisionLetter``, one per decision) and the letter's
rendering to PDF is queued once the transaction commits: a decision rolled back queues
nothing, and a lost message is queued again by ``letters.tasks.requeue_stalled_renderings``.
"""

from typing import Any

from django.db import transaction

from cases.models import Decision
from letters.models import DecisionLetter


def decision_made(*, decision: Decision, **kwargs: Any) -> None:
    letter, created = DecisionLetter.objects.get_or_create(decision=decision)
    if created:
        from letters import tasks

        transaction.on_commit(lambda: tasks.render_decision_letter.delay(letter.pk))
