"""Closing status letters: drafted by the therapist, reviewed by the family, rendered once, sent.

The life of a letter::

    draft ──send for review──▶ in_review ──family approves──▶ approved ──rendered──▶ sent
      ▲                           │
      └──────── revise ◀──────────┘      in_review ──send without approval (reason)──▶ approved

Each version's text is frozen when it is sent for review; a revision is a new version, so
the family can see what changed. Approving (or sending without approval, with a reason) queues
the rendering task (``letters.tasks.render_closing_letter``) after the transaction commits; the
task renders the chosen version once and calls ``letter_deliver``.
"""

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from access import rules as permissions
from accounts.models import User
from cases.models import CaseStatus, FamilyMember, FamilyRelation, Measure, age_on
from core import outbox
from followups.models import Reminder, Session
from letters import digital_post
from letters.models import (
    ClosingLetter,
    ClosingLetterComment,
    ClosingLetterVersion,
    LetterRendering,
    LetterSection,
)
from network.models import NetworkMember, Sector
from plans.models import Goal, Rating

SECTION_MAX = 20_000
COMMENT_MAX = 5_000
REASON_MAX = 2_000
CHILD_REVIEWER_AGE = 10
DEFAULT_REVIEW_DAYS = 14

Status = ClosingLetter.Status


