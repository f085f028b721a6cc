"""The case's documents as a party's access to the files shows them: notifications (with the
reporter's identity held back where it is exempt or the reporter is confidential), assessments,
measures, decisions made, the plan, journal notes and the closing letters sent.

A document is addressed by its key, ``"<kind>:<id>"`` (the kinds of
``FileAccessExemption.Kind``); the exemption form offers these keys, the bundle leaves the
exempted ones out. Drafts are not documents here: a decision not yet made and a closing letter
not yet sent are the authority's working documents. The plan's internal note is never shown.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Assessment, Case, Decision, JournalNote, Measure, Notification
from file_access.models import FileAccessExemption
from letters.models import ClosingLetter, LetterSection
from plans.models import Plan

Kind = FileAccessExemption.Kind


@dataclass(frozen=True)
class Document:
    """One document of the case: its kind, id, title and date, and its content as (label,
    text) pairs in the order printed."""

    kind: str
    object_id: int
    title: str
    date: dt.date | None
    fields: list[tuple[str, str]] = field(default_factory=list)
    reporter_hidden: bool = False

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"

    @property
    def label(self) -> str:
        """The title and date in one line (the exemption form's choices)."""
        return f"{self.title} {self.date:%d.%m.%Y}" if self.date else self.title


def _user_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _present(pairs: Iterable[tuple[Any, Any]]) -> list[tuple[str, str]]:
    return [(str(label), str(text)) for label, text in pairs if text not in (None, "")]


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return f"{value:%d.%m.%Y}"


def reporter_text(notification: Notification) -> str:
    who = ", ".join(
        part for part in (notification.reporter_name, notification.reporter_organisation) if part
    )
    kind = str(notification.get_reporter_kind_display())
    return f"{kind}: {who}" if who else kind


def _notification(n: Notification, hidden: bool) -> Document:
    reporter = _("Undtaget fra aktindsigt") if hidden else reporter_text(n)
    acute = ""
    if n.acute_outcome:
        acute = str(n.get_acute_outcome_display())
        if n.acute_note:
            acute += f" – {n.acute_note}"
    return Document(
        kind=Kind.NOTIFICATION,
        object_id=n.pk,
        title=str(n.get_kind_display()),
        date=timezone.localdate(n.received_at),
        fields=_present(
            [
                (_("Modtaget"), _day(n.received_at)),
                (_("Underretter"), reporter),
                (_("Bekymring"), n.concern),
                (_("Vurdering af behov for akut hjælp"), acute),
            ]
        ),
        reporter_hidden=hidden,
    )


def _assessment(a: Assessment) -> Document:
    return Document(
        kind=Kind.ASSESSMENT,
        object_id=a.pk,
        title=str(a.get_kind_display()),
        date=a.started_on,
        fields=_present(
            [
                (_("Påbegyndt"), _day(a.started_on)),
                (_("Afsluttet"), _day(a.finished_on)),
                (_("Konklusion"), a.conclusion),
                (_("Forældrenes synspunkter"), a.parents_view),
                (_("Barnets/den unges synspunkter"), a.child_view),
            ]
        ),
    )


def _measure(m: Measure) -> Document:
    return Document(
        kind=Kind.MEASURE,
        object_id=m.pk,
        title=_("Indsats: %(basis)s") % {"basis": m.legal_basis.reference},
        date=m.start_date,
        fields=_present(
            [
                (_("Lovgrundlag"), f"{m.legal_basis.reference} – {m.legal_basis.title}"),
                (_("Formål"), m.purpose),
                (
                    _("Forventet varighed"),
                    _("%(months)d måneder") % {"months": m.expected_duration_months}
                    if m.expected_duration_months
                    else "",
                ),
                (_("Startdato"), _day(m.start_date)),
                (_("Planlagt slutdato"), _day(m.planned_end_date)),
                (_("Afsluttet"), _day(m.ended_on)),
            ]
        ),
    )


def _decision(d: Decision) -> Document:
    basis = d.legal_basis or (d.measure.legal_basis if d.measure else None)
    return Document(
        kind=Kind.DECISION,
        object_id=d.pk,
        title=_("Afgørelse: %(kind)s") % {"kind": d.get_kind_display()},
        date=timezone.localdate(d.decided_at) if d.decided_at else None,
        fields=_present(
            [
                (_("Truffet"), _day(d.decided_at)),
                (_("Lovgrundlag"), f"{basis.reference} – {basis.title}" if basis else ""),
                (_("Sagens faktiske omstændigheder"), d.facts),
                (_("Begrundelse"), d.reasons),
                (_("Barnets/den unges synspunkter"), d.child_view),
            ]
        ),
    )


def _plan(plan: Plan) -> Document:
    goals = "\n".join(f"- {goal.family_wording}" for goal in plan.goals.all())
    return Document(
        kind=Kind.PLAN,
        object_id=plan.pk,
        title=str(plan.get_kind_display()),
        date=timezone.localdate(plan.updated_at),
        fields=_present(
            [
                (_("Version"), str(plan.version)),
                (_("Overordnet formål"), plan.purpose),
                (_("Barnets stemme"), plan.child_voice),
                (_("Forældrenes syn"), plan.parents_view),
                (_("Mål"), goals),
            ]
        ),
    )


def _journal_note(note: JournalNote) -> Document:
    corrects = note.corrects
    return Document(
        kind=Kind.JOURNAL_NOTE,
        object_id=note.pk,
        title=_("Journalnotat"),
        date=timezone.localdate(note.created_at),
        fields=_present(
            [
                (_("Skrevet"), f"{_day(note.created_at)}, {_user_name(note.author)}"),
                (
                    _("Retter"),
                    _("Journalnotat fra %(date)s") % {"date": _day(corrects.created_at)}
                    if corrects is not None
                    else "",
                ),
                (_("Notat"), note.text),
            ]
        ),
    )


def _closing_letter(letter: ClosingLetter) -> Document | None:
    version = letter.approved_version or letter.versions.order_by("-number").first()
    if version is None:
        return None
    sections = version.sections or {}
    return Document(
        kind=Kind.CLOSING_LETTER,
        object_id=letter.pk,
        title=_("Afsluttende statusskrivelse"),
        date=timezone.localdate(letter.sent_at) if letter.sent_at else None,
        fields=_present((label, sections.get(value, "")) for value, label in LetterSection.choices),
    )


def hidden_reporters(case: Case, exempt_keys: set[str]) -> set[int]:
    """The notifications whose reporter is held back: confidential, or exempted."""
    confidential = set(
        Notification.objects.filter(case=case, reporter_confidential=True).values_list(
            "pk", flat=True
        )
    )
    exempted = {
        int(key.split(":", 1)[1]) for key in exempt_keys if key.startswith(f"{Kind.REPORTER}:")
    }
    return confidential | exempted


def case_documents(case: Case, *, exempt_keys: set[str] | None = None) -> list[Document]:
    """Every document of ``case`` a party may ask to see, oldest first within each kind (the
    exempted ones too: the caller leaves them out)."""
    hidden = hidden_reporters(case, exempt_keys or set())
    documents: list[Document] = []
    for n in Notification.objects.filter(case=case).order_by("received_at", "pk"):
        documents.append(_notification(n, n.pk in hidden))
    for a in Assessment.objects.filter(case=case).order_by("started_on", "pk"):
        documents.append(_assessment(a))
    measures = Measure.objects.filter(case=case).select_related("legal_basis")
    for m in measures.order_by("start_date", "pk"):
        documents.append(_measure(m))
    decisions = Decision.objects.filter(case=case, status=Decision.Status.DECIDED).select_related(
        "legal_basis", "measure__legal_basis"
    )
    for d in decisions.order_by("decided_at", "pk"):
        documents.append(_decision(d))
    plan = Plan.objects.filter(case=case).prefetch_related("goals").first()
    if plan is not None:
        documents.append(_plan(plan))
    notes = JournalNote.objects.filter(case=case).select_related("author", "corrects")
    for note in notes.order_by("created_at", "pk"):
        documents.append(_journal_note(note))
    letters = ClosingLetter.objects.filter(case=case, status=ClosingLetter.Status.SENT)
    for letter in letters.select_related("approved_version").order_by("sent_at", "pk"):
        document = _closing_letter(letter)
        if document is not None:
            documents.append(document)
    return documents


def exemption_choices(case: Case) -> list[tuple[str, str]]:
    """What may be exempted on ``case``, as (key, label): each document, and the identity of
    each notification's named reporter."""
    choices: list[tuple[str, str]] = []
    for n in Notification.objects.filter(case=case).order_by("received_at", "pk"):
        if n.reporter_kind != Notification.ReporterKind.ANONYMOUS:
            label = _("Underretterens identitet – underretning %(date)s") % {
                "date": _day(n.received_at)
            }
            choices.append((f"{Kind.REPORTER}:{n.pk}", label))
    choices += [(d.key, d.label) for d in case_documents(case)]
    return choices
