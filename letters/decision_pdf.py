"""The decision letter (afgørelsesbrev) as a PDF: what was decided and from when, the legal
basis, the facts and the reasons (Forvaltningsloven §§ 22–24), the child's view, and the
complaint guidance (klagevejledning, Forvaltningsloven § 25; Retssikkerhedsloven §§ 66–67): a
complaint goes to the municipality within 4 weeks of receiving the decision, in writing or
orally, to the caseworker; the municipality reconsiders it within 4 weeks and, if it keeps its
decision, sends the complaint on to Ankestyrelsen.

Rendering is a pure function of the decision made (and the case data it names), with
WeasyPrint under the closing letter's rules (``letters.pdf``: only our own static files, one
font configuration per thread); ``letters.tasks.render_decision_letter`` stores the result.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import Case, Decision, FamilyMember
from letters.pdf import _pdf, text_blocks

TEMPLATE = "letters/decision_pdf.html"
# Retssikkerhedsloven § 67: a complaint is lodged within 4 weeks of receiving the decision.
COMPLAINT_WEEKS = 4

Kind = Decision.Kind


def complaint_deadline(decided_on: dt.date) -> dt.date:
    """The last day to complain, counted from the day the decision was made (the letter says
    that the 4 weeks run from the day it is received)."""
    return decided_on + dt.timedelta(weeks=COMPLAINT_WEEKS)


def _recipient(case: Case) -> dict[str, Any]:
    child = case.citizen
    membership = (
        FamilyMember.objects.filter(citizen=child, is_child=True)
        .select_related("family")
        .order_by("id")
        .first()
    )
    family = membership.family if membership is not None else None
    street = (family.address if family is not None and family.address else "") or child.address
    town = f"{child.postal_code} {child.city}".strip()
    if town and town in street:
        town = ""
    return {
        "name": family.name if family is not None else child.full_name,
        "lines": [line for line in (street, town) if line],
    }


def _what(decision: Decision) -> str:
    """What was decided, in one plain sentence."""
    basis = decision.applicable_legal_basis
    title = basis.title.lower() if basis is not None else ""
    sentences: dict[str, str] = {
        Kind.APPLICATION_GRANT: _("Kommunen har besluttet at bevilge ansøgningen."),
        Kind.APPLICATION_REFUSAL: _("Kommunen har besluttet at give afslag på ansøgningen."),
        Kind.MEASURE_ORDER: _("Kommunen har besluttet at sætte støtte i gang: %(title)s."),
        Kind.MEASURE_CHANGE: _("Kommunen har besluttet at ændre støtten: %(title)s."),
        Kind.MEASURE_END: _("Kommunen har besluttet, at støtten skal stoppe: %(title)s."),
        Kind.PLAN: _("Kommunen har truffet afgørelse om handleplanen eller ungeplanen."),
        Kind.AFTER_18: _("Kommunen har truffet afgørelse om støtte efter det fyldte 18. år."),
        Kind.YOUNG_ADULT: _(
            "Kommunen har besluttet at give støtte som ung voksen (efterværn), længst til det "
            "fyldte 23. år."
        ),
    }
    sentence = sentences.get(decision.kind, str(decision.get_kind_display()))
    return sentence % {"title": title} if "%(title)s" in sentence else sentence


def _applies_from(decision: Decision, decided_on: dt.date) -> dt.date:
    """From when the decision applies: a measure's start when it starts later, else the day
    it was made."""
    measure = decision.measure
    if measure is not None and decision.kind == Kind.MEASURE_END and measure.ended_on:
        return measure.ended_on
    if decision.kind == Kind.MEASURE_CHANGE and decision.changes_from:
        return max(decision.changes_from, decided_on)
    if measure is not None and decision.kind != Kind.MEASURE_END and measure.start_date:
        return max(measure.start_date, decided_on)
    return decided_on


def decision_context(decision: Decision) -> dict[str, Any]:
    """Everything the template prints, read from the decision and its case."""
    decision = Decision.objects.select_related(
        "case__citizen",
        "case__owner",
        "case__team__unit",
        "legal_basis",
        "measure__legal_basis",
        "decided_by",
    ).get(pk=decision.pk)
    if decision.decided_at is None:
        raise ValueError("Only a decision made has a letter")
    case = decision.case
    unit = case.team.unit
    decided_on = timezone.localdate(decision.decided_at)
    basis = decision.applicable_legal_basis
    caseworker = case.owner
    decided_by = decision.decided_by
    subject = _("Afgørelse")
    return {
        "title": f"{subject} – {_('Sag')} {case.number}",
        "subject": subject,
        "decision": decision,
        "case": case,
        "child_name": case.citizen.full_name,
        "municipality": unit.municipality,
        "unit": unit,
        "team": case.team,
        "recipient": _recipient(case),
        "letter_date": decided_on,
        "decided_on": decided_on,
        "applies_from": _applies_from(decision, decided_on),
        "what": _what(decision),
        "legal_basis": basis,
        "facts": text_blocks(decision.facts),
        "reasons": text_blocks(decision.reasons),
        "child_view": text_blocks(decision.child_view),
        "hearing": decision.hearings.order_by("-sent_on", "-id").first(),
        "caseworker": caseworker,
        "caseworker_name": caseworker.get_full_name() or caseworker.get_username(),
        "decided_by_name": (
            decided_by.get_full_name() or decided_by.get_username() if decided_by else ""
        ),
        "complaint_weeks": COMPLAINT_WEEKS,
        "complaint_by": complaint_deadline(decided_on),
        "logo_url": static("img/letterhead-logo.svg"),
        "stylesheet_url": static("css/letter-pdf.css"),
    }


def render_decision_html(decision: Decision) -> str:
    """The letter as HTML, in Danish whatever language the request or worker runs in."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(TEMPLATE, decision_context(decision))


def render_decision_pdf(decision: Decision) -> bytes:
    """The decision letter as PDF bytes. No side effects."""
    return _pdf(render_decision_html(decision))