def _raise(errors: Mapping[str, Any]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def _lock(letter: ClosingLetter) -> ClosingLetter:
    return (
        ClosingLetter.objects.select_for_update()
        .select_related("case", "measure")
        .get(pk=letter.pk)
    )


def letter_latest_version(letter: ClosingLetter) -> ClosingLetterVersion:
    return letter.versions.order_by("-number").first()  # type: ignore[return-value]


def letter_review_version(letter: ClosingLetter) -> ClosingLetterVersion | None:
    """The newest version the family has been given to read."""
    return letter.versions.exclude(sent_for_review_at=None).order_by("-number").first()


# --- prefill ---------------------------------------------------------------------------------


def danish_number(value: float | Decimal, places: int = 1) -> str:
    """A number as the family reads it in Danish: a decimal comma, no trailing ",0" unless
    ``places`` asks for it (3.25 → "3,3" with one place; 6.0 → "6")."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "−")


def _hours(minutes: int | None) -> str:
    return danish_number(Decimal(minutes or 0) / 60)


def _course_text(measure: Measure) -> str:
    logged = Session.objects.filter(measure=measure, status=Session.Status.LOGGED)
    totals = logged.aggregate(minutes=Sum("duration_minutes"), count=Count("id"))
    total, count = totals["minutes"], totals["count"]
    places = Counter(logged.values_list("location", flat=True))
    place_labels = dict(Session.Location.choices)
    where = ", ".join(str(place_labels.get(p, p)).lower() for p, _n in places.most_common(3))
    end = measure.ended_on or measure.planned_end_date
    # The legal reference is not part of the family's text: the letter prints it in a small
    # note under the measure (templates/letters/letter_pdf.html).
    lines = [
        _("Indsatsen begyndte den %(start)s%(end)s.")
        % {
            "start": f"{measure.start_date:%d.%m.%Y}",
            "end": _(" og slutter den %(end)s") % {"end": f"{end:%d.%m.%Y}"} if end else "",
        },
        _("Formålet var: %(purpose)s") % {"purpose": measure.purpose.strip()},
    ]
    if count:
        lines.append(
            _("Vi har haft %(count)d møder med familien, i alt %(hours)s timer, mest %(where)s.")
            % {"count": count, "hours": _hours(total), "where": where}
        )
    return "\n\n".join(lines)


def _themes_text(measure: Measure) -> str:
    labels = dict(Session.Method.choices)
    used: Counter[str] = Counter()
    for methods in Session.objects.filter(
        measure=measure, status=Session.Status.LOGGED
    ).values_list("methods", flat=True):
        used.update(methods or [])
    if not used:
        return ""
    return "\n".join(f"- {labels.get(m, m)}" for m, _n in used.most_common())


def _goals_text(measure: Measure) -> str:
    goals = list(Goal.objects.filter(plan__case_id=measure.case_id))
    if not goals:
        return ""
    ratings: dict[int, list[tuple[dt.date, int]]] = {}
    for goal_id, held_on, value in (
        Rating.objects.filter(goal__in=goals)
        .order_by("round__held_on")
        .values_list("goal_id", "round__held_on", "value")
    ):
        ratings.setdefault(goal_id, []).append((held_on, value))
    lines = []
    for goal in goals:
        wording = goal.family_wording.strip()
        if not wording.endswith((".", "!", "?")):
            wording += "."
        line = f"- {wording} {goal_status_words(goal)}"
        series = ratings.get(goal.pk, [])
        if series:
            first_day, last_day = series[0][0], series[-1][0]
            first = [v for d, v in series if d == first_day]
            last = [v for d, v in series if d == last_day]
            line += " " + _(
                "På skalaen fra 0 til 10 gik det fra %(first)s (%(first_day)s) "
                "til %(last)s (%(last_day)s)."
            ) % {
                "first": danish_number(sum(first) / len(first)),
                "first_day": f"{first_day:%d.%m.%Y}",
                "last": danish_number(sum(last) / len(last)),
                "last_day": f"{last_day:%d.%m.%Y}",
            }
        lines.append(line)
    return "\n".join(lines)


def goal_status_words(goal: Goal) -> str:
    """A goal's status in plain Danish for the family's letter, never the plan's own tag
    ("åbent", "opgivet"); a goal given up says why when the plan does."""
    if goal.status == Goal.Status.REACHED:
        return _("Målet er nået.")
    if goal.status == Goal.Status.DROPPED:
        words = _("Vi holdt op med at arbejde med målet, fordi det ikke længere passede.")
        reason = goal.dropped_reason.strip().rstrip(".")
        if reason:
            words = _("Vi holdt op med at arbejde med målet. Hvorfor: %(reason)s.") % {
                "reason": reason
            }
        return words
    return _("Målet er ikke nået helt endnu, og der arbejdes stadig med det.")


def _person_title(user: User) -> str:
    return (user.title or user.get_role_display()).lower()


def _handover_text(measure: Measure) -> str:
    """Who the family turns to when the measure ends: the caseworker (the case's owner), any
    other measure that goes on, and the people close to the child in the network map. Never
    the therapists who are leaving with this measure."""
    case = measure.case
    owner = case.owner
    departing = list(measure.therapists.all())
    departing_ids = {u.pk for u in departing}
    departing_names = {u.get_full_name().casefold() for u in departing} - {""}
    owner_name = owner.get_full_name() or owner.get_username()
    paragraphs = [
        _(
            "Når indsatsen slutter, er %(name)s, %(title)s, jeres kontaktperson i kommunen. "
            "Hvordan I får fat i %(name)s, står sidst i brevet."
        )
        % {"name": owner_name, "title": _person_title(owner)}
    ]
    continuing = (
        Measure.objects.filter(case_id=case.pk, ended_on=None)
        .exclude(pk=measure.pk)
        .select_related("legal_basis", "provider_team__unit")
        .order_by("start_date", "pk")
    )
    for other in continuing:
        provider = provider_name(other.provider_team)
        paragraphs.append(
            _("%(measure)s fortsætter hos %(provider)s.")
            % {"measure": other.legal_basis.title, "provider": provider}
            if provider
            else _("%(measure)s fortsætter.") % {"measure": other.legal_basis.title}
        )
    # The people close to the child, outside the household the letter is written to (the
    # map's family sector), each once.
    members: list[NetworkMember] = []
    named: set[tuple[str, str]] = set()
    for m in (
        NetworkMember.objects.filter(case_id=case.pk, removed_at=None, circle__lte=2)
        .exclude(sector=Sector.FAMILY)
        .order_by("circle", "name")
    ):
        key = (m.name.casefold(), m.relation.casefold())
        if (
            m.user_id in departing_ids | {owner.pk}
            or m.name.casefold() in departing_names | {owner_name.casefold()}
            or key in named
        ):
            continue
        named.add(key)
        members.append(m)
    if members:
        paragraphs.append(
            "\n".join(
                [_("Tæt på jer er der også de her mennesker, som kan støtte jer:")]
                + [
                    f"- {m.name}"
                    + (f" ({m.relation})" if m.relation else "")
                    + (f": {m.role}" if m.role else "")
                    for m in members
                ]
            )
        )
    return "\n\n".join(paragraphs)


def provider_name(team: Any) -> str:
    """The provider as a family reads it: the team and its unit, said once when they have
    the same name ("Familiehuset", not "Familiehuset, Familiehuset")."""
    if team is None:
        return ""
    unit = getattr(team, "unit", None)
    unit_name = unit.name if unit is not None else ""
    if not unit_name or unit_name.casefold() == team.name.casefold():
        return str(team.name)
    if team.name.casefold() in unit_name.casefold():
        return str(unit_name)
    return f"{team.name}, {unit_name}"


def letter_prefill(measure: Measure) -> dict[str, str]:
    """The sections as far as the case can write them; the therapist completes them."""
    return {
        LetterSection.COURSE: _course_text(measure),
        LetterSection.COLLABORATION: "",
        LetterSection.THEMES: _themes_text(measure),
        LetterSection.GOALS: _goals_text(measure),
        LetterSection.HANDOVER: _handover_text(measure),
    }


# --- the therapist's side --------------------------------------------------------------------


@transaction.atomic
def letter_start(*, measure: Measure, user: User) -> ClosingLetter:
    """The measure's letter with version 1 prefilled from the case (or the existing letter)."""
    measure = (
        Measure.objects.select_for_update().select_related("case", "legal_basis").get(pk=measure.pk)
    )
    existing = ClosingLetter.objects.filter(measure=measure).first()
    if existing is not None:
        return existing
    if not permissions.case_access(user, measure.case).can_write_letter(measure):
        raise ValidationError(_("Kun en behandler på indsatsen kan skrive statusskrivelsen."))
    if measure.case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Sagen er lukket."))
    letter = ClosingLetter.objects.create(measure=measure, case=measure.case, author=user)
    # The family reads the letter in Danish, whatever language its writer works in.
    with override(settings.LANGUAGE_CODE):
        sections = letter_prefill(measure)
    ClosingLetterVersion.objects.create(letter=letter, number=1, sections=sections, created_by=user)
    return letter


def _clean_sections(sections: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    cleaned, errors = {}, {}
    for section in LetterSection.values:
        text = (sections.get(section) or "").strip()
        if len(text) > SECTION_MAX:
            errors[section] = _("Afsnittet må højst være %(max)d tegn.") % {"max": SECTION_MAX}
        cleaned[section] = text
    return cleaned, errors


@transaction.atomic
def letter_update_draft(
    *,
    letter: ClosingLetter,
    user: User,
    sections: Mapping[str, str],
    change_note: str = "",
) -> ClosingLetterVersion:
    """Save the text of the version being written (never a version already sent for review)."""
    letter = _lock(letter)
    if not permissions.case_access(user, letter.case).can_write_letter(letter.measure):
        raise ValidationError(_("Kun en behandler på indsatsen kan skrive statusskrivelsen."))
    if letter.status != Status.DRAFT:
        raise ValidationError(_("Brevet kan ikke ændres nu: start en ny version."))
    version = letter_latest_version(letter)
    if version.is_frozen:
        raise ValidationError(_("Versionen er sendt til familien og kan ikke ændres."))
    cleaned, errors = _clean_sections(sections)
    change_note = change_note.strip()
    if len(change_note) > 500:
        errors["change_note"] = _("Teksten må højst være %(max)d tegn.") % {"max": 500}
    _raise(errors)
    version.sections = cleaned
    version.change_note = change_note
    version.save(update_fields=["sections", "change_note", "updated_at"])
    return version


def letter_reviewer_candidates(letter: ClosingLetter) -> list[FamilyMember]:
    """Who may read the letter before it is sent: the child's parents with custody and the
    child from 10 years (where the caseworker decides). A child of parents who live apart is
    a member of both households; it is offered once (preferably the row with a portal login)."""
    child = letter.case.citizen
    members = (
        FamilyMember.objects.filter(family__members__citizen=child)
        .select_related("citizen", "user")
        .distinct()
        .order_by("is_child", "first_name", "id")
    )
    custody = set(
        FamilyRelation.objects.filter(
            child__citizen=child, kind=FamilyRelation.Kind.PARENT_CUSTODY
        ).values_list("member_id", flat=True)
    )
    today = timezone.localdate()
    child_is_old_enough = age_on(child.birth_date, today) >= CHILD_REVIEWER_AGE
    result: list[FamilyMember] = []
    child_row: FamilyMember | None = None
    for m in members:
        if not m.is_child and m.pk in custody:
            result.append(m)
        elif (
            m.citizen_id == child.pk
            and child_is_old_enough
            and (child_row is None or (m.user_id and not child_row.user_id))
        ):
            child_row = m
    if child_row is not None:
        result.append(child_row)
    return result


@transaction.atomic
def letter_send_for_review(
    *,
    letter: ClosingLetter,
    user: User,
    reviewers: Sequence[FamilyMember],
    review_due_on: dt.date,
) -> ClosingLetterVersion:
    """Freeze the current version and give it to the family to read, comment or approve."""
    letter = _lock(letter)
    if not permissions.case_access(user, letter.case).can_write_letter(letter.measure):
        raise ValidationError(_("Kun en behandler på indsatsen kan sende statusskrivelsen."))
    if letter.status != Status.DRAFT:
        raise ValidationError(_("Brevet er allerede sendt til familien."))
    version = letter_latest_version(letter)
    errors: dict[str, str] = {}
    if not any(version.sections.get(s, "").strip() for s in LetterSection.values):
        errors["sections"] = _("Skriv brevet, før det sendes til familien.")
    allowed = {m.pk for m in letter_reviewer_candidates(letter)}
    chosen = [m for m in reviewers if m.pk in allowed]
    if not reviewers:
        errors["reviewers"] = _("Vælg hvem i familien der skal læse brevet.")
    elif len(chosen) != len(reviewers):
        errors["reviewers"] = _("Vælg blandt barnets forældre og barnet selv.")
    elif not any(m.user_id for m in chosen):
        errors["reviewers"] = _(
            "Ingen af de valgte har adgang til familieportalen. Send en invitation først."
        )
    today = timezone.localdate()
    if review_due_on <= today:
        errors["review_due_on"] = _("Svarfristen skal ligge efter i dag.")
    elif review_due_on > today + dt.timedelta(days=90):
        errors["review_due_on"] = _("Svarfristen kan højst være 90 dage.")
    _raise(errors)
    now = timezone.now()
    version.sent_for_review_at = now
    version.save(update_fields=["sent_for_review_at", "updated_at"])
    letter.reviewers.set(chosen)
    letter.status = Status.IN_REVIEW
    letter.review_due_on = review_due_on
    letter.save(update_fields=["status", "review_due_on"])
    _mail_family_review(letter)  # into the outbox, in this transaction
    return version


@transaction.atomic
def letter_revise(*, letter: ClosingLetter, user: User) -> ClosingLetterVersion:
    """Start a new version from the one under review (after the family's comments)."""
    letter = _lock(letter)
    if letter.status != Status.IN_REVIEW:
        raise ValidationError(_("Kun et brev til gennemsyn kan revideres."))
    if not permissions.case_access(user, letter.case).can_write_letter(letter.measure):
        raise ValidationError(_("Kun en behandler på indsatsen kan revidere statusskrivelsen."))
    last = letter_latest_version(letter)
    version = ClosingLetterVersion.objects.create(
        letter=letter, number=last.number + 1, sections=dict(last.sections), created_by=user
    )
    letter.status = Status.DRAFT
    letter.save(update_fields=["status"])
    return version


# --- the family's side -----------------------------------------------------------------------


def _reviewer_member(letter: ClosingLetter, user: User) -> FamilyMember | None:
    return letter.reviewers.filter(user=user).first()


@transaction.atomic
def letter_comment(
    *, letter: ClosingLetter, user: User, section: str, text: str
) -> ClosingLetterComment:
    letter = _lock(letter)
    if letter.status != Status.IN_REVIEW:
        raise ValidationError(_("Brevet er ikke til gennemsyn lige nu."))
    if _reviewer_member(letter, user) is None:
        raise ValidationError(_("Du er ikke blandt dem, der skal læse brevet."))
    errors: dict[str, str] = {}
    if section and section not in LetterSection.values:
        errors["section"] = _("Vælg et afsnit.")
    text = text.strip()
    if not text:
        errors["text"] = _("Skriv din kommentar.")
    elif len(text) > COMMENT_MAX:
        errors["text"] = _("Kommentaren må højst være %(max)d tegn.") % {"max": COMMENT_MAX}
    _raise(errors)
    version = letter_review_version(letter)
    assert version is not None  # in review means a version was sent for review
    return ClosingLetterComment.objects.create(
        version=version, section=section, author=user, text=text
    )


def _queue_rendering(letter: ClosingLetter, version: ClosingLetterVersion) -> LetterRendering:
    rendering, _created = LetterRendering.objects.get_or_create(version=version)
    from letters import tasks

    transaction.on_commit(lambda: tasks.render_closing_letter.delay(rendering.pk))
    return rendering


@transaction.atomic
def letter_approve(*, letter: ClosingLetter, user: User) -> LetterRendering:
    """The family approves the version it read: it is rendered and sent."""
    letter = _lock(letter)
    if letter.status != Status.IN_REVIEW:
        raise ValidationError(_("Brevet er ikke til gennemsyn lige nu."))
    if _reviewer_member(letter, user) is None:
        raise ValidationError(_("Du er ikke blandt dem, der skal læse brevet."))
    version = letter_review_version(letter)
    assert version is not None
    letter.status = Status.APPROVED
    letter.approved_version = version
    letter.approved_at = timezone.now()
    letter.approved_by = user
    letter.save(update_fields=["status", "approved_version", "approved_at", "approved_by"])
    return _queue_rendering(letter, version)


@transaction.atomic
def letter_send_without_approval(
    *, letter: ClosingLetter, user: User, reason: str
) -> LetterRendering:
    """Send the version the family has had, without its approval, with the reason recorded
    (e.g. no answer by the review deadline after a reminder). The family is told why."""
    letter = _lock(letter)
    if letter.status != Status.IN_REVIEW:
        raise ValidationError(_("Kun et brev, familien har haft til gennemsyn, kan sendes."))
    if not permissions.case_access(user, letter.case).can_send_letter(letter.measure):
        raise ValidationError(_("Du kan ikke sende dette brev."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv hvorfor brevet sendes uden godkendelse.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Teksten må højst være %(max)d tegn.") % {"max": REASON_MAX}}
        )
    version = letter_review_version(letter)
    assert version is not None
    letter.status = Status.APPROVED
    letter.approved_version = version
    letter.sent_without_approval_reason = reason
    letter.save(update_fields=["status", "approved_version", "sent_without_approval_reason"])
    return _queue_rendering(letter, version)


# --- delivery (called by the rendering task once the PDF is stored) --------------------------


@transaction.atomic
def letter_deliver(*, rendering: LetterRendering) -> ClosingLetter:
    """The PDF exists: the letter is sent (once), the caseworker's inbox gets it and both sides
    are e-mailed. Sending the letter ends nothing: a measure ends only by the caseworker's
    decision (``cases.decisions``). Idempotent: a second call changes nothing."""
    letter = _lock(rendering.version.letter)
    if letter.status == Status.SENT:
        return letter
    if rendering.status != LetterRendering.Status.DONE:
        raise ValidationError(_("Brevet er ikke dannet endnu."))
    now = timezone.now()
    letter.status = Status.SENT
    letter.sent_at = now
    letter.save(update_fields=["status", "sent_at"])
    Reminder.objects.get_or_create(
        item=f"letter:{letter.pk}",
        level=Reminder.Level.LETTER_SENT,
        recipient_id=letter.case.owner_id,
        defaults={
            "case": letter.case,
            # Stored in Danish whatever the sender's language; shown through data_label.
            "title": gettext_noop("Afsluttende statusskrivelse modtaget"),
            "due_at": now,
            "created_at": now,
        },
    )
    _mail_sent(letter)  # into the outbox, in this transaction
    digital_post.deliveries_create(letter)  # the PDF to each reader's Digital Post (or print)
    return letter


# --- comparison ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionDiff:
    section: str
    label: str
    changed: bool
    # (kind, text) with kind "same", "added" or "removed", line by line.
    lines: list[tuple[str, str]]


def letter_compare(old: ClosingLetterVersion, new: ClosingLetterVersion) -> list[SectionDiff]:
    """A readable comparison per section, line by line."""
    result = []
    for section, label in LetterSection.choices:
        before = (old.sections.get(section) or "").splitlines()
        after = (new.sections.get(section) or "").splitlines()
        lines: list[tuple[str, str]] = []
        for op in difflib.ndiff(before, after):
            code, text = op[:2], op[2:]
            if code == "  ":
                lines.append(("same", text))
            elif code == "- ":
                lines.append(("removed", text))
            elif code == "+ ":
                lines.append(("added", text))
        result.append(
            SectionDiff(section=section, label=str(label), changed=before != after, lines=lines)
        )
    return result


# --- mail (no child's name or CPR number, no text typed by staff: a subject, the case number
# and a link), written to the outbox (core.outbox) in the transaction of the change ----------


def _family_addresses(letter: ClosingLetter) -> list[str]:
    addresses = []
    for member in letter.reviewers.select_related("user"):
        address = member.email or (member.user.email if member.user else "")
        if address:
            addresses.append(address)
    return addresses


def _mail_family_review(letter: ClosingLetter) -> None:
    base = settings.SITE_URL.rstrip("/")
    with override(settings.LANGUAGE_CODE):
        body = _(
            "Der ligger en afsluttende statusskrivelse til jer i Familieværft. Læs den, og "
            "kommentér eller godkend den senest %(date)s:\n%(url)s"
        ) % {
            "date": f"{letter.review_due_on:%d.%m.%Y}" if letter.review_due_on else "",
            "url": base + reverse("family:home"),
        }
        subject = _("Statusskrivelse til gennemsyn")
    for address in _family_addresses(letter):
        outbox.email_queue(to=address, subject=subject, body=body)


def _mail_sent(letter: ClosingLetter) -> None:
    base = settings.SITE_URL.rstrip("/")
    with override(settings.LANGUAGE_CODE):
        subject = _("Afsluttende statusskrivelse sendt")
        family_body = _(
            "Den afsluttende statusskrivelse er sendt. I kan hente den i Familieværft:\n%(url)s"
        ) % {"url": base + reverse("family:home")}
        if letter.sent_without_approval_reason:
            # The reason is staff's own words: it is in the portal, not in the mail.
            family_body += "\n\n" + _(
                "Brevet er sendt uden jeres godkendelse. Kommunens begrundelse står i "
                "familieportalen."
            )
        staff_body = _("Statusskrivelsen for sag %(number)s er sendt:\n%(url)s") % {
            "number": letter.case.number,
            "url": base
            + reverse(
                "letters:closing_letter_detail",
                kwargs={"case_id": letter.case_id, "letter_id": letter.pk},
            ),
        }
    for address in _family_addresses(letter):
        outbox.email_queue(to=address, subject=subject, body=family_body)
    outbox.email_queue(to=letter.case.owner.email, subject=subject, body=staff_body)
