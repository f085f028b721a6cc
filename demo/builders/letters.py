"""The demo's closing status letters (``seed_demo``), built through ``letters.services``.

- ``familie``'s elder child: a letter waiting for the family's review.
- ``familie``'s younger child: a letter the family commented on, revised by the therapist and
  sent for review again (the family sees what changed).
- ``familie2``'s child: a letter the family approved, rendered to PDF and sent; the caseworker
  has it in the inbox and has ended the measure (the letter itself ends nothing).

``familie``'s younger child also gets a second, running measure without a letter, so that the
whole course (write, review, comment, revise, approve) can be tried from the start. The texts
are the tables of ``demo.data.letters``.
"""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.models import Role, Team, User
from cases import services
from cases.models import FamilyMember, LegalBasis, Measure
from demo.builders.decisions import end_measure
from demo.data.letters import (
    COLLABORATION,
    COMMENT_ON_COLLABORATION,
    COMMENT_ON_LETTER,
    HANDOVER_EXTRA,
    REVIEW_DAYS_REVISED,
    REVIEW_DAYS_SENT,
    REVIEW_DAYS_WAITING,
    REVISED_COLLABORATION_START,
    REVISION_NOTE,
    SECOND_MEASURE_BASIS,
    SECOND_MEASURE_MONTHS,
    SECOND_MEASURE_PURPOSE,
    SECOND_MEASURE_SESSION_DAYS,
    SECOND_MEASURE_SESSION_NOTE,
)
from followups.models import Session
from letters import services as services_letters
from letters.models import LetterSection
from letters.tasks import letter_render_once


def _measure_of(username: str, *, youngest: bool) -> Measure | None:
    measures = (
        Measure.objects.filter(
            ended_on=None,
            case__citizen__family_memberships__family__members__user__username=username,
            assignments__user__role__in=[Role.THERAPIST, Role.PSYCHOLOGIST],
        )
        .select_related("case__citizen", "legal_basis")
        .distinct()
        .order_by("case__citizen__birth_date", "pk")
    )
    found = list(measures)
    if not found:
        return None
    return found[-1] if youngest else found[0]


def _therapist(measure: Measure) -> User:
    therapist = (
        measure.therapists.filter(role=Role.THERAPIST).order_by("pk").first()
        or measure.therapists.order_by("pk").first()
    )
    assert therapist is not None  # _measure_of picks measures with a therapist
    return therapist


def _member(username: str) -> FamilyMember:
    return FamilyMember.objects.filter(user__username=username).order_by("pk").first()  # type: ignore[return-value]


def _written(measure: Measure, therapist: User) -> services_letters.ClosingLetter:
    letter = services_letters.letter_start(measure=measure, user=therapist)
    sections = dict(services_letters.letter_latest_version(letter).sections)
    sections[LetterSection.COLLABORATION] = COLLABORATION
    sections[LetterSection.HANDOVER] = "\n\n".join(
        part for part in (sections.get(LetterSection.HANDOVER, ""), HANDOVER_EXTRA) if part
    )
    services_letters.letter_update_draft(letter=letter, user=therapist, sections=sections)
    return letter


def _send(
    letter: services_letters.ClosingLetter, therapist: User, username: str, days: int
) -> None:
    services_letters.letter_send_for_review(
        letter=letter,
        user=therapist,
        reviewers=[_member(username)],
        review_due_on=timezone.localdate() + dt.timedelta(days=days),
    )


def demo_letters(*, today: dt.date) -> int:
    """Build the three demo letters; returns how many were made."""
    made = 0
    familie = User.objects.filter(username="familie").first()
    familie2 = User.objects.filter(username="familie2").first()
    if familie is not None:
        waiting = _measure_of("familie", youngest=False)
        revised = _measure_of("familie", youngest=True)
        if waiting is not None:
            therapist = _therapist(waiting)
            _send(_written(waiting, therapist), therapist, "familie", days=REVIEW_DAYS_WAITING)
            made += 1
        if revised is not None and revised.pk != getattr(waiting, "pk", None):
            therapist = _therapist(revised)
            letter = _written(revised, therapist)
            _send(letter, therapist, "familie", days=REVIEW_DAYS_REVISED)
            services_letters.letter_comment(
                letter=letter,
                user=familie,
                section=LetterSection.COLLABORATION,
                text=COMMENT_ON_COLLABORATION,
            )
            services_letters.letter_comment(
                letter=letter,
                user=familie,
                section="",
                text=COMMENT_ON_LETTER,
            )
            services_letters.letter_revise(letter=letter, user=therapist)
            sections = dict(services_letters.letter_latest_version(letter).sections)
            sections[LetterSection.COLLABORATION] = REVISED_COLLABORATION_START + COLLABORATION
            services_letters.letter_update_draft(
                letter=letter,
                user=therapist,
                sections=sections,
                change_note=REVISION_NOTE,
            )
            _send(letter, therapist, "familie", days=REVIEW_DAYS_REVISED)
            made += 1
            # A second, running measure without a letter: the whole course can be tried.
            case = revised.case
            second = services.measure_order(
                case=case,
                user=case.owner,
                legal_basis=LegalBasis.objects.get(code=SECOND_MEASURE_BASIS),
                purpose=SECOND_MEASURE_PURPOSE,
                expected_duration_months=SECOND_MEASURE_MONTHS,
                start_date=today - relativedelta(months=2),
                planned_end_date=today + relativedelta(months=SECOND_MEASURE_MONTHS - 2),
                provider_team=Team.objects.get(pk=revised.provider_team_id),
                consent_given_on=today - relativedelta(months=2, days=3),
                therapists=[therapist],
                hours_steps=[(None, Decimal(2))],
                decided_at=timezone.now() - relativedelta(months=2, days=3),
            )
            Session.objects.bulk_create(
                [
                    Session(
                        case=case,
                        measure=second,
                        therapist=therapist,
                        status=Session.Status.LOGGED,
                        date=second.start_date + dt.timedelta(days=days),
                        start_time=dt.time(15),
                        duration_minutes=60,
                        location=Session.Location.LEISURE if days % 2 else Session.Location.HOME,
                        methods=[Session.Method.SELECTED_MEMBERS],
                        internal_note=SECOND_MEASURE_SESSION_NOTE,
                        logged_at=timezone.now(),
                    )
                    for days in SECOND_MEASURE_SESSION_DAYS
                ]
            )
    if familie2 is not None:
        sent = _measure_of("familie2", youngest=False)
        if sent is not None:
            therapist = _therapist(sent)
            letter = _written(sent, therapist)
            _send(letter, therapist, "familie2", days=REVIEW_DAYS_SENT)
            rendering = services_letters.letter_approve(letter=letter, user=familie2)
            # Rendered here, so the demo has its PDF without a worker; the queued task then
            # finds it done (rendered once).
            letter_render_once(rendering.pk)
            # The letter ends nothing; the caseworker then ends the measure, by a decision.
            sent.refresh_from_db()
            if sent.ended_on is None:
                end_measure(sent, ended_on=timezone.localdate(), today=timezone.localdate())
            made += 1
    return made
