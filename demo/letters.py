"""The demo's closing status letters (``seed_demo``), built through ``letters.services``.

- ``familie``'s elder child: a letter waiting for the family's review.
- ``familie``'s younger child: a letter the family commented on, revised by the therapist and
  sent for review again (the family sees what changed).
- ``familie2``'s child: a letter the family approved, rendered to PDF and sent; the measure
  has ended and the caseworker has it in the inbox.

``familie``'s younger child also gets a second, running measure without a letter, so that the
whole course (write, review, comment, revise, approve) can be tried from the start.
"""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.models import Role, Team, User
from cases import services
from cases.models import FamilyMember, LegalBasis, Measure
from followups.models import Session
from letters import services as services_letters
from letters.models import LetterSection
from letters.tasks import letter_render_once

COLLABORATION = (
    "Vi har mødt en familie, der hele vejen har taget imod os og været åben om det, der var "
    "svært. I har holdt fast i aftalerne, også i de uger, hvor det gik op og ned."
)
HANDOVER_EXTRA = (
    "Når vi stopper, er det jeres netværk, der bærer videre. Skolen og sundhedsplejen kender "
    "planen, og I ved, hvor I kan henvende jer, hvis I får brug for os igen."
)


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
            _send(_written(waiting, therapist), therapist, "familie", days=10)
            made += 1
        if revised is not None and revised.pk != getattr(waiting, "pk", None):
            therapist = _therapist(revised)
            letter = _written(revised, therapist)
            _send(letter, therapist, "familie", days=7)
            services_letters.letter_comment(
                letter=letter,
                user=familie,
                section=LetterSection.COLLABORATION,
                text="Vi vil gerne have med, at det var svært for os i starten, og at det "
                "hjalp, da I kom om eftermiddagen i stedet for om morgenen.",
            )
            services_letters.letter_comment(
                letter=letter,
                user=familie,
                section="",
                text="Tak for brevet. Ellers kan vi godt genkende det.",
            )
            services_letters.letter_revise(letter=letter, user=therapist)
            sections = dict(services_letters.letter_latest_version(letter).sections)
            sections[LetterSection.COLLABORATION] = (
                "I starten var det svært for jer at have os i hjemmet, og det hjalp, da vi "
                "flyttede besøgene til eftermiddagen. " + COLLABORATION
            )
            services_letters.letter_update_draft(
                letter=letter,
                user=therapist,
                sections=sections,
                change_note="Familiens kommentar om starten på forløbet er skrevet ind.",
            )
            _send(letter, therapist, "familie", days=7)
            made += 1
            # A second, running measure without a letter: the whole course can be tried.
            case = revised.case
            second = services.measure_order(
                case=case,
                user=case.owner,
                legal_basis=LegalBasis.objects.get(code="bl-32-1-3"),
                purpose="En fast kontaktperson, som barnet kan tale med om skole og venner.",
                expected_duration_months=6,
                start_date=today - relativedelta(months=2),
                planned_end_date=today + relativedelta(months=4),
                provider_team=Team.objects.get(pk=revised.provider_team_id),
                consent_given_on=today - relativedelta(months=2, days=3),
                therapists=[therapist],
                hours_steps=[(None, Decimal(2))],
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
                        internal_note="Samtale med barnet om skolen og vennerne.",
                        logged_at=timezone.now(),
                    )
                    for days in (7, 21, 35, 49)
                ]
            )
    if familie2 is not None:
        sent = _measure_of("familie2", youngest=False)
        if sent is not None:
            therapist = _therapist(sent)
            letter = _written(sent, therapist)
            _send(letter, therapist, "familie2", days=14)
            rendering = services_letters.letter_approve(letter=letter, user=familie2)
            # Rendered here, so the demo has its PDF without a worker; the queued task then
            # finds it done (rendered once).
            letter_render_once(rendering.pk)
            made += 1
    return made
