"""Access to the files (aktindsigt, Forvaltningsloven §§ 9 ff.): a party's request, what is
exempt from it, and the answer. The case's owner or team lead does all of it
(``access.rules.CaseAccess.can_work``, as for decisions); every step is written to the case's
access log, handing the bundle out as an export.

The rules, as this module enforces them (this describes the code; it is not legal advice):

* **Who may ask** (``parties``): the parties of the child's case, as the access rules name them
  (``access.rules``, ``cases.portal_rights``): a custody holder while the child is under 18,
  and the child or young person itself from 10 years (``Citizen.is_party``).
* **The deadline, Forvaltningsloven § 16, stk. 2**: a request is answered within 7 working
  days of its receipt (weekends and Danish public holidays skipped, ``cases.working_days``);
  otherwise the party is told why it takes longer and when the answer can be expected
  (``notice_record``: the reason and the expected date are both required). The deadline is a
  ``cases.Deadline`` of the rule ``file_access`` (loaded by this app's migration 0002), so it is
  on the case's deadlines, the deadline list and in the reminder sweep; it is met by the answer
  handed out or by the notice.
* **Exemptions** (``exemption_add``): a document of the case, or a named reporter's identity,
  with the reason and the legal basis (e.g. Forvaltningsloven § 15 b). A reporter who asked not
  to be known by the family (``Notification.reporter_confidential``) is exempt from the start
  and stays so; the notification itself is handed out without the reporter.
* **The answer** (``bundle_prepare``, ``hand_out``): once the exemptions are settled the
  bundle is rendered to one PDF by the worker (cover letter, what is exempt and why, then the
  documents); from then on the exemptions are fixed. It is handed out only once rendered, and
  only once.
* Every refusal is a ``ValidationError`` in Danish, and nothing is saved.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from access.log import Action, access_log_record
from access.rules import ADULT_AGE, case_access
from accounts.models import User
from cases.models import (
    Case,
    Deadline,
    DeadlineRule,
    FamilyMember,
    FamilyRelation,
    Notification,
)
from cases.working_days import add_working_days, compute_due
from file_access import documents
from file_access.models import FileAccessBundle, FileAccessExemption, FileAccessRequest

# Forvaltningsloven § 16, stk. 2: the answer, or a notice, within 7 working days.
ANSWER_WORKING_DAYS = 7
RULE_CODE = "file_access"
CONFIDENTIAL_REPORTER_REASON = "Underretteren har bedt om ikke at blive kendt af familien."
CONFIDENTIAL_REPORTER_BASIS = "Forvaltningsloven § 15 b"

Party = FileAccessRequest.Party


@dataclass(frozen=True)
class CaseParty:
    member: FamilyMember
    party: str

    @property
    def label(self) -> str:
        return f"{self.member.name} ({FileAccessRequest.Party(self.party).label})"


def _require_can_work(user: User, case: Case) -> None:
    if not case_access(user, case).can_work:
        raise PermissionDenied(
            _("Kun sagens sagsbehandler eller teamleder kan behandle aktindsigt.")
        )


def _log(user: User, case: Case, target: str, action: str = Action.CHANGE) -> None:
    access_log_record(user=user, action=action, case=case, target=target)


def parties(case: Case) -> list[CaseParty]:
    """The members of the child's families who are parties to its case: the custody holders
    while the child is under 18, and the child itself from 10 years."""
    child = case.citizen
    found: dict[int, CaseParty] = {}
    if child.is_party:
        for member in FamilyMember.objects.filter(citizen=child, is_child=True).order_by("pk"):
            found.setdefault(member.pk, CaseParty(member, Party.CHILD))
    if child.age < ADULT_AGE:
        relations = (
            FamilyRelation.objects.filter(
                child__citizen=child, kind=FamilyRelation.Kind.PARENT_CUSTODY
            )
            .select_related("member__citizen")
            .order_by("member__pk")
        )
        for relation in relations:
            found.setdefault(relation.member.pk, CaseParty(relation.member, Party.CUSTODY))
    return list(found.values())


def due_on(received_on: dt.date) -> dt.date:
    """The last day to answer a request received on ``received_on``."""
    return add_working_days(received_on, ANSWER_WORKING_DAYS)


def _schedule_deadline(case: Case, received_on: dt.date) -> Deadline | None:
    rule = DeadlineRule.objects.filter(code=RULE_CODE, active=True).first()
    if rule is None:
        return None
    start = timezone.make_aware(dt.datetime.combine(received_on, dt.time(0)))
    return Deadline.objects.create(case=case, rule=rule, due_at=compute_due(rule, start))


def _meet_deadline(request: FileAccessRequest, at: dt.datetime, event: str) -> None:
    if request.deadline_id is None:
        return
    Deadline.objects.filter(pk=request.deadline_id, met_at=None, handled_otherwise_at=None).update(
        met_at=at, met_by_event=event[:200]
    )


@transaction.atomic
def request_register(
    *,
    case: Case,
    user: User,
    requester: FamilyMember,
    received_on: dt.date,
    asked_for: str,
) -> FileAccessRequest:
    """Register a party's request for access to the files of ``case``; its deadline runs from
    ``received_on``. A confidential reporter is exempt from the start."""
    _require_can_work(user, case)
    errors: dict[str, str] = {}
    party = next((p for p in parties(case) if p.member.pk == requester.pk), None)
    if party is None:
        errors["requester"] = _(
            "Kun sagens parter kan få aktindsigt efter forvaltningsloven: forældre med "
            "forældremyndighed og barnet selv fra 10 år."
        )
    today = timezone.localdate()
    if received_on > today:
        errors["received_on"] = _("Datoen kan ikke ligge i fremtiden.")
    elif received_on < timezone.localdate(case.opened_at):
        errors["received_on"] = _("Anmodningen kan ikke være modtaget, før sagen blev oprettet.")
    asked_for = asked_for.strip()
    if not asked_for:
        errors["asked_for"] = _("Skriv, hvad parten beder om at se.")
    if errors:
        raise ValidationError(errors)
    assert party is not None
    request = FileAccessRequest.objects.create(
        case=case,
        requester=requester,
        requester_name=requester.name[:200],
        party=party.party,
        received_on=received_on,
        asked_for=asked_for,
        due_on=due_on(received_on),
        deadline=_schedule_deadline(case, received_on),
        registered_by=user,
    )
    FileAccessExemption.objects.bulk_create(
        [
            FileAccessExemption(
                request=request,
                kind=FileAccessExemption.Kind.REPORTER,
                object_id=pk,
                reason=CONFIDENTIAL_REPORTER_REASON,
                legal_basis=CONFIDENTIAL_REPORTER_BASIS,
                created_by=user,
            )
            for pk in Notification.objects.filter(case=case, reporter_confidential=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        ]
    )
    _log(user, case, f"Aktindsigt {request.pk}: anmodning registreret")
    return request


def _require_open(request: FileAccessRequest) -> None:
    if request.is_handed_out:
        raise ValidationError(_("Aktindsigten er allerede udleveret."))


@transaction.atomic
def notice_record(
    *,
    request: FileAccessRequest,
    user: User,
    reason: str,
    expected_on: dt.date,
    given_on: dt.date | None = None,
) -> FileAccessRequest:
    """The party is told why the answer takes longer than 7 working days and when it can be
    expected (Forvaltningsloven § 16, stk. 2); that meets the request's deadline."""
    _require_can_work(user, request.case)
    _require_open(request)
    today = timezone.localdate()
    given_on = given_on or today
    errors: dict[str, str] = {}
    reason = reason.strip()
    if not reason:
        errors["reason"] = _("Skriv, hvorfor svaret tager længere tid.")
    if given_on > today:
        errors["given_on"] = _("Datoen kan ikke ligge i fremtiden.")
    elif given_on < request.received_on:
        errors["given_on"] = _("Underretningen kan ikke være givet, før anmodningen kom.")
    if expected_on <= given_on:
        errors["expected_on"] = _("Den forventede dato for svaret skal ligge efter i dag.")
    if errors:
        raise ValidationError(errors)
    request.notice_given_on = given_on
    request.notice_reason = reason
    request.expected_on = expected_on
    request.save(update_fields=["notice_given_on", "notice_reason", "expected_on"])
    _meet_deadline(
        request,
        timezone.make_aware(dt.datetime.combine(given_on, dt.time(12))),
        gettext_noop("Parten underrettet om forlænget behandlingstid"),
    )
    _log(user, request.case, f"Aktindsigt {request.pk}: underretning om forlænget svartid")
    return request


