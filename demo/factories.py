"""Model factories and small world-building helpers, shared by the tests, the accessibility
world (tests/a11y/world.py) and the demo's builders (``demo.builders``).

What belongs here: a factory-boy factory per model that tests or the demo make often, with
defaults that make a valid row (invented names from Faker's Danish locale, fictitious CPR
numbers), and helpers that build a small, common arrangement (a family around a child, a
letter in review, a network with a meeting) through the apps' services. Pass explicit values
where they matter: the demo passes every name it needs. Fixed texts of the demo itself belong
in ``demo.data``. Nothing here is meant for real data.
"""

import datetime as dt
import hashlib
import random
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import factory
from django.core import mail
from django.core.files.base import ContentFile
from django.test import TestCase
from django.utils import timezone

from accounts.models import OrganisationUnit, Role, Team, TeamMembership, User
from cases import decisions as services_decisions
from cases import invitations
from cases import services as case_services
from cases.models import (
    Case,
    CaseStatus,
    Citizen,
    Decision,
    Family,
    FamilyMember,
    FamilyRelation,
    JournalNote,
    LegalBasis,
    Measure,
    MeasureAssignment,
    Notification,
)
from core import outbox as core_outbox
from core import tasks as core_tasks
from core.cpr import birth_date_from_cpr
from followups import sessions as services_session
from followups.models import Session
from followups.sessions import SessionData
from letters import services as services_letters
from letters import tasks as letters_tasks
from letters.models import ClosingLetter, ClosingLetterVersion, DecisionLetter, LetterRendering
from network import services as network_services
from network.models import Meeting
from network.services import Invitation

PASSWORD = "test-password-1"  # noqa: S105 - the test users' password
_used_cprs: set[str] = set()


def fictitious_cpr(birth_date: dt.date | None = None) -> str:
    """A CPR number with a real birth date and a century-consistent 7th digit, never reused."""
    rng = random.Random()
    # By default a child of 2 to 14: never near the 16th or 18th birthday, whose deadlines the
    # sweep schedules by itself (a test about them gives the birth date). A fixed range of
    # years made about one case in ten a 17-year-old with a deadline of its own.
    youngest = dt.date.today() - dt.timedelta(days=2 * 366)
    while True:
        born = birth_date or youngest - dt.timedelta(days=rng.randrange(0, 365 * 12))
        seventh = rng.choice([4, 5, 6, 7, 8, 9]) if born.year >= 2000 else rng.choice([0, 1, 2, 3])
        cpr = f"{born:%d%m%y}{seventh}{rng.randrange(0, 1000):03d}"
        if cpr not in _used_cprs:
            _used_cprs.add(cpr)
            return cpr


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    role = Role.CASEWORKER
    password = factory.django.Password(PASSWORD)


class OrganisationUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationUnit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Enhed {n}")
    kind = OrganisationUnit.Kind.AUTHORITY
    municipality = "Testrup Kommune"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("unit", "name")  # unique together

    unit = factory.SubFactory(OrganisationUnitFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


def add_member(team: Team, user: User, *, lead: bool = False) -> TeamMembership:
    return TeamMembership.objects.create(team=team, user=user, is_lead=lead)


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citizen

    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    cpr = factory.LazyFunction(fictitious_cpr)
    birth_date = factory.LazyAttribute(lambda o: birth_date_from_cpr(o.cpr))
    address = factory.Faker("street_address", locale="da_DK")
    postal_code = "7100"
    city = "Vejle"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    number = factory.Sequence(lambda n: f"2026-9{n:04d}")
    citizen = factory.SubFactory(CitizenFactory)
    owner = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    status = CaseStatus.NOTIFICATION


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    case = factory.SubFactory(CaseFactory)
    received_at = factory.LazyFunction(timezone.now)
    reporter_kind = Notification.ReporterKind.PROFESSIONAL
    reporter_name = "Lærer Hansen"
    reporter_organisation = "Kirkebakkeskolen"
    concern = "Barnet kommer ofte sultent i skole."
    registered_by = factory.SelfAttribute("case.owner")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    case = factory.SubFactory(CaseFactory)
    legal_basis = factory.LazyFunction(lambda: LegalBasis.objects.get(code="bl-32-1-2"))
    purpose = "At forældrene får struktur på hverdagen."
    expected_duration_months = 6
    start_date = factory.LazyFunction(timezone.localdate)
    provider_team = factory.SubFactory(TeamFactory)
    decided_by = factory.SelfAttribute("case.owner")
    consent_given_on = factory.LazyFunction(timezone.localdate)


class JournalNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalNote

    case = factory.SubFactory(CaseFactory)
    author = factory.SelfAttribute("case.owner")
    text = factory.Faker("paragraph", locale="da_DK")


def assign(measure: Measure, user: User) -> MeasureAssignment:
    return MeasureAssignment.objects.create(measure=measure, user=user)


def family_with_child(child: Citizen, parent_user: User | None = None, *, name: str = "") -> Family:
    family = Family.objects.create(name=name or f"Familien {child.last_name}")
    child_member = FamilyMember.objects.create(family=family, citizen=child, is_child=True)
    parent = FamilyMember.objects.create(
        family=family, first_name="Forælder", last_name=child.last_name, user=parent_user
    )
    FamilyRelation.objects.create(
        member=parent, child=child_member, kind=FamilyRelation.Kind.PARENT_CUSTODY
    )
    return family


HOURS_TAPER = [(4, Decimal("6")), (8, Decimal("4")), (None, Decimal("2"))]


# --- follow-ups (issue 5, helper A) -----------------------------------------------------------


class FollowUpFactory(factory.django.DjangoModelFactory):
    """A follow-up on a measure; pass ``measure`` (its case is the measure's)."""

    class Meta:
        model = "followups.FollowUp"

    measure = factory.SubFactory(MeasureFactory)
    case = factory.SelfAttribute("measure.case")
    number = factory.Sequence(lambda n: n + 1)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


# --- closing letters (issue 6, helper G) -------------------------------------------------------


LETTER_TEXTS = {
    "course": "Indsatsen begyndte i foråret.\n\nVi mødtes hver uge i hjemmet og i Familiehuset.",
    "collaboration": 'Familien sagde: "Vi har fået ro på morgenerne." Samarbejdet har været godt.',
    "themes": "- Struktur og rytme i hverdagen\n- Samarbejde med skolen",
    "goals": "- Morgenerne går roligt (nået)\n- Lektier hver dag (delvist nået)",
    "handover": "Mormor Grethe og skolens AKT-lærer tager over.",
}


def closing_letter_version(
    measure: Measure,
    author: User,
    sections: dict[str, str] | None = None,
    *,
    in_review: bool = True,
) -> ClosingLetterVersion:
    """A closing letter of ``measure`` with one version (by default frozen: sent to the family
    for review, the letter in review). Written straight to the rows, without the services."""
    letter = ClosingLetter.objects.create(
        measure=measure,
        case=measure.case,
        author=author,
        status=ClosingLetter.Status.IN_REVIEW if in_review else ClosingLetter.Status.DRAFT,
        review_due_on=timezone.localdate() + dt.timedelta(days=14) if in_review else None,
    )
    return ClosingLetterVersion.objects.create(
        letter=letter,
        number=1,
        sections=dict(LETTER_TEXTS if sections is None else sections),
        created_by=author,
        sent_for_review_at=timezone.now() if in_review else None,
    )


# --- closing status letters (issue 6, helper F) -----------------------------------------------


INVITATION_LINK = re.compile(r"https?://\S+/familie/invitation/([^/\s]+)/")


def invitation_with_token(*, case: Any, member: Any, user: Any, email: str) -> tuple[Any, str]:
    """An invitation made through the service, and its token read from the e-mail it sends
    (the service gives the link to the family member only). Needs Django's test e-mail
    outbox."""
    sent = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the e-mail goes out on commit
        invitation = invitations.invitation_create(case=case, member=member, user=user, email=email)
    (token,) = INVITATION_LINK.findall(str(mail.outbox[sent].body))
    return invitation, token


def fake_rendering_task(monkeypatch: Any) -> list[int]:
    """Keep the PDF rendering task from running: ``render_closing_letter.delay`` records the
    rendering ids it is given. ``monkeypatch`` is pytest's fixture."""
    calls: list[int] = []
    monkeypatch.setattr(letters_tasks.render_closing_letter, "delay", calls.append)
    return calls


def outbox_sends_in_process(monkeypatch: Any) -> None:
    """The outbox's send task (``core.tasks.send_outbox_message``) runs in the calling process
    when the writing transaction's on_commit callbacks run, as it would with
    CELERY_TASK_ALWAYS_EAGER: nothing else consumes the queue except the worker processes some
    tests start. ``monkeypatch`` is pytest's fixture (or a ``MonkeyPatch.context()``)."""
    monkeypatch.setattr(
        core_outbox,
        "enqueue",
        lambda message_id: core_tasks.send_outbox_message.apply(args=(message_id,)),
    )


def letter_draft(
    measure: Measure, therapist: User, sections: dict[str, str] | None = None
) -> ClosingLetter:
    """The measure's letter, started and written by ``therapist`` (still a draft)."""
    letter = services_letters.letter_start(measure=measure, user=therapist)
    services_letters.letter_update_draft(
        letter=letter, user=therapist, sections=sections or LETTER_TEXTS
    )
    return letter


def letter_in_review(measure: Measure, therapist: User, reviewer_user: User) -> ClosingLetter:
    """A written letter sent for review to the family member whose login is ``reviewer_user``."""
    letter = letter_draft(measure, therapist)
    member = FamilyMember.objects.filter(user=reviewer_user).get()
    services_letters.letter_send_for_review(
        letter=letter,
        user=therapist,
        reviewers=[member],
        review_due_on=timezone.localdate() + dt.timedelta(days=14),
    )
    letter.refresh_from_db()
    return letter


def rendering_done(
    rendering: LetterRendering, content: bytes = b"%PDF-1.7\n% test letter\n%%EOF\n"
) -> LetterRendering:
    """Store a PDF for the rendering as the task would (tests set MEDIA_ROOT to a tmp dir)."""
    rendering.file.save(f"letter-{rendering.pk}.pdf", ContentFile(content), save=False)
    rendering.sha256 = hashlib.sha256(content).hexdigest()
    rendering.status = "done"
    rendering.rendered_at = timezone.now()
    rendering.save()
    return rendering


def assessment_content(on: dt.date) -> dict[str, Any]:
    """What a børnefaglig undersøgelse finished on ``on`` must describe (cases.services.
    assessment_finish): every area, the parents' and the child's view, the conversation."""
    return {
        "areas": {
            area.value: ("Ressourcer er til stede.", "Der er udfordringer.")
            for area in case_services.REQUIRED_AREAS
        },
        "parents_view": "Forældrene ønsker hjælp.",
        "child_view": "Barnet vil gerne have ro.",
        "conversation_on": on,
        "conversation_place": "i hjemmet",
    }


DECISION_REASONS = (
    "Barnet har brug for støtte i hjemmet, fordi hverdagen er svær at få til at hænge sammen."
)


def decision_made(case: Case, user: User, **fields: Any) -> Decision:
    """A decision on ``case`` (by default the grant of an application, the child heard), drafted
    and made by ``user`` through ``cases.decisions``. Its letter is created by the letters
    receiver; the rendering task runs when the test's transaction commits (never, unless the
    test runs on-commit callbacks)."""
    values: dict[str, Any] = {
        "kind": Decision.Kind.APPLICATION_GRANT,
        "facts": "Familien har søgt om støtte i hjemmet.",
        "reasons": DECISION_REASONS,
        "child_view": "Barnet vil gerne have hjælp til lektierne.",
        "conversation_on": timezone.localdate(),
        "conversation_place": "i hjemmet",
        "bisidder_offered": True,
        **fields,
    }
    if values["kind"] in services_decisions.ORDER_KINDS:
        # The measure's terms an order must state (Barnets Lov § 32, stk. 2–3).
        provider = case.measures.values_list("provider_team", flat=True).first()
        team = (
            Team.objects.get(pk=provider)
            if provider
            else TeamFactory(unit=OrganisationUnitFactory(kind=OrganisationUnit.Kind.PROVIDER))
        )
        values = {
            "purpose": "Faste rammer i hverdagen.",
            "expected_duration_months": 6,
            "start_date": timezone.localdate(),
            "provider_team": team,
            "consent_given_on": timezone.localdate(),
            **values,
        }
    decision = services_decisions.decision_draft_create(case=case, user=user, **values)
    return services_decisions.decision_make(decision=decision, user=user)


def decision_letter_done(
    decision: Decision, content: bytes = b"%PDF-1.7\n% test decision letter\n%%EOF\n"
) -> DecisionLetter:
    """Store a PDF for the decision's letter as the task would (tests set MEDIA_ROOT)."""
    letter, _created = DecisionLetter.objects.get_or_create(decision=decision)
    letter.file.save(f"decision-{letter.pk}.pdf", ContentFile(content), save=False)
    letter.sha256 = hashlib.sha256(content).hexdigest()
    letter.status = DecisionLetter.Status.DONE
    letter.rendered_at = timezone.now()
    letter.save()
    return letter


def network_with_meeting(
    case: Case, user: User, *, member_name: str = "Mormor Grethe"
) -> SimpleNamespace:
    """Two network members (``member_name`` in the family's circle), a snapshot, and a network
    meeting the first is invited to, with a decision: through the services, as the owner."""
    member = network_services.network_member_add(
        case=case, user=user, name=member_name, sector="relatives", circle=2, relation="mormor"
    )
    network_services.network_member_add(case=case, user=user, name="Lærer Jens", sector="school")
    snapshot = network_services.network_snapshot_take(case=case, user=user, reason="Første møde")
    meeting = network_services.meeting_create(
        case=case,
        user=user,
        kind=Meeting.Kind.NETWORK_MEETING,
        starts_at=timezone.now() + dt.timedelta(days=2),
        place="Skolen",
        purpose="Morgener",
        invitations=[Invitation(member=member, child_wish="yes")],
    )
    decision = network_services.meeting_decision_add(
        meeting=meeting, member=member, what="Kører Emma"
    )
    return SimpleNamespace(member=member, snapshot=snapshot, meeting=meeting, decision=decision)


def logged_session(
    case: Case, therapist: User, measure: Measure, *, internal_note: str = ""
) -> Session:
    """A session of an hour at home today, started and logged by ``therapist``."""
    session = services_session.session_start(case=case, user=therapist, measure=measure)
    services_session.session_log(
        case=case,
        user=therapist,
        session=session,
        data=SessionData(
            date=timezone.localdate(),
            start_time=dt.time(0, 0),
            duration_minutes=60,
            location=Session.Location.HOME,
            methods=[Session.Method.GUIDANCE],
            internal_note=internal_note,
        ),
    )
    return session
