"""The rules of aktindsigt (file_access.services): who may ask, the 7 working days of
Forvaltningsloven § 16, stk. 2 as a deadline of the case, the notice, the exemptions (a
confidential reporter exempt from the start), and handing the bundle out once, logged."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from access.models import AccessLogEntry
from cases.models import Deadline, FamilyMember, FamilyRelation, JournalNote, Notification
from demo import factories as f
from file_access import services
from file_access.models import FileAccessBundle, FileAccessExemption, FileAccessRequest
from tests.file_access.conftest import bundle_done

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2026, 12, 7), dt.date(2026, 12, 16)),  # Monday: the Wednesday of next week
        (dt.date(2026, 12, 4), dt.date(2026, 12, 15)),  # Friday: the weekend does not count
        # Across Easter 2027 (Maundy Thursday, Good Friday and Easter Monday are holidays).
        (dt.date(2027, 3, 23), dt.date(2027, 4, 6)),
    ],
)
def test_the_answer_is_due_7_working_days_after_receipt(received, due):
    assert services.due_on(received) == due


def test_a_request_puts_its_deadline_on_the_case(file_request, case):
    deadline = file_request.deadline
    assert deadline is not None and deadline.case == case and deadline.is_open
    assert deadline.rule.code == "file_access"
    assert deadline.rule.legal_reference == "Forvaltningsloven § 16, stk. 2"
    assert timezone.localdate(deadline.due_at) == file_request.due_on
    assert file_request.due_on == services.due_on(timezone.localdate())
    assert file_request.party == FileAccessRequest.Party.CUSTODY
    assert AccessLogEntry.objects.filter(
        case=case, action="change", target=f"Aktindsigt {file_request.pk}: anmodning registreret"
    ).exists()


def test_two_requests_on_one_day_get_a_deadline_each(file_request, case, personas, parent):
    second = services.request_register(
        case=case,
        user=personas.owner,
        requester=parent,
        received_on=timezone.localdate(),
        asked_for="Journalen.",
    )
    assert second.deadline_id != file_request.deadline_id
    services.notice_record(
        request=second,
        user=personas.owner,
        reason="Mange dokumenter.",
        expected_on=timezone.localdate() + dt.timedelta(days=20),
    )
    file_request.deadline.refresh_from_db()
    assert file_request.deadline.is_open


def test_the_child_from_10_is_a_party_and_a_parent_without_custody_is_not(case, personas):
    child = case.citizen
    child.birth_date = timezone.localdate() - dt.timedelta(days=365 * 12 + 10)
    child.save()
    member = FamilyMember.objects.get(citizen=child, is_child=True)
    father = FamilyMember.objects.create(family=member.family, first_name="Far", last_name="X")
    FamilyRelation.objects.create(
        member=father, child=member, kind=FamilyRelation.Kind.PARENT_NO_CUSTODY
    )
    parties = {p.member.pk: p.party for p in services.parties(case)}
    assert parties[member.pk] == FileAccessRequest.Party.CHILD
    assert father.pk not in parties

    with pytest.raises(ValidationError) as refused:
        services.request_register(
            case=case,
            user=personas.owner,
            requester=father,
            received_on=timezone.localdate(),
            asked_for="Alt.",
        )
    assert "Kun sagens parter" in str(refused.value)
    assert not FileAccessRequest.objects.exists()
    assert not Deadline.objects.filter(rule__code="file_access").exists()


def test_a_child_under_10_is_not_a_party(case):
    case.citizen.birth_date = timezone.localdate() - dt.timedelta(days=365 * 6)
    case.citizen.save()
    assert {p.party for p in services.parties(case)} == {FileAccessRequest.Party.CUSTODY}


def test_bad_input_is_refused_in_danish_and_nothing_is_saved(case, personas, parent):
    with pytest.raises(ValidationError) as refused:
        services.request_register(
            case=case,
            user=personas.owner,
            requester=parent,
            received_on=timezone.localdate() + dt.timedelta(days=1),
            asked_for="  ",
        )
    errors = refused.value.message_dict
    assert errors["received_on"] == ["Datoen kan ikke ligge i fremtiden."]
    assert errors["asked_for"] == ["Skriv, hvad parten beder om at se."]
    assert not FileAccessRequest.objects.exists()


def test_only_the_owner_or_team_lead_registers(case, personas, parent):
    for user in (personas.therapist, personas.colleague):
        with pytest.raises(PermissionDenied):
            services.request_register(
                case=case,
                user=user,
                requester=parent,
                received_on=timezone.localdate(),
                asked_for="Alt.",
            )
    services.request_register(
        case=case,
        user=personas.team_lead,
        requester=parent,
        received_on=timezone.localdate(),
        asked_for="Alt.",
    )


def test_the_notice_needs_a_reason_and_a_later_date_and_meets_the_deadline(file_request, personas):
    with pytest.raises(ValidationError) as refused:
        services.notice_record(
            request=file_request, user=personas.owner, reason="", expected_on=timezone.localdate()
        )
    assert set(refused.value.message_dict) == {"reason", "expected_on"}
    file_request.deadline.refresh_from_db()
    assert file_request.deadline.is_open

    expected = timezone.localdate() + dt.timedelta(days=14)
    services.notice_record(
        request=file_request,
        user=personas.owner,
        reason="Sagen har mange dokumenter, som skal gennemgås.",
        expected_on=expected,
    )
    file_request.refresh_from_db()
    assert file_request.expected_on == expected and file_request.notice_given_on
    file_request.deadline.refresh_from_db()
    assert file_request.deadline.met_at is not None
    assert "forlænget" in file_request.deadline.met_by_event


def test_overdue_without_notice(file_request):
    FileAccessRequest.objects.filter(pk=file_request.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    file_request.refresh_from_db()
    assert file_request.is_overdue
    file_request.notice_given_on = timezone.localdate()
    assert not file_request.is_overdue


def test_a_confidential_reporter_is_exempt_from_the_start_and_stays_so(case, personas, parent):
    notification = Notification.objects.get(case=case)
    Notification.objects.filter(pk=notification.pk).update(reporter_confidential=True)
    request = services.request_register(
        case=case,
        user=personas.owner,
        requester=parent,
        received_on=timezone.localdate(),
        asked_for="Alt.",
    )
    exemption = request.exemptions.get()
    assert (exemption.kind, exemption.object_id) == ("reporter", notification.pk)
    assert exemption.legal_basis == "Forvaltningsloven § 15 b"
    with pytest.raises(ValidationError) as refused:
        services.exemption_remove(exemption=exemption, user=personas.owner)
    assert "fortrolig" in str(refused.value)
    assert request.exemptions.count() == 1


def test_exemptions_name_a_document_of_the_case_with_reason_and_basis(file_request, case, personas):
    note = JournalNote.objects.get(case=case)
    other_note = f.JournalNoteFactory()
    with pytest.raises(ValidationError) as refused:
        services.exemption_add(
            request=file_request,
            user=personas.owner,
            document=f"journal_note:{other_note.pk}",
            reason="",
            legal_basis="",
        )
    assert set(refused.value.message_dict) == {"document", "reason", "legal_basis"}

    services.exemption_add(
        request=file_request,
        user=personas.owner,
        document=f"journal_note:{note.pk}",
        reason="Internt arbejdsdokument.",
        legal_basis="Forvaltningsloven § 12",
    )
    with pytest.raises(ValidationError) as twice:
        services.exemption_add(
            request=file_request,
            user=personas.owner,
            document=f"journal_note:{note.pk}",
            reason="Igen.",
            legal_basis="Forvaltningsloven § 12",
        )
    assert twice.value.message_dict == {"document": ["Det er allerede undtaget."]}
    assert file_request.exemptions.count() == 1


def test_the_bundle_fixes_the_exemptions_and_is_handed_out_once(
    file_request, case, personas, queued
):
    with pytest.raises(ValidationError) as early:
        services.hand_out(request=file_request, user=personas.owner)
    assert "ikke dannet" in str(early.value)

    bundle = services.bundle_prepare(request=file_request, user=personas.owner)
    assert services.bundle_prepare(request=file_request, user=personas.owner) == bundle
    assert FileAccessBundle.objects.count() == 1
    note = JournalNote.objects.get(case=case)
    with pytest.raises(ValidationError):
        services.exemption_add(
            request=file_request,
            user=personas.owner,
            document=f"journal_note:{note.pk}",
            reason="For sent.",
            legal_basis="Forvaltningsloven § 12",
        )

    bundle = bundle_done(file_request, personas.owner)
    services.hand_out(request=file_request, user=personas.owner)
    file_request.refresh_from_db()
    assert file_request.is_handed_out and file_request.handed_out_by == personas.owner
    file_request.deadline.refresh_from_db()
    assert file_request.deadline.met_by_event == "Aktindsigt udleveret"
    export = AccessLogEntry.objects.get(case=case, action="export")
    assert export.target.startswith(f"Aktindsigt {file_request.pk}: PDF udleveret til ")
    assert bundle.sha256[:16] in export.target

    with pytest.raises(ValidationError) as again:
        services.hand_out(request=file_request, user=personas.owner)
    assert "allerede udleveret" in str(again.value)
    assert AccessLogEntry.objects.filter(case=case, action="export").count() == 1


def test_exemption_rows_go_with_nothing_else(file_request, personas, case):
    note = JournalNote.objects.get(case=case)
    exemption = services.exemption_add(
        request=file_request,
        user=personas.owner,
        document=f"journal_note:{note.pk}",
        reason="Internt.",
        legal_basis="Forvaltningsloven § 12",
    )
    services.exemption_remove(exemption=exemption, user=personas.owner)
    assert not FileAccessExemption.objects.exists()
    assert AccessLogEntry.objects.filter(
        case=case, target__contains=f"undtagelse af journal_note:{note.pk} fjernet"
    ).exists()
