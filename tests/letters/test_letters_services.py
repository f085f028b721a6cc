"""The closing letter's state machine (letters/services.py): start and prefill, drafts,
review, revisions, the family's comments and approval, sending without approval, delivery
once, and the comparison between versions. The rendering task never runs here."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import CaseStatus, FamilyMember, FamilyRelation, Measure
from demo import factories as f
from followups.models import Reminder, Session
from letters import services as letters
from letters.models import ClosingLetter, ClosingLetterVersion, LetterRendering, LetterSection
from network.models import NetworkMember
from plans import services as plan_services
from plans.models import Area
from plans.services import RatingInput


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def rendered(monkeypatch):
    return f.fake_rendering_task(monkeypatch)


@pytest.fixture
def measure(case) -> Measure:
    return Measure.objects.get(case=case)


@pytest.fixture
def parent(personas) -> FamilyMember:
    return FamilyMember.objects.get(user=personas.family_user)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- start and prefill -----------------------------------------------------------------------


def test_start_prefills_course_themes_goals_and_network(case, measure, personas):
    day = timezone.localdate()
    for minutes, methods in ((90, ["family_conversation", "structure"]), (60, ["structure"])):
        Session.objects.create(
            case=case,
            measure=measure,
            therapist=personas.therapist,
            status=Session.Status.LOGGED,
            date=day,
            duration_minutes=minutes,
            location=Session.Location.HOME,
            methods=methods,
        )
    Session.objects.create(case=case, measure=measure, therapist=personas.therapist)  # a draft
    plan = plan_services.plan_create(case=case, user=personas.owner)
    goal = plan_services.plan_goal_add(
        plan=plan, area=Area.SCHOOL, family_wording="Emma kommer i skole"
    )
    for days_ago, value in ((30, 3), (2, 7)):
        plan_services.plan_rating_round_record(
            plan=plan,
            user=personas.owner,
            held_on=day - dt.timedelta(days=days_ago),
            ratings=[RatingInput(goal=goal, rater_kind="parent", rater_name="Mor", value=value)],
        )
    for name, circle in (("Mormor Grethe", 1), ("Fjern onkel", 3)):
        NetworkMember.objects.create(
            case=case,
            name=name,
            relation="mormor" if circle == 1 else "onkel",
            sector="relatives",
            circle=circle,
            role="Henter om fredagen" if circle == 1 else "",
            created_by=personas.owner,
        )

    letter = letters.letter_start(measure=measure, user=personas.therapist)

    version = letters.letter_latest_version(letter)
    assert version.number == 1 and not version.is_frozen
    assert letter.status == ClosingLetter.Status.DRAFT and letter.author == personas.therapist
    course = version.sections[LetterSection.COURSE]
    # The law is a small note the letter prints under the measure, not part of the text.
    assert measure.legal_basis.reference not in course
    assert f"{measure.start_date:%d.%m.%Y}" in course
    assert measure.purpose in course
    assert "2 møder" in course and "2,5 timer" in course  # logged sessions only
    themes = version.sections[LetterSection.THEMES]
    assert themes.splitlines()[0] == "- Struktur og rytme i hverdagen"  # most used first
    assert "Familiesamtale" in themes
    goals = version.sections[LetterSection.GOALS]
    assert "Emma kommer i skole" in goals and "fra 3" in goals and "til 7" in goals
    handover = version.sections[LetterSection.HANDOVER]
    assert "Mormor Grethe (mormor): Henter om fredagen" in handover
    assert "Fjern onkel" not in handover  # outer circles are not who takes over
    assert version.sections[LetterSection.COLLABORATION] == ""


def test_start_twice_gives_the_same_letter(measure, personas):
    first = letters.letter_start(measure=measure, user=personas.therapist)
    second = letters.letter_start(measure=measure, user=personas.therapist)
    assert first.pk == second.pk
    assert ClosingLetterVersion.objects.filter(letter=first).count() == 1


@pytest.mark.parametrize("who", ["owner", "team_lead", "other_therapist"])
def test_only_an_assigned_therapist_starts_the_letter(measure, personas, who):
    with pytest.raises(ValidationError):
        letters.letter_start(measure=measure, user=getattr(personas, who))
    assert not ClosingLetter.objects.exists()


def test_no_letter_on_a_closed_case(case, measure, personas):
    case.status = CaseStatus.CLOSED
    case.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="lukket"):
        letters.letter_start(measure=measure, user=personas.therapist)


# --- drafts ----------------------------------------------------------------------------------


def test_update_draft_saves_cleaned_sections(measure, personas):
    letter = letters.letter_start(measure=measure, user=personas.therapist)
    version = letters.letter_update_draft(
        letter=letter,
        user=personas.therapist,
        sections={"course": "  Forløbet.  ", "unknown": "ignored"},
        change_note=" Første udkast ",
    )
    version.refresh_from_db()
    assert version.sections == {
        "course": "Forløbet.",
        "collaboration": "",
        "themes": "",
        "goals": "",
        "handover": "",
    }
    assert version.change_note == "Første udkast"


def test_update_draft_refuses_too_long_text_and_keeps_the_old(measure, personas):
    letter = f.letter_draft(measure, personas.therapist)
    with pytest.raises(ValidationError) as excinfo:
        letters.letter_update_draft(
            letter=letter,
            user=personas.therapist,
            sections={**f.LETTER_TEXTS, "themes": "x" * (letters.SECTION_MAX + 1)},
        )
    assert "themes" in errors_of(excinfo)
    assert letters.letter_latest_version(letter).sections == f.LETTER_TEXTS


def test_update_draft_only_by_the_measures_therapist(measure, personas):
    letter = f.letter_draft(measure, personas.therapist)
    with pytest.raises(ValidationError):
        letters.letter_update_draft(
            letter=letter, user=personas.other_therapist, sections={"course": "Nej"}
        )
    assert letters.letter_latest_version(letter).sections == f.LETTER_TEXTS


def test_only_a_draft_can_be_updated(measure, personas):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    with pytest.raises(ValidationError, match="ny version"):
        letters.letter_update_draft(
            letter=letter, user=personas.therapist, sections={"course": "Ændret"}
        )
    assert letters.letter_latest_version(letter).sections == f.LETTER_TEXTS


# --- sending for review ----------------------------------------------------------------------


def test_reviewer_candidates_are_custody_parents_and_the_child_from_10(case, personas, measure):
    letter = f.letter_draft(measure, personas.therapist)
    family = FamilyMember.objects.get(user=personas.family_user).family
    child = FamilyMember.objects.get(family=family, is_child=True)
    step = FamilyMember.objects.create(family=family, first_name="Bonus", last_name="Far")
    FamilyRelation.objects.create(member=step, child=child, kind=FamilyRelation.Kind.STEP_PARENT)

    citizen = case.citizen
    today = timezone.localdate()
    citizen.birth_date = today.replace(year=today.year - 9)
    citizen.save(update_fields=["birth_date"])
    names = [m.pk for m in letters.letter_reviewer_candidates(letter)]
    assert names == [FamilyMember.objects.get(user=personas.family_user).pk]

    citizen.birth_date = today.replace(year=today.year - 11)
    citizen.save(update_fields=["birth_date"])
    letter.case.citizen.refresh_from_db()
    ids = [m.pk for m in letters.letter_reviewer_candidates(letter)]
    assert ids == [FamilyMember.objects.get(user=personas.family_user).pk, child.pk]


def test_send_for_review_freezes_the_version(
    measure, personas, parent, django_capture_on_commit_callbacks
):
    letter = f.letter_draft(measure, personas.therapist)
    due = timezone.localdate() + dt.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        version = letters.letter_send_for_review(
            letter=letter, user=personas.therapist, reviewers=[parent], review_due_on=due
        )
    letter.refresh_from_db()
    assert version.is_frozen
    assert letter.status == ClosingLetter.Status.IN_REVIEW
    assert letter.review_due_on == due
    assert list(letter.reviewers.all()) == [parent]
    assert len(mail.outbox) <= 1  # the parent's address, if any; never the child's name
    for message in mail.outbox:
        assert measure.case.citizen.first_name not in message.body


@pytest.mark.parametrize(
    ("setup", "field"),
    [
        ("empty", "sections"),
        ("nobody", "reviewers"),
        ("other_family", "reviewers"),
        ("no_login", "reviewers"),
        ("today", "review_due_on"),
        ("too_late", "review_due_on"),
    ],
)
def test_send_for_review_validation(measure, personas, parent, setup, field):
    sections = {s: "" for s in LetterSection.values} if setup == "empty" else None
    letter = f.letter_draft(measure, personas.therapist, sections)
    reviewers = [parent]
    if setup == "nobody":
        reviewers = []
    elif setup == "other_family":
        reviewers = [FamilyMember.objects.get(user=personas.other_family_user)]
    elif setup == "no_login":
        parent.user = None
        parent.save(update_fields=["user"])
    today = timezone.localdate()
    due = {"today": today, "too_late": today + dt.timedelta(days=91)}.get(
        setup, today + dt.timedelta(days=14)
    )
    with pytest.raises(ValidationError) as excinfo:
        letters.letter_send_for_review(
            letter=letter, user=personas.therapist, reviewers=reviewers, review_due_on=due
        )
    assert field in errors_of(excinfo)
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.DRAFT
    assert not letters.letter_latest_version(letter).is_frozen
    assert not letter.reviewers.exists()


def test_sending_twice_is_refused(measure, personas, parent):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    with pytest.raises(ValidationError):
        letters.letter_send_for_review(
            letter=letter,
            user=personas.therapist,
            reviewers=[parent],
            review_due_on=timezone.localdate() + dt.timedelta(days=3),
        )


# --- revising --------------------------------------------------------------------------------


def test_revise_creates_a_new_version_and_keeps_the_old_frozen(measure, personas):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    old = letters.letter_latest_version(letter)

    new = letters.letter_revise(letter=letter, user=personas.therapist)
    letters.letter_update_draft(
        letter=letter,
        user=personas.therapist,
        sections={**f.LETTER_TEXTS, "course": "Rettet efter jeres kommentar."},
        change_note="Rettet",
    )

    letter.refresh_from_db()
    old.refresh_from_db()
    new.refresh_from_db()
    assert letter.status == ClosingLetter.Status.DRAFT
    assert (old.number, new.number) == (1, 2)
    assert old.is_frozen and old.sections == f.LETTER_TEXTS
    assert not new.is_frozen and new.sections["course"] == "Rettet efter jeres kommentar."
    assert letters.letter_review_version(letter) == old


def test_revise_only_in_review_and_only_by_the_therapist(measure, personas):
    letter = f.letter_draft(measure, personas.therapist)
    with pytest.raises(ValidationError):
        letters.letter_revise(letter=letter, user=personas.therapist)
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    with pytest.raises(ValidationError):
        letters.letter_revise(letter=letter, user=personas.owner)
    assert letter.versions.count() == 1


# --- the family's comments and approval ------------------------------------------------------


def test_comment_by_a_chosen_reviewer(measure, personas):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    comment = letters.letter_comment(
        letter=letter, user=personas.family_user, section="course", text=" Det passer ikke. "
    )
    assert comment.text == "Det passer ikke."
    assert comment.version == letters.letter_review_version(letter)
    assert comment.created_at is not None


@pytest.mark.parametrize("who", ["other_family_user", "therapist", "owner"])
def test_comment_and_approve_only_by_chosen_reviewers(measure, personas, who, rendered):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    user = getattr(personas, who)
    with pytest.raises(ValidationError):
        letters.letter_comment(letter=letter, user=user, section="", text="Hej")
    with pytest.raises(ValidationError):
        letters.letter_approve(letter=letter, user=user)
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.IN_REVIEW
    assert not LetterRendering.objects.exists()


def test_comment_validation(measure, personas):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    with pytest.raises(ValidationError) as excinfo:
        letters.letter_comment(letter=letter, user=personas.family_user, section="nej", text=" ")
    assert set(errors_of(excinfo)) == {"section", "text"}


def test_no_comments_on_a_draft(measure, personas, parent):
    letter = f.letter_draft(measure, personas.therapist)
    letter.reviewers.add(parent)
    with pytest.raises(ValidationError):
        letters.letter_comment(letter=letter, user=personas.family_user, section="", text="Hej")


def test_approve_queues_the_rendering_after_commit(
    measure, personas, rendered, django_capture_on_commit_callbacks
):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    with django_capture_on_commit_callbacks(execute=True):
        rendering = letters.letter_approve(letter=letter, user=personas.family_user)
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.APPROVED
    assert letter.approved_by == personas.family_user and letter.approved_at is not None
    assert letter.approved_version == letters.letter_review_version(letter)
    assert rendering.status == LetterRendering.Status.QUEUED
    assert rendered == [rendering.pk]


# --- sending without approval ----------------------------------------------------------------


def test_send_without_approval_needs_a_reason(measure, personas, rendered):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    with pytest.raises(ValidationError) as excinfo:
        letters.letter_send_without_approval(letter=letter, user=personas.therapist, reason="  ")
    assert "reason" in errors_of(excinfo)
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.IN_REVIEW
    assert not LetterRendering.objects.exists()


@pytest.mark.parametrize("who", ["owner", "therapist"])
def test_send_without_approval_by_therapist_or_owner(
    measure, personas, rendered, who, django_capture_on_commit_callbacks
):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    with django_capture_on_commit_callbacks(execute=True):
        rendering = letters.letter_send_without_approval(
            letter=letter, user=getattr(personas, who), reason="Intet svar efter påmindelse."
        )
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.APPROVED
    assert letter.approved_by is None
    assert letter.sent_without_approval_reason == "Intet svar efter påmindelse."
    assert rendered == [rendering.pk]


@pytest.mark.parametrize("who", ["team_lead", "other_therapist", "family_user"])
def test_send_without_approval_refused_for_others(measure, personas, rendered, who):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    with pytest.raises(ValidationError):
        letters.letter_send_without_approval(
            letter=letter, user=getattr(personas, who), reason="Ingen svar."
        )
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.IN_REVIEW


def test_a_draft_cannot_be_sent_without_approval(measure, personas, rendered):
    letter = f.letter_draft(measure, personas.therapist)
    with pytest.raises(ValidationError):
        letters.letter_send_without_approval(letter=letter, user=personas.therapist, reason="x")


# --- delivery --------------------------------------------------------------------------------


def test_deliver_needs_the_pdf(measure, personas, rendered):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    rendering = letters.letter_approve(letter=letter, user=personas.family_user)
    with pytest.raises(ValidationError):
        letters.letter_deliver(rendering=rendering)
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.APPROVED
    assert not Reminder.objects.exists()


def test_deliver_is_idempotent(
    case, measure, personas, rendered, django_capture_on_commit_callbacks
):
    personas.owner.email = "sagsbehandler@example.org"
    personas.owner.save(update_fields=["email"])
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    rendering = f.rendering_done(letters.letter_approve(letter=letter, user=personas.family_user))

    with django_capture_on_commit_callbacks(execute=True):
        letters.letter_deliver(rendering=rendering)
    letter.refresh_from_db()
    sent_at = letter.sent_at
    with django_capture_on_commit_callbacks(execute=True):
        letters.letter_deliver(rendering=rendering)

    letter.refresh_from_db()
    measure.refresh_from_db()
    case.refresh_from_db()
    assert letter.status == ClosingLetter.Status.SENT
    assert letter.sent_at == sent_at
    reminders = Reminder.objects.filter(item=f"letter:{letter.pk}")
    assert reminders.count() == 1
    reminder = reminders.get()
    assert reminder.recipient == personas.owner
    assert reminder.level == Reminder.Level.LETTER_SENT
    # The letter ends nothing: the measure runs until the caseworker's end decision.
    assert measure.ended_on is None
    assert case.status == CaseStatus.MEASURE
    staff_mails = [m for m in mail.outbox if "sagsbehandler@example.org" in m.to]
    assert len(staff_mails) == 1
    assert case.citizen.cpr not in staff_mails[0].body


def test_deliver_keeps_an_already_ended_measure(measure, personas, rendered):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    rendering = f.rendering_done(letters.letter_approve(letter=letter, user=personas.family_user))
    ended = measure.start_date
    Measure.objects.filter(pk=measure.pk).update(ended_on=ended)
    letters.letter_deliver(rendering=rendering)
    measure.refresh_from_db()
    assert measure.ended_on == ended


# --- comparison ------------------------------------------------------------------------------


def test_compare_marks_added_and_removed_lines(measure, personas):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    old = letters.letter_latest_version(letter)
    letters.letter_revise(letter=letter, user=personas.therapist)
    new = letters.letter_update_draft(
        letter=letter,
        user=personas.therapist,
        sections={
            **f.LETTER_TEXTS,
            "collaboration": "Samarbejdet har været rigtig godt.",
        },
    )

    diffs = {d.section: d for d in letters.letter_compare(old, new)}

    assert list(diffs) == LetterSection.values
    assert not diffs["course"].changed
    assert all(kind == "same" for kind, _text in diffs["course"].lines)
    collaboration = diffs["collaboration"]
    assert collaboration.changed and collaboration.label == "Samarbejdet med familien"
    assert ("removed", f.LETTER_TEXTS["collaboration"]) in collaboration.lines
    assert ("added", "Samarbejdet har været rigtig godt.") in collaboration.lines
