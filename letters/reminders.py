"""The closing letters' items in the reminder sweep (followups.reminders).

letters sits above followups, so the sweep does not read letters: LettersConfig.ready()
registers ``letter_items`` with ``followups.reminders.register_item_source``.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CaseStatus
from cases.working_days import end_of_day
from followups.reminders import COMING_DUE_WITHIN, Item
from letters.models import ClosingLetter


def letter_items(now: dt.datetime) -> Iterator[Item]:
    """Closing letters waiting for the family's review: the family's reminders (the reviewers
    with a portal login) and, when the answer is late, the therapist's, who may then send the
    letter with a recorded reason."""
    horizon = timezone.localtime(now + COMING_DUE_WITHIN).date()
    letters = (
        ClosingLetter.objects.filter(
            status=ClosingLetter.Status.IN_REVIEW, review_due_on__lte=horizon
        )
        .exclude(case__status=CaseStatus.CLOSED)
        .values_list("pk", "case_id", "author_id", "case__team_id", "review_due_on")
    )
    reviewers: dict[int, list[int]] = defaultdict(list)
    rows = list(letters)
    for letter_id, user_id in ClosingLetter.reviewers.through.objects.filter(
        closingletter_id__in=[row[0] for row in rows], familymember__user__isnull=False
    ).values_list("closingletter_id", "familymember__user_id"):
        reviewers[letter_id].append(user_id)
    family_title = _("Svarfrist for statusskrivelsen")
    staff_title = _("Familiens svarfrist for statusskrivelsen")
    for pk, case_id, author_id, team_id, due_on in rows:
        if due_on is None:  # filtered out above; keeps the type checker informed
            continue
        due_at = end_of_day(due_on)
        key = f"letter:{pk}"
        for user_id in reviewers[pk]:
            yield Item(key, case_id, user_id, team_id, family_title, due_at, escalates=False)
        if due_at < now:
            yield Item(key, case_id, author_id, team_id, staff_title, due_at)