def exemptions_fixed(request: FileAccessRequest) -> bool:
    """The exemptions are fixed once the bundle is made (or the request answered)."""
    return request.is_handed_out or FileAccessBundle.objects.filter(request=request).exists()


def _require_exemptions_open(request: FileAccessRequest) -> None:
    _require_open(request)
    if exemptions_fixed(request):
        raise ValidationError(
            _("Aktindsigten er dannet som PDF; undtagelserne kan ikke længere ændres.")
        )


@transaction.atomic
def exemption_add(
    *, request: FileAccessRequest, user: User, document: str, reason: str, legal_basis: str
) -> FileAccessExemption:
    """Exempt ``document`` (a key of ``documents.exemption_choices``) from the request, with
    the reason and the legal basis."""
    _require_can_work(user, request.case)
    _require_exemptions_open(request)
    errors: dict[str, str] = {}
    keys = {key for key, _label in documents.exemption_choices(request.case)}
    if document not in keys:
        errors["document"] = _("Vælg et dokument fra sagen.")
    reason, legal_basis = reason.strip(), legal_basis.strip()
    if not reason:
        errors["reason"] = _("Skriv, hvorfor det undtages.")
    if not legal_basis:
        errors["legal_basis"] = _("Skriv hjemlen, fx Forvaltningsloven § 15 b.")
    if errors:
        raise ValidationError(errors)
    kind, object_id = document.split(":", 1)
    try:
        with transaction.atomic():
            exemption = FileAccessExemption.objects.create(
                request=request,
                kind=kind,
                object_id=int(object_id),
                reason=reason,
                legal_basis=legal_basis[:200],
                created_by=user,
            )
    except IntegrityError:
        raise ValidationError({"document": _("Det er allerede undtaget.")}) from None
    _log(user, request.case, f"Aktindsigt {request.pk}: undtaget {document}")
    return exemption


