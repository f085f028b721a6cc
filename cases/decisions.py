"""Decisions (afgørelser): the authority's acts on a case, the party hearing before them and the
complaints after them. The case's owner or team lead does all of it
(``access.rules.CaseAccess.can_work``); every change is a CHANGE row in the case's access log.

The rules, as this module enforces them (this describes the code; it is not legal advice):

* **A decision starts as a draft** (``decision_draft_create``) on an open case. A decision on
  changing or ending a measure names a measure of the case; ordering a measure names its legal
  basis.
* **Party hearing (partshøring), Forvaltningsloven § 19.** A draft may be sent to the parties
  (``hearing_send``), one party per line, with a last day to answer at least
  ``HEARING_MIN_DAYS`` (7) days after it is sent: the law asks for a reasonable period, and a week
  is the shortest this system lets a caseworker give. The decision is then "i partshøring". Each
  answer is recorded (``hearing_answer_record``) from one of the parties heard.
* **A decision that went to a hearing is not made before the hearing is over**
  (``decision_make``): every party of the latest hearing has answered, or its last day to answer
  has passed (the day after ``respond_by``). Otherwise the caseworker records why the hearing was
  waived (``hearing_waived_reason``, e.g. Forvaltningsloven § 19, stk. 2).
* **Reasons, Forvaltningsloven §§ 22–24.** A decision is not made without reasons.
* **The child is heard, Barnets Lov § 5 (børnesamtale).** A decision is not made without either
  a conversation with the child (its date) or the reason it was not held. The child's right to a
  bisidder (Barnets Lov § 6) is recorded with the conversation.
* **A § 32 measure (Barnets Lov § 32).** Ordering a measure under § 32 needs the consents of the
  custody holders recorded (from 18 the young person's; § 32, stk. 2), and rests on a finished
  børnefaglig undersøgelse (§ 20, ``Assessment.finished_on``); an afdækning (§ 19) is not enough.
  Without it the decision is refused unless the statutory ground for acting first is recorded
  (``acting_first_ground``).
* **Measures follow decisions.** A measure is ordered, changed and ended only by a decision: the
  draft carries the measure's terms (ordering: legal basis, purpose and expected duration —
  Barnets Lov § 32, stk. 3 — start, provider, therapists, hours and the consent's date; a change:
  what changes and from which day; an end: the day it ends), and ``decision_make`` applies them
  through ``cases.services`` (``measure_order``, ``measure_change``, ``measure_end``) in the same
  transaction, so a decision is never made without its measure following, nor the reverse.
  Young-adult support (§§ 114–121) is ordered the same way, on a basis among §§ 114–121, for a
  young person of 18 to 22. The decision on support after 18 (§ 111) meets its deadline.
* Every refusal is a ``ValidationError`` in Danish, and nothing is saved.
* **Complaints, Retssikkerhedsloven §§ 66–68 and Barnets Lov §§ 144–150; the complaint guidance
  of Forvaltningsloven § 25.** A complaint is lodged with the municipality within 4 weeks
  (``COMPLAINT_DAYS``, 28 days) of the decision; this system counts from the day the decision was
  made, since it does not know when the party received it. A later complaint is still registered
  (the municipality may, and Ankestyrelsen decides whether to, hear it) but marked ``late``. The
  municipality reconsiders it (genvurdering) within 4 weeks of receiving it
  (``reconsider_by = received_on + 28 days``): it either keeps its decision and sends the
  complaint on to Ankestyrelsen (the day it was sent is required), or changes it, by a new
  decision on the case that is linked to the complaint. Ankestyrelsen's result (stadfæstet,
  ændret, hjemvist) is recorded on a complaint sent to it.
* **The decision letter.** A decision made sends ``cases.signals.decision_made``; the letters
  app renders the letter, with the complaint guidance (Forvaltningsloven § 25), to PDF.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from access.log import Action, access_log_record
from access.rules import case_access
from accounts.models import User
from cases import deadlines, services, signals
from cases.models import (
    Assessment,
    Case,
    Complaint,
    Decision,
    HearingAnswer,
    LegalBasis,
    PartyHearing,
    age_on,
)

# The shortest period a party is given to answer a hearing (Forvaltningsloven § 19: "en frist").
HEARING_MIN_DAYS = 7
# The event that meets a complaint's reconsideration deadline, stored filled in and in Danish
# (registered with core.locale in cases.apps, shown through data_label).
COMPLAINT_RECONSIDERED = gettext_noop("Klagen genvurderet: %(outcome)s")
# The complaint period and the municipality's reconsideration period (Retssikkerhedsloven § 67).
COMPLAINT_DAYS = 28

# Decisions on an existing measure, and decisions that order one.
MEASURE_KINDS = (Decision.Kind.MEASURE_CHANGE, Decision.Kind.MEASURE_END)
ORDER_KINDS = (Decision.Kind.MEASURE_ORDER, Decision.Kind.YOUNG_ADULT)


def _require_can_work(user: User, case: Case) -> None:
    if not case_access(user, case).can_work:
        raise PermissionDenied(_("Kun sagens sagsbehandler eller teamleder kan træffe afgørelser."))


def _log(user: User, case: Case, target: str, reason: str = "") -> None:
    access_log_record(user=user, action=Action.CHANGE, case=case, target=target, reason=reason)


def is_section_32(legal_basis: LegalBasis | None) -> bool:
    """Whether ``legal_basis`` is a measure under Barnets Lov § 32."""
    return (
        legal_basis is not None
        and legal_basis.law == "Barnets Lov"
        and legal_basis.paragraph.startswith("§ 32")
    )


# --- the draft -------------------------------------------------------------------------------


# The draft's fields besides its kind; the measure's terms among them (``TERMS``).
DRAFT_FIELDS = (
    "measure",
    "legal_basis",
    "facts",
    "reasons",
    "child_view",
    "conversation_on",
    "conversation_place",
    "conversation_present",
    "bisidder_offered",
    "bisidder_name",
    "conversation_not_held_reason",
    "consents",
    "acting_first_ground",
)
TERMS = (
    "purpose",
    "expected_duration_months",
    "start_date",
    "planned_end_date",
    "provider_team",
    "consent_given_on",
    "hours_steps",
    "changes_from",
    "ends_on",
)
TEXT_FIELDS = {
    "facts",
    "reasons",
    "child_view",
    "conversation_place",
    "conversation_present",
    "bisidder_name",
    "conversation_not_held_reason",
    "consents",
    "acting_first_ground",
    "purpose",
}


def _draft_errors(case: Case, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    measure = data.get("measure")
    legal_basis = data.get("legal_basis")
    if kind not in Decision.Kind.values:
        errors["kind"] = _("Vælg afgørelsens art.")
    if measure is not None and measure.case_id != case.pk:
        errors["measure"] = _("Indsatsen hører ikke til sagen.")
    elif kind in MEASURE_KINDS and measure is None:
        errors["measure"] = _("Vælg den indsats, afgørelsen ændrer eller afslutter.")
    elif kind in MEASURE_KINDS and measure is not None and measure.ended_on is not None:
        errors["measure"] = _("Indsatsen er allerede afsluttet.")
    if kind in ORDER_KINDS and legal_basis is None:
        errors["legal_basis"] = _("Vælg lovgrundlaget for indsatsen.")
    elif (
        kind == Decision.Kind.YOUNG_ADULT
        and legal_basis is not None
        and not deadlines.is_young_adult_basis(legal_basis)
    ):
        errors["legal_basis"] = _(
            "Ungestøtte gives efter Barnets Lov §§ 114–121: vælg en af de bestemmelser."
        )
    conversation_on = data.get("conversation_on")
    if conversation_on is not None and conversation_on > timezone.localdate():
        errors["conversation_on"] = _("Børnesamtalen kan ikke ligge i fremtiden.")
    if (data.get("bisidder_name") or "").strip() and not data.get("bisidder_offered"):
        errors["bisidder_offered"] = _("Markér, at barnet er tilbudt en bisidder.")
    team = data.get("provider_team") or (measure.provider_team if measure is not None else None)
    if data.get("therapists") and team is not None:
        errors.update(services.therapist_errors(list(data["therapists"]), team))
    if data.get("hours_steps"):
        errors.update(services.hours_steps_errors(data["hours_steps"]))
    start, end = data.get("start_date"), data.get("planned_end_date")
    if start is not None and end is not None and end < start:
        errors["planned_end_date"] = _("Slutdatoen ligger før startdatoen.")
    if measure is not None and kind in MEASURE_KINDS:
        for field in ("changes_from", "ends_on"):
            day = data.get(field)
            if day is not None and day < measure.start_date:
                errors[field] = _("Datoen ligger før indsatsens start %(date)s.") % {
                    "date": measure.start_date.strftime("%d.%m.%Y")
                }
    return errors


def _set_draft(decision: Decision, data: dict[str, Any]) -> list[str]:
    """Copy ``data`` onto ``decision``; returns the fields set."""
    fields = []
    for field in (*DRAFT_FIELDS, *TERMS):
        if field not in data:
            continue
        value = data[field]
        if field in TEXT_FIELDS:
            value = (value or "").strip()
        elif field == "hours_steps":
            value = [[weeks, str(hours)] for weeks, hours in value or ()]
        elif field == "bisidder_offered":
            value = bool(value)
        setattr(decision, field, value)
        fields.append(field)
    return fields


@transaction.atomic
def decision_draft_create(*, case: Case, user: User, kind: str, **data: Any) -> Decision:
    """A draft decision on ``case``: any of ``DRAFT_FIELDS`` and ``TERMS``, and ``therapists``
    (the measure's therapists, for an order or a change)."""
    _require_can_work(user, case)
    if not case.is_open:
        raise ValidationError(_("Sagen er lukket."))
    unknown = set(data) - {*DRAFT_FIELDS, *TERMS, "therapists"}
    if unknown:
        raise TypeError(f"unknown draft fields: {sorted(unknown)}")
    errors = _draft_errors(case, kind, data)
    if errors:
        raise ValidationError(errors)
    decision = Decision(case=case, kind=kind, created_by=user)
    _set_draft(decision, data)
    decision.save()
    if data.get("therapists"):
        decision.therapists.set(data["therapists"])
    _log(user, case, f"afgørelse oprettet som udkast: {decision.get_kind_display()}")
    return decision


@transaction.atomic
def decision_draft_update(*, decision: Decision, user: User, **data: Any) -> Decision:
    """Change a draft (also one in a hearing) before it is made: the same fields as
    ``decision_draft_create``; its kind stays."""
    case = decision.case
    _require_can_work(user, case)
    if decision.is_decided:
        raise ValidationError(_("Afgørelsen er truffet og kan ikke længere ændres."))
    # Checked as the draft will be: what is not given stays as it is.
    current: dict[str, Any] = {
        field: getattr(decision, field) for field in (*DRAFT_FIELDS, *TERMS)
    } | {"hours_steps": decision.hours_step_pairs}
    errors = _draft_errors(case, decision.kind, current | data)
    if errors:
        raise ValidationError(errors)
    fields = _set_draft(decision, data)
    decision.save(update_fields=fields)
    if "therapists" in data:
        decision.therapists.set(data["therapists"] or ())
    _log(user, case, f"udkast til afgørelse ændret: {decision.get_kind_display()}")
    return decision


# --- the party hearing -----------------------------------------------------------------------


@transaction.atomic
def hearing_send(
    *, decision: Decision, user: User, respond_by: dt.date, parties: str, note: str = ""
) -> PartyHearing:
    """Send the draft to the parties today, to answer by ``respond_by`` (Forvaltningsloven
    § 19)."""
    case = decision.case
    _require_can_work(user, case)
    if decision.is_decided:
        raise ValidationError(_("Afgørelsen er allerede truffet og kan ikke sendes i høring."))
    today = timezone.localdate()
    errors: dict[str, Any] = {}
    names = [line.strip() for line in parties.splitlines() if line.strip()]
    if not names:
        errors["parties"] = _("Skriv de parter, der høres – én pr. linje.")
    if respond_by < today + dt.timedelta(days=HEARING_MIN_DAYS):
        errors["respond_by"] = _(
            "Parterne skal have mindst %(days)d dage til at svare: svarfristen kan tidligst være "
            "%(date)s."
        ) % {
            "days": HEARING_MIN_DAYS,
            "date": (today + dt.timedelta(days=HEARING_MIN_DAYS)).strftime("%d.%m.%Y"),
        }
    if errors:
        raise ValidationError(errors)
    hearing = PartyHearing.objects.create(
        decision=decision,
        sent_on=today,
        respond_by=respond_by,
        parties="\n".join(names),
        note=note.strip(),
        sent_by=user,
    )
    Decision.objects.filter(pk=decision.pk).update(status=Decision.Status.IN_HEARING)
    decision.status = Decision.Status.IN_HEARING
    _log(user, case, f"afgørelse sendt i partshøring, svarfrist {respond_by:%d.%m.%Y}")
    return hearing


@transaction.atomic
def hearing_answer_record(
    *, hearing: PartyHearing, user: User, party: str, received_on: dt.date, text: str
) -> HearingAnswer:
    """Record a party's answer to ``hearing``."""
    case = hearing.decision.case
    _require_can_work(user, case)
    errors: dict[str, Any] = {}
    if party.strip() not in hearing.party_names:
        errors["party"] = _("Vælg en af de parter, der er hørt.")
    if received_on > timezone.localdate():
        errors["received_on"] = _("Datoen kan ikke ligge i fremtiden.")
    elif received_on < hearing.sent_on:
        errors["received_on"] = _("Svaret kan ikke være modtaget, før høringen blev sendt.")
    if not text.strip():
        errors["text"] = _("Skriv partens svar eller et resumé af det.")
    if errors:
        raise ValidationError(errors)
    answer = HearingAnswer.objects.create(
        hearing=hearing,
        party=party.strip(),
        received_on=received_on,
        text=text.strip(),
        recorded_by=user,
    )
    _log(user, case, f"høringssvar registreret fra {answer.party}")
    return answer


def hearing_is_over(hearing: PartyHearing, today: dt.date | None = None) -> bool:
    """Every party heard has answered, or the last day to answer has passed."""
    today = today or timezone.localdate()
    if hearing.respond_by < today:
        return True
    answered = set(hearing.answers.values_list("party", flat=True))
    return set(hearing.party_names) <= answered


def has_finished_child_assessment(case: Case) -> bool:
    """A finished børnefaglig undersøgelse (Barnets Lov § 20) on ``case``."""
    return case.assessments.filter(
        kind=Assessment.Kind.CHILD_ASSESSMENT, finished_on__isnull=False
    ).exists()


# --- the decision ----------------------------------------------------------------------------


@transaction.atomic
def decision_make(
    *,
    decision: Decision,
    user: User,
    reasons: str | None = None,
    hearing_waived_reason: str | None = None,
    acting_first_ground: str | None = None,
) -> Decision:
    """Make the decision. ``None`` keeps what the draft says; a text replaces it."""
    case = decision.case
    _require_can_work(user, case)
    if decision.is_decided:
        raise ValidationError(_("Afgørelsen er allerede truffet."))
    if not case.is_open:
        raise ValidationError(_("Sagen er lukket."))
    reasons = decision.reasons if reasons is None else reasons.strip()
    waived = (
        decision.hearing_waived_reason
        if hearing_waived_reason is None
        else hearing_waived_reason.strip()
    )
    acting_first = (
        decision.acting_first_ground if acting_first_ground is None else acting_first_ground.strip()
    )
    errors: dict[str, Any] = {}
    if not reasons:
        errors["reasons"] = _(
            "Afgørelsen skal begrundes med de regler og de hovedhensyn, den bygger på "
            "(Forvaltningsloven § 22)."
        )
    if decision.conversation_on is None and not decision.conversation_not_held_reason:
        errors["conversation"] = _(
            "Barnet skal høres før afgørelsen: registrér børnesamtalen, eller hvorfor den ikke er "
            "afholdt (Barnets Lov § 5)."
        )
    hearing = decision.hearings.order_by("-sent_on", "-id").first()
    if hearing is not None and not hearing_is_over(hearing) and not waived:
        errors["hearing_waived_reason"] = _(
            "Partshøringen er ikke afsluttet: ikke alle parter har svaret, og svarfristen "
            "%(date)s er ikke udløbet. Vent på svarene eller fristen, eller skriv hvorfor "
            "afgørelsen træffes uden (Forvaltningsloven § 19)."
        ) % {"date": hearing.respond_by.strftime("%d.%m.%Y")}
    if decision.kind in ORDER_KINDS and is_section_32(decision.legal_basis):
        if not decision.consents:
            errors["consents"] = _(
                "Indsatsen kræver samtykke fra forældremyndighedens indehaver – fra 18 år den "
                "unges: registrér hvem, hvornår og hvordan (Barnets Lov § 32, stk. 2)."
            )
        if not has_finished_child_assessment(case) and not acting_first:
            errors["acting_first_ground"] = _(
                "En indsats efter Barnets Lov § 32 forudsætter en afsluttet børnefaglig "
                "undersøgelse (§ 20). Afslut undersøgelsen, eller skriv den hjemmel, der "
                "tillader at handle først."
            )
    errors.update(_terms_errors(decision))
    if errors:
        raise ValidationError(errors)
    decision.reasons = reasons
    decision.hearing_waived_reason = waived
    decision.acting_first_ground = acting_first
    decision.status = Decision.Status.DECIDED
    decision.decided_by = user
    decision.decided_at = timezone.now()
    # The measure follows the decision, in the same transaction: a refusal by the measure's
    # own rules (cases.services) leaves the decision undecided and nothing saved.
    _apply(decision, user)
    decision.save(
        update_fields=[
            "reasons",
            "hearing_waived_reason",
            "acting_first_ground",
            "status",
            "decided_by",
            "decided_at",
            "measure",
        ]
    )
    _log(user, case, f"afgørelse truffet: {decision.get_kind_display()}", reason=waived)
    # letters: the decision letter (with the complaint guidance) is rendered to PDF.
    signals.decision_made.send(sender=Decision, decision=decision, user=user)
    return decision


def _terms_errors(decision: Decision) -> dict[str, Any]:
    """What a decision on a measure must state before it is made (the rest is checked by the
    measure's services when it is applied)."""
    errors: dict[str, Any] = {}
    if decision.kind in ORDER_KINDS:
        if not decision.purpose:
            errors["purpose"] = _("Afgørelsen skal angive formålet med indsatsen.")
        if not decision.expected_duration_months:
            errors["expected_duration_months"] = _(
                "Afgørelsen skal angive den forventede varighed."
            )
        if decision.start_date is None:
            errors["start_date"] = _("Angiv indsatsens startdato.")
        if decision.provider_team_id is None:
            errors["provider_team"] = _("Vælg det team, der skal udføre indsatsen.")
        if decision.consent_given_on is None:
            errors["consent_given_on"] = _(
                "Indsatsen kræver samtykke fra forældremyndighedsindehaveren "
                "(Barnets Lov § 32, stk. 2)."
            )
        if decision.kind == Decision.Kind.YOUNG_ADULT and decision.start_date is not None:
            age = age_on(decision.case.citizen.birth_date, decision.start_date)
            if not 18 <= age < 23:
                errors["start_date"] = _(
                    "Ungestøtte gives fra det fyldte 18. til det fyldte 23. år (Barnets Lov "
                    "§ 114): den unge er %(age)d år på startdatoen."
                ) % {"age": age}
    elif decision.kind == Decision.Kind.MEASURE_CHANGE and decision.changes_from is None:
        errors["changes_from"] = _("Angiv, fra hvilken dato ændringen gælder.")
    elif decision.kind == Decision.Kind.MEASURE_END:
        if decision.ends_on is None:
            errors["ends_on"] = _("Angiv den dato, indsatsen ophører.")
        elif decision.ends_on > timezone.localdate():
            errors["ends_on"] = _(
                "Ophørsdatoen %(date)s ligger i fremtiden: afgørelsen om ophør træffes, når "
                "indsatsen slutter."
            ) % {"date": decision.ends_on.strftime("%d.%m.%Y")}
    return errors


def _apply(decision: Decision, user: User) -> None:
    """Carry out what ``decision`` decides on the case's measures and deadlines."""
    kind = decision.kind
    if kind in ORDER_KINDS:
        assert decision.legal_basis is not None and decision.start_date is not None
        assert decision.provider_team is not None
        decision.measure = services.measure_order(
            case=decision.case,
            user=user,
            legal_basis=decision.legal_basis,
            purpose=decision.purpose,
            expected_duration_months=decision.expected_duration_months or 0,
            start_date=decision.start_date,
            planned_end_date=decision.planned_end_date,
            provider_team=decision.provider_team,
            consent_given_on=decision.consent_given_on,
            therapists=list(decision.therapists.all()),
            hours_steps=decision.hours_step_pairs,
            decided_at=decision.decided_at,
        )
    elif kind == Decision.Kind.MEASURE_CHANGE:
        assert decision.measure is not None and decision.changes_from is not None
        services.measure_change(
            measure=decision.measure,
            changes_from=decision.changes_from,
            purpose=decision.purpose,
            expected_duration_months=decision.expected_duration_months,
            planned_end_date=decision.planned_end_date,
            provider_team=decision.provider_team,
            therapists=list(decision.therapists.all()),
            hours_steps=decision.hours_step_pairs,
        )
    elif kind == Decision.Kind.MEASURE_END:
        assert decision.measure is not None and decision.ends_on is not None
        services.measure_end(measure=decision.measure, ended_on=decision.ends_on)
    elif kind == Decision.Kind.AFTER_18:
        deadlines.deadlines_meet(
            case=decision.case,
            rule_code="after_18",
            at=decision.decided_at,
            event=gettext_noop("Afgørelse om støtte efter 18 år truffet"),
        )


# --- complaints ------------------------------------------------------------------------------


@transaction.atomic
def complaint_register(
    *, decision: Decision, user: User, received_on: dt.date, complainant: str, text: str
) -> Complaint:
    """Register a complaint of ``decision``; the reconsideration is due 4 weeks after it was
    received. A complaint later than 4 weeks after the decision is registered, marked late."""
    case = decision.case
    _require_can_work(user, case)
    if not decision.is_decided or decision.decided_at is None:
        raise ValidationError(_("Der kan kun klages over en truffet afgørelse."))
    decided_on = timezone.localdate(decision.decided_at)
    errors: dict[str, Any] = {}
    if received_on > timezone.localdate():
        errors["received_on"] = _("Datoen kan ikke ligge i fremtiden.")
    elif received_on < decided_on:
        errors["received_on"] = _("Klagen kan ikke være modtaget, før afgørelsen blev truffet.")
    if not complainant.strip():
        errors["complainant"] = _("Skriv hvem der klager.")
    if not text.strip():
        errors["text"] = _("Skriv klagen eller et resumé af den.")
    if errors:
        raise ValidationError(errors)
    complaint = Complaint.objects.create(
        decision=decision,
        received_on=received_on,
        complainant=complainant.strip(),
        text=text.strip(),
        reconsider_by=received_on + dt.timedelta(days=COMPLAINT_DAYS),
        late=received_on > decided_on + dt.timedelta(days=COMPLAINT_DAYS),
        registered_by=user,
    )
    deadlines.deadline_schedule_reconsideration(complaint=complaint)
    _log(
        user,
        case,
        f"klage registreret fra {complaint.complainant}, genvurderes senest "
        f"{complaint.reconsider_by:%d.%m.%Y}",
    )
    return complaint


@transaction.atomic
def complaint_reconsider(
    *,
    complaint: Complaint,
    user: User,
    outcome: str,
    reconsidered_on: dt.date,
    sent_to_ankestyrelsen_on: dt.date | None = None,
    new_decision: Decision | None = None,
) -> Complaint:
    """The municipality's reconsideration: upheld (and sent to Ankestyrelsen on a day) or
    changed (by ``new_decision``, a decision made on the same case)."""
    case = complaint.decision.case
    _require_can_work(user, case)
    if complaint.outcome:
        raise ValidationError(_("Klagen er allerede genvurderet."))
    today = timezone.localdate()
    errors: dict[str, Any] = {}
    if outcome not in Complaint.Outcome.values:
        errors["outcome"] = _("Vælg resultatet af genvurderingen.")
    if reconsidered_on > today:
        errors["reconsidered_on"] = _("Datoen kan ikke ligge i fremtiden.")
    elif reconsidered_on < complaint.received_on:
        errors["reconsidered_on"] = _("Genvurderingen kan ikke ligge før klagen blev modtaget.")
    if outcome == Complaint.Outcome.UPHELD:
        new_decision = None
        if sent_to_ankestyrelsen_on is None:
            errors["sent_to_ankestyrelsen_on"] = _(
                "Fastholdes afgørelsen, sendes klagen til Ankestyrelsen: angiv hvornår."
            )
        elif sent_to_ankestyrelsen_on > today:
            errors["sent_to_ankestyrelsen_on"] = _("Datoen kan ikke ligge i fremtiden.")
        elif sent_to_ankestyrelsen_on < complaint.received_on:
            errors["sent_to_ankestyrelsen_on"] = _(
                "Klagen kan ikke være sendt videre, før den blev modtaget."
            )
    elif outcome == Complaint.Outcome.CHANGED:
        sent_to_ankestyrelsen_on = None
        if new_decision is None:
            errors["new_decision"] = _("Vælg den nye afgørelse, der ændrer den påklagede.")
        elif (
            new_decision.case_id != case.pk
            or new_decision.pk == complaint.decision_id
            or not new_decision.is_decided
        ):
            errors["new_decision"] = _("Vælg en anden truffet afgørelse på samme sag.")
    if errors:
        raise ValidationError(errors)
    complaint.outcome = outcome
    complaint.reconsidered_on = reconsidered_on
    complaint.reconsidered_by = user
    complaint.sent_to_ankestyrelsen_on = sent_to_ankestyrelsen_on
    complaint.new_decision = new_decision
    complaint.save(
        update_fields=[
            "outcome",
            "reconsidered_on",
            "reconsidered_by",
            "sent_to_ankestyrelsen_on",
            "new_decision",
        ]
    )
    with override(settings.LANGUAGE_CODE):  # stored in Danish, shown through data_label
        outcome = str(complaint.get_outcome_display())
    deadlines.deadlines_meet(
        case=case,
        rule_code=deadlines.COMPLAINT_RECONSIDERATION,
        complaint=complaint,
        at=timezone.make_aware(dt.datetime.combine(reconsidered_on, dt.time(12))),
        event=COMPLAINT_RECONSIDERED % {"outcome": outcome},
    )
    _log(user, case, f"klage genvurderet: {complaint.get_outcome_display()}")
    return complaint


@transaction.atomic
def complaint_ankestyrelsen_result(
    *, complaint: Complaint, user: User, result: str, result_on: dt.date
) -> Complaint:
    """Record Ankestyrelsen's result on a complaint sent to it."""
    case = complaint.decision.case
    _require_can_work(user, case)
    if complaint.outcome != Complaint.Outcome.UPHELD or complaint.sent_to_ankestyrelsen_on is None:
        raise ValidationError(_("Klagen er ikke sendt til Ankestyrelsen."))
    if complaint.ankestyrelsen_result:
        raise ValidationError(_("Ankestyrelsens afgørelse er allerede registreret."))
    errors: dict[str, Any] = {}
    if result not in Complaint.AnkestyrelsenResult.values:
        errors["result"] = _("Vælg Ankestyrelsens afgørelse.")
    if result_on > timezone.localdate():
        errors["result_on"] = _("Datoen kan ikke ligge i fremtiden.")
    elif result_on < complaint.sent_to_ankestyrelsen_on:
        errors["result_on"] = _(
            "Afgørelsen kan ikke ligge før klagen blev sendt til Ankestyrelsen."
        )
    if errors:
        raise ValidationError(errors)
    complaint.ankestyrelsen_result = result
    complaint.ankestyrelsen_result_on = result_on
    complaint.save(update_fields=["ankestyrelsen_result", "ankestyrelsen_result_on"])
    _log(user, case, f"Ankestyrelsens afgørelse: {complaint.get_ankestyrelsen_result_display()}")
    return complaint