@transaction.atomic
def exemption_remove(*, exemption: FileAccessExemption, user: User) -> None:
    request = exemption.request
    _require_can_work(user, request.case)
    _require_exemptions_open(request)
    if (
        exemption.kind == FileAccessExemption.Kind.REPORTER
        and Notification.objects.filter(
            pk=exemption.object_id, case=request.case, reporter_confidential=True
        ).exists()
    ):
        raise ValidationError(
            _(
                "Underretteren er fortrolig og bliver ikke vist for familien. Undtagelsen kan "
                "ikke fjernes."
            )
        )
    key = exemption.key
    exemption.delete()
    _log(user, request.case, f"Aktindsigt {request.pk}: undtagelse af {key} fjernet")


@transaction.atomic
def bundle_prepare(*, request: FileAccessRequest, user: User) -> FileAccessBundle:
    """Fix the exemptions and queue the bundle's rendering to PDF (once the transaction
    commits). Idempotent: a bundle already made is returned as it is."""
    _require_can_work(user, request.case)
    _require_open(request)
    bundle, created = FileAccessBundle.objects.get_or_create(
        request=request, defaults={"queued_by": user}
    )
    if created:
        from file_access import tasks

        transaction.on_commit(lambda: tasks.render_file_access_bundle.delay(bundle.pk))
        _log(user, request.case, f"Aktindsigt {request.pk}: PDF bestilt")
    return bundle


@transaction.atomic
def hand_out(*, request: FileAccessRequest, user: User) -> FileAccessRequest:
    """Hand the rendered bundle out to the party: the request is answered, its deadline met,
    and the case's access log has what left the system, to whom (an export)."""
    _require_can_work(user, request.case)
    locked = FileAccessRequest.objects.select_for_update().get(pk=request.pk)
    _require_open(locked)
    bundle = FileAccessBundle.objects.filter(request=locked).first()
    if bundle is None or not bundle.is_done:
        raise ValidationError(_("Aktindsigten er ikke dannet som PDF endnu."))
    now = timezone.now()
    locked.status = FileAccessRequest.Status.HANDED_OUT
    locked.handed_out_at = now
    locked.handed_out_by = user
    locked.save(update_fields=["status", "handed_out_at", "handed_out_by"])
    _meet_deadline(locked, now, gettext_noop("Aktindsigt udleveret"))
    _log(
        user,
        locked.case,
        f"Aktindsigt {locked.pk}: PDF udleveret til {locked.requester_name} "
        f"({locked.get_party_display()}), SHA-256 {bundle.sha256[:16]}",
        action=Action.EXPORT,
    )
    request.refresh_from_db()
    return request
