"""The life of a case through cases/services.py, on PostgreSQL."""

import datetime as dt
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.models import Role
from cases import services
from cases.models import (
    Assessment,
    Case,
    CaseNumberSequence,
    CaseStatus,
    Citizen,
    Deadline,
    HoursStep,
    JournalNote,
    LegalBasis,
    Measure,
    MeasureAssignment,
    Notification,
)
from cases.services import CitizenData
from demo import factories as f

CPH = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2026, 3, 27, 15, 0, tzinfo=CPH)  # a Friday, the week before Easter
CPR = "150612-4321"  # born 15 June 2012; fails the old modulus-11 check, as it may

PROFESSIONAL = Notification.ReporterKind.PROFESSIONAL
PRIVATE = Notification.ReporterKind.PRIVATE
ANONYMOUS = Notification.ReporterKind.ANONYMOUS


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CPH)


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=CPH)


@pytest.fixture(autouse=True)
def frozen_now(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        # The threaded test keeps the real clock.
        yield None
        return
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def child(cpr: str = CPR, **overrides: str) -> CitizenData:
    fields = {"first_name": " Emma ", "last_name": " Jensen ", "cpr": cpr}
    fields.update(overrides)
    return CitizenData(**fields)


def register(user, *, citizen=None, citizen_data=None, **overrides) -> Notification:
    kwargs = {
        "received_at": NOW - dt.timedelta(hours=2),
        "reporter_kind": PROFESSIONAL,
        "reporter_name": " Lærer Hansen ",
        "reporter_organisation": " Kirkebakkeskolen ",
        "reporter_email": "hansen@skole.example",
        "concern": "  Barnet kommer ofte sultent i skole.  ",
    }
    kwargs.update(overrides)
    if citizen is None and citizen_data is None:
        citizen_data = child()
    return services.notification_register(
        user=user, citizen=citizen, citizen_data=citizen_data, **kwargs
    )


def deadline_codes(case: Case, **filters) -> list[str]:
    return sorted(case.deadlines.filter(**filters).values_list("rule__code", flat=True))


def legal_basis(code: str = "bl-32-1-5") -> LegalBasis:
    return LegalBasis.objects.get(code=code)


def order(case: Case, user, provider_team, **overrides) -> Measure:
    kwargs = {
        "legal_basis": legal_basis(),
        "purpose": "  At familien får en rolig morgen, så Emma kommer mæt i skole.  ",
        "expected_duration_months": 6,
        "start_date": dt.date(2026, 3, 2),
        "planned_end_date": dt.date(2026, 9, 1),
        "provider_team": provider_team,
        "consent_given_on": dt.date(2026, 2, 27),
        "therapists": (),
        "hours_steps": f.HOURS_TAPER,
    }
    kwargs.update(overrides)
    return services.measure_order(case=case, user=user, **kwargs)


def messages_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- registering a notification --------------------------------------------------------------


def test_register_new_child_creates_citizen_case_notification_and_deadlines(org, personas):
    received = NOW - dt.timedelta(hours=2)
    notification = register(personas.owner, received_at=received)

    citizen = Citizen.objects.get()
    assert citizen.cpr == "1506124321"
    assert citizen.first_name == "Emma"
    assert citizen.last_name == "Jensen"
    assert citizen.birth_date == dt.date(2012, 6, 15)

    case = Case.objects.get()
    assert case.citizen == citizen
    assert case.owner == personas.owner
    assert case.team == org.team_a
    assert case.status == CaseStatus.NOTIFICATION
    assert case.number == "2026-00001"
    assert abs(case.opened_at - NOW) < dt.timedelta(seconds=30)

    assert notification.case == case
    assert notification.received_at == received
    assert notification.reporter_kind == PROFESSIONAL
    assert notification.reporter_name == "Lærer Hansen"
    assert notification.reporter_organisation == "Kirkebakkeskolen"
    assert notification.concern == "Barnet kommer ofte sultent i skole."
    assert notification.registered_by == personas.owner

    deadlines = {d.rule.code: d for d in case.deadlines.select_related("rule")}
    assert set(deadlines) == {"acute_judgement", "receipt", "assessment"}
    assert deadlines["acute_judgement"].due_at == received + dt.timedelta(hours=24)
    assert deadlines["receipt"].due_at == end_of(dt.date(2026, 4, 9))  # Easter skipped
    assert deadlines["assessment"].due_at == end_of(dt.date(2026, 7, 27))
    assert all(d.notification == notification for d in deadlines.values())
    assert all(d.is_open for d in deadlines.values())


def test_team_lead_may_register_and_owns_the_case(org, personas):
    notification = register(personas.team_lead)
    assert notification.case.owner == personas.team_lead
    assert notification.case.team == org.team_a


@pytest.mark.parametrize("typed", ["150612-4321", "1506124321", "150612 4321"])
def test_known_child_gets_the_existing_open_case(org, personas, typed):
    first = register(personas.owner, citizen_data=child("1506124321"))
    second = register(
        personas.colleague,
        citizen_data=child(typed, first_name="Anden", last_name="Stavemåde"),
        received_at=NOW - dt.timedelta(minutes=30),
        reporter_kind=PRIVATE,
        reporter_organisation="",
    )

    assert Citizen.objects.count() == 1
    assert Case.objects.count() == 1
    assert second.case_id == first.case_id
    assert Notification.objects.filter(case=first.case).count() == 2
    # The existing case keeps its owner, its citizen keeps its name.
    case = Case.objects.get()
    assert case.owner == personas.owner
    assert case.citizen.first_name == "Emma"
    # The second notification gets its own acute judgement; the assessment deadline already runs.
    assert deadline_codes(case, notification=second) == ["acute_judgement"]
    assert deadline_codes(case, rule__code="assessment") == ["assessment"]


def test_known_child_chosen_directly(org, personas):
    first = register(personas.owner)
    second = register(personas.owner, citizen=first.case.citizen)
    assert second.case_id == first.case_id
    assert Case.objects.count() == 1


def test_the_assessment_deadline_runs_only_from_the_notification_stage(org, personas):
    # Once the case is under assessment (or has a measure), the caseworker decides whether a
    # new concern needs a new assessment: no automatic second 4-month deadline.
    first = register(personas.owner)
    case = first.case
    assert deadline_codes(case, notification=first) == ["acute_judgement", "assessment", "receipt"]
    services.assessment_start(
        case=case,
        user=personas.owner,
        kind=Assessment.Kind.CHILD_ASSESSMENT,
        started_on=dt.date(2026, 3, 27),
    )
    second = register(personas.owner, received_at=NOW - dt.timedelta(minutes=1))
    assert deadline_codes(case, notification=second) == ["acute_judgement", "receipt"]
    services.assessment_finish(
        assessment=case.assessments.get(),
        user=personas.owner,
        finished_on=dt.date(2026, 3, 27),
        conclusion="Ingen yderligere bekymring.",
        **f.assessment_content(dt.date(2026, 3, 27)),
    )
    third = register(personas.owner, received_at=NOW - dt.timedelta(minutes=1))
    assert deadline_codes(case, notification=third) == ["acute_judgement", "receipt"]
    assert deadline_codes(case, rule__code="assessment") == ["assessment"]


def test_an_application_gets_no_acute_judgement_deadline(org, personas):
    notification = register(
        personas.owner,
        kind=Notification.Kind.APPLICATION,
        reporter_kind=PRIVATE,
        reporter_name="Mor",
        reporter_organisation="",
    )
    assert notification.kind == Notification.Kind.APPLICATION
    assert deadline_codes(notification.case) == ["assessment"]


def test_child_with_a_closed_case_gets_that_case_reopened(org, personas):
    first = register(personas.owner)
    case = first.case
    services.case_close(case=case, user=personas.owner, reason="Bekymringen er afkræftet.")

    second = register(personas.colleague, received_at=NOW - dt.timedelta(minutes=5))

    assert Case.objects.count() == 1
    assert second.case_id == case.id
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFICATION
    assert case.is_open
    assert case.closed_at is None
    assert case.closing_reason == ""
    assert case.reopened_at is not None
    assert case.number == "2026-00001"
    # Whoever registers the new concern takes the case on.
    assert case.owner == personas.colleague
    assert case.team == org.team_b
    # The old deadlines stayed handled; the new concern has its own.
    assert deadline_codes(case, notification=second) == [
        "acute_judgement",
        "assessment",
        "receipt",
    ]
    assert case.deadlines.filter(notification=first, handled_otherwise_at=None).count() == 0


@pytest.mark.parametrize("reporter_kind", [PRIVATE, ANONYMOUS])
def test_private_or_anonymous_reporter_gets_no_receipt(org, personas, reporter_kind):
    notification = register(
        personas.owner,
        reporter_kind=reporter_kind,
        reporter_name="",
        reporter_organisation="",
        reporter_email="",
    )
    assert notification.needs_receipt is False
    assert deadline_codes(notification.case) == ["acute_judgement", "assessment"]
    with pytest.raises(ValidationError) as exc:
        services.notification_send_receipt(notification=notification, user=personas.owner)
    assert exc.value.messages == ["Der sendes kun kvittering til fagpersoner."]


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.PSYCHOLOGIST, Role.FAMILY, Role.ADMIN])
def test_only_caseworkers_and_team_leads_may_register(org, role):
    user = f.UserFactory(role=role)
    f.add_member(org.team_a, user)
    with pytest.raises(ValidationError) as exc:
        register(user)
    assert exc.value.messages == ["Kun myndighedsrådgivere kan registrere underretninger."]
    assert not Citizen.objects.exists()
    assert not Case.objects.exists()
    assert not Notification.objects.exists()


def test_received_in_the_future_is_rejected(org, personas):
    with pytest.raises(ValidationError) as exc:
        register(personas.owner, received_at=NOW + dt.timedelta(hours=1))
    assert messages_of(exc) == {
        "received_at": ["Modtagelsestidspunktet kan ikke ligge i fremtiden."]
    }
    assert not Case.objects.exists()
    # A clock a few minutes off is tolerated.
    register(personas.owner, received_at=NOW + dt.timedelta(minutes=4))


def test_concern_and_professional_organisation_are_required(org, personas):
    with pytest.raises(ValidationError) as exc:
        register(personas.owner, concern="   ")
    assert messages_of(exc) == {"concern": ["Beskriv bekymringen."]}
    with pytest.raises(ValidationError) as exc:
        register(personas.owner, reporter_organisation="  ")
    assert messages_of(exc) == {
        "reporter_organisation": ["Angiv fagpersonens organisation (fx skole eller dagtilbud)."]
    }
    assert not Citizen.objects.exists()


def test_register_without_a_child_is_refused(org, personas):
    with pytest.raises(ValidationError) as exc:
        services.notification_register(
            user=personas.owner,
            received_at=NOW,
            reporter_kind=ANONYMOUS,
            concern="Bekymring",
        )
    assert exc.value.messages == ["Vælg et kendt barn eller opret et nyt."]


@pytest.mark.parametrize(
    ("cpr", "message"),
    [
        ("15061243", "Et CPR-nummer består af 10 cifre, fx 010190-1234."),
        ("310212-4321", "CPR-nummeret indeholder ikke en gyldig fødselsdato."),
    ],
)
def test_register_with_an_invalid_cpr_is_refused(org, personas, cpr, message):
    with pytest.raises(ValidationError) as exc:
        register(personas.owner, citizen_data=child(cpr))
    assert message in exc.value.messages
    assert not Citizen.objects.exists()


def test_register_by_a_caseworker_without_team_leaves_nothing_behind(org):
    loner = f.UserFactory(role=Role.CASEWORKER)
    with pytest.raises(ValidationError) as exc:
        register(loner)
    assert exc.value.messages == ["Du er ikke medlem af et team og kan ikke oprette sager."]
    # The citizen created earlier in the same registration is rolled back with it.
    assert not Citizen.objects.exists()
    assert not CaseNumberSequence.objects.filter(last_number__gt=0).exists()


def test_register_when_the_same_child_was_just_registered_by_someone_else(
    org, personas, monkeypatch
):
    # The race between looking the child up and creating it: another registration commits
    # the child in between. The second registration must attach, not fail.
    first = register(personas.owner)
    real_find = services.citizen_find_by_cpr
    calls = []

    def find_too_early(*, cpr: str):
        calls.append(cpr)
        return None if len(calls) == 1 else real_find(cpr=cpr)

    monkeypatch.setattr(services, "citizen_find_by_cpr", find_too_early)
    second = register(personas.colleague, received_at=NOW - dt.timedelta(minutes=1))

    assert calls
    assert second.case_id == first.case_id
    assert Citizen.objects.count() == 1
    assert Case.objects.count() == 1


# --- one citizen, one case: the database itself ----------------------------------------------


def test_database_refuses_a_second_open_case_for_a_citizen(db):
    existing = f.CaseFactory(status=CaseStatus.ASSESSMENT)
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        Case.objects.create(
            number="2026-99999",
            citizen=existing.citizen,
            owner=existing.owner,
            team=existing.team,
            status=CaseStatus.NOTIFICATION,
        )
    assert "case_one_open_per_citizen" in str(exc.value)
    assert Case.objects.filter(citizen=existing.citizen).count() == 1


def test_database_refuses_reopening_a_closed_case_next_to_an_open_one(db):
    closed = f.CaseFactory(status=CaseStatus.CLOSED)
    f.CaseFactory(citizen=closed.citizen, status=CaseStatus.MEASURE)
    closed.status = CaseStatus.NOTIFICATION
    with pytest.raises(IntegrityError), transaction.atomic():
        closed.save(update_fields=["status"])


def test_a_closed_case_and_a_new_open_case_may_coexist(db):
    closed = f.CaseFactory(status=CaseStatus.CLOSED)
    another_closed = f.CaseFactory(citizen=closed.citizen, status=CaseStatus.CLOSED)
    open_case = f.CaseFactory(citizen=closed.citizen, status=CaseStatus.NOTIFICATION)
    assert set(Case.objects.filter(citizen=closed.citizen)) == {closed, another_closed, open_case}


def test_case_numbers_are_unique(db):
    existing = f.CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.CaseFactory(number=existing.number)


# --- case numbers ----------------------------------------------------------------------------


def test_case_numbers_are_sequential_per_year(org, personas, frozen_now):
    numbers = []
    for cpr in ("150612-4321", "010110-4123", "240915-4567"):
        numbers.append(register(personas.owner, citizen_data=child(cpr)).case.number)
    assert numbers == ["2026-00001", "2026-00002", "2026-00003"]

    # Just after midnight on New Year's night, Danish time (still 2026 in UTC).
    frozen_now.move_to(local(2027, 1, 1, 0, 30))
    new_year = register(
        personas.owner,
        citizen_data=child("050516-4321"),
        received_at=local(2027, 1, 1, 0, 10),
    )
    assert new_year.case.number == "2027-00001"
    assert services.case_number_next(year=2026) == "2026-00004"
    assert services.case_number_next(year=2027) == "2027-00002"
    assert Case.objects.values("number").distinct().count() == 4


def test_a_second_notification_does_not_use_a_case_number(org, personas):
    register(personas.owner)
    register(personas.owner)
    assert CaseNumberSequence.objects.get(year=2026).last_number == 1


# --- acute judgement and receipt -------------------------------------------------------------


@pytest.fixture
def registered(org, personas) -> Notification:
    return register(personas.owner, received_at=local(2026, 3, 27, 13, 0))


def test_acute_judgement_meets_its_deadline_once(registered, personas):
    judged_at = local(2026, 3, 27, 14, 0)
    services.notification_judge_acute(
        notification=registered,
        user=personas.owner,
        outcome=Notification.AcuteOutcome.NO_ACUTE_NEED,
        note="  Barnet er i trygge rammer i dag.  ",
        judged_at=judged_at,
    )
    registered.refresh_from_db()
    assert registered.acute_judged_at == judged_at
    assert registered.acute_judged_by == personas.owner
    assert registered.acute_outcome == "none"
    assert registered.acute_note == "Barnet er i trygge rammer i dag."
    acute = registered.deadlines.get(rule__code="acute_judgement")
    assert acute.met_at == judged_at
    assert acute.met_by_event == "Akut vurdering registreret"
    assert acute.was_late is False
    assert registered.deadlines.get(rule__code="receipt").is_open
    assert registered.deadlines.get(rule__code="assessment").is_open

    with pytest.raises(ValidationError) as exc:
        services.notification_judge_acute(
            notification=registered,
            user=personas.team_lead,
            outcome=Notification.AcuteOutcome.ACUTE_ACTION,
            note="Igen",
        )
    assert exc.value.messages == ["Den akutte vurdering er allerede registreret."]
    registered.refresh_from_db()
    assert registered.acute_outcome == "none"
    assert registered.acute_judged_by == personas.owner


def test_acute_judgement_validation(registered, personas):
    with pytest.raises(ValidationError) as exc:
        services.notification_judge_acute(
            notification=registered, user=personas.owner, outcome="maybe", note="x"
        )
    assert messages_of(exc) == {"outcome": ["Vælg resultatet af vurderingen."]}
    with pytest.raises(ValidationError) as exc:
        services.notification_judge_acute(
            notification=registered, user=personas.owner, outcome="none", note="  "
        )
    assert messages_of(exc) == {"note": ["Skriv en kort begrundelse for vurderingen."]}
    with pytest.raises(ValidationError) as exc:
        services.notification_judge_acute(
            notification=registered,
            user=personas.owner,
            outcome="none",
            note="x",
            judged_at=local(2026, 3, 27, 12, 0),
        )
    assert messages_of(exc) == {"judged_at": ["Vurderingen kan ikke ligge før modtagelsen."]}
    registered.refresh_from_db()
    assert registered.acute_judged_at is None
    assert registered.deadlines.get(rule__code="acute_judgement").is_open


def test_late_acute_judgement_is_recorded_as_late(registered, personas, frozen_now):
    frozen_now.move_to(local(2026, 3, 28, 13, 30))
    services.notification_judge_acute(
        notification=registered, user=personas.owner, outcome="action", note="Akut anbringelse"
    )
    acute = registered.deadlines.get(rule__code="acute_judgement")
    assert acute.was_late is True
    assert acute.is_overdue is False


def test_receipt_meets_its_deadline_once(registered, personas, frozen_now):
    sent_at = local(2026, 3, 30, 9, 0)
    frozen_now.move_to(local(2026, 3, 30, 10, 0))
    services.notification_send_receipt(
        notification=registered, user=personas.owner, sent_at=sent_at
    )
    registered.refresh_from_db()
    assert registered.receipt_sent_at == sent_at
    assert registered.receipt_sent_by == personas.owner
    receipt = registered.deadlines.get(rule__code="receipt")
    assert receipt.met_at == sent_at
    assert receipt.met_by_event == "Kvittering sendt til underretter"
    assert registered.deadlines.get(rule__code="acute_judgement").is_open

    with pytest.raises(ValidationError) as exc:
        services.notification_send_receipt(notification=registered, user=personas.owner)
    assert exc.value.messages == ["Kvitteringen er allerede registreret som sendt."]
    registered.refresh_from_db()
    assert registered.receipt_sent_at == sent_at


def test_receipt_before_receiving_is_refused(registered, personas):
    with pytest.raises(ValidationError) as exc:
        services.notification_send_receipt(
            notification=registered, user=personas.owner, sent_at=local(2026, 3, 27, 12, 0)
        )
    assert messages_of(exc) == {"sent_at": ["Kvitteringen kan ikke være sendt før modtagelsen."]}


def test_meeting_one_notification_does_not_meet_another(registered, personas):
    other = register(personas.owner, received_at=local(2026, 3, 27, 14, 0))
    services.notification_send_receipt(notification=registered, user=personas.owner)
    services.notification_judge_acute(
        notification=registered, user=personas.owner, outcome="none", note="Ok"
    )
    assert deadline_codes(registered.case, notification=other, met_at=None) == [
        "acute_judgement",
        "receipt",
    ]


# --- assessments -----------------------------------------------------------------------------


def test_assessment_start_moves_the_case_to_assessment(registered, personas):
    case = registered.case
    assessment = services.assessment_start(
        case=case,
        user=personas.owner,
        kind=Assessment.Kind.CHILD_ASSESSMENT,
        started_on=dt.date(2026, 3, 27),
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT
    assert assessment.started_by == personas.owner
    assert not assessment.is_finished

    with pytest.raises(ValidationError) as exc:
        services.assessment_start(
            case=case,
            user=personas.owner,
            kind=Assessment.Kind.CLARIFICATION,
            started_on=dt.date(2026, 3, 27),
        )
    assert exc.value.messages == ["Der er allerede en igangværende undersøgelse på sagen."]
    assert case.assessments.count() == 1


def test_assessment_start_validation(registered, personas):
    case = registered.case
    with pytest.raises(ValidationError) as exc:
        services.assessment_start(
            case=case,
            user=personas.owner,
            kind=Assessment.Kind.CLARIFICATION,
            started_on=dt.date(2026, 3, 28),
        )
    assert messages_of(exc) == {"started_on": ["Startdatoen kan ikke ligge i fremtiden."]}
    with pytest.raises(ValidationError) as exc:
        services.assessment_start(
            case=case, user=personas.owner, kind="guesswork", started_on=dt.date(2026, 3, 27)
        )
    assert list(messages_of(exc)) == ["kind"]
    assert not case.assessments.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFICATION

    services.case_close(case=case, user=personas.owner, reason="Henlagt")
    with pytest.raises(ValidationError) as exc:
        services.assessment_start(
            case=case,
            user=personas.owner,
            kind=Assessment.Kind.CLARIFICATION,
            started_on=dt.date(2026, 3, 27),
        )
    assert exc.value.messages == ["Sagen er lukket."]


def test_assessment_during_a_measure_keeps_the_case_in_measure(org, personas):
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    services.assessment_start(
        case=case,
        user=personas.owner,
        kind=Assessment.Kind.CHILD_ASSESSMENT,
        started_on=dt.date(2026, 3, 20),
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.MEASURE


def test_assessment_finish_meets_the_assessment_deadline(registered, personas):
    case = registered.case
    assessment = services.assessment_start(
        case=case,
        user=personas.owner,
        kind=Assessment.Kind.CHILD_ASSESSMENT,
        started_on=dt.date(2026, 3, 27),
    )
    content = f.assessment_content(dt.date(2026, 3, 27))
    with pytest.raises(ValidationError) as exc:
        services.assessment_finish(
            assessment=assessment,
            user=personas.owner,
            finished_on=dt.date(2026, 3, 26),
            conclusion="x",
            **content,
        )
    assert messages_of(exc) == {"finished_on": ["Slutdatoen ligger før startdatoen."]}
    with pytest.raises(ValidationError) as exc:
        services.assessment_finish(
            assessment=assessment,
            user=personas.owner,
            finished_on=dt.date(2026, 3, 28),
            conclusion="x",
            **content,
        )
    assert messages_of(exc) == {"finished_on": ["Slutdatoen kan ikke ligge i fremtiden."]}
    with pytest.raises(ValidationError) as exc:
        services.assessment_finish(
            assessment=assessment,
            user=personas.owner,
            finished_on=dt.date(2026, 3, 27),
            conclusion=" ",
            **content,
        )
    assert messages_of(exc) == {"conclusion": ["Skriv undersøgelsens konklusion."]}
    assert case.deadlines.get(rule__code="assessment").is_open

    services.assessment_finish(
        assessment=assessment,
        user=personas.owner,
        finished_on=dt.date(2026, 3, 27),
        conclusion="  Familien har brug for støtte i hjemmet.  ",
        **{
            **content,
            "parents_view": " Mor er enig. ",
            "child_view": " Emma vil gerne have hjælp. ",
        },
    )
    assessment.refresh_from_db()
    assert assessment.finished_on == dt.date(2026, 3, 27)
    assert assessment.conclusion == "Familien har brug for støtte i hjemmet."
    assert assessment.parents_view == "Mor er enig."
    assert assessment.child_view == "Emma vil gerne have hjælp."
    deadline = case.deadlines.get(rule__code="assessment")
    assert deadline.met_at == local(2026, 3, 27, 12, 0)
    assert deadline.met_by_event == "Undersøgelse afsluttet"
    # The other deadlines are not met by an assessment.
    assert case.deadlines.get(rule__code="receipt").is_open

    with pytest.raises(ValidationError) as exc:
        services.assessment_finish(
            assessment=assessment,
            user=personas.owner,
            finished_on=dt.date(2026, 3, 27),
            conclusion="igen",
        )
    assert exc.value.messages == ["Undersøgelsen er allerede afsluttet."]
    # With the first one finished, a new assessment may start.
    services.assessment_start(
        case=case,
        user=personas.owner,
        kind=Assessment.Kind.CLARIFICATION,
        started_on=dt.date(2026, 3, 27),
    )


# --- measures --------------------------------------------------------------------------------


def test_measure_order_requires_purpose_duration_and_consent(registered, org, personas):
    case = registered.case
    with pytest.raises(ValidationError) as exc:
        order(
            case,
            personas.owner,
            org.family_house,
            purpose="  ",
            expected_duration_months=0,
            consent_given_on=None,
        )
    assert messages_of(exc) == {
        "purpose": ["Afgørelsen skal angive formålet med indsatsen."],
        "expected_duration_months": ["Afgørelsen skal angive den forventede varighed."],
        "consent_given_on": [
            "Indsatsen kræver samtykke fra forældremyndighedsindehaveren "
            "(Barnets Lov § 32, stk. 2)."
        ],
    }
    assert not Measure.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFICATION
    assert deadline_codes(case, rule__code__in=["plan", "first_followup"]) == []


def test_measure_order_validates_dates_legal_basis_and_hours(registered, org, personas):
    case = registered.case
    inactive = legal_basis("bl-32-1-8")
    inactive.active = False
    inactive.save()
    with pytest.raises(ValidationError) as exc:
        order(
            case,
            personas.owner,
            org.family_house,
            legal_basis=inactive,
            planned_end_date=dt.date(2026, 3, 1),
            hours_steps=[(4, Decimal("6")), (0, Decimal("2"))],
        )
    assert messages_of(exc) == {
        "planned_end_date": ["Slutdatoen ligger før startdatoen."],
        "legal_basis": ["Lovgrundlaget er ikke længere aktivt."],
        "hours_steps": ["Hvert trin skal have et positivt antal timer og uger."],
    }
    for bad_steps in ([(4, Decimal("0"))], [(4, Decimal("-1"))], [(2, Decimal("41"))]):
        with pytest.raises(ValidationError) as exc:
            order(case, personas.owner, org.family_house, hours_steps=bad_steps)
        assert list(messages_of(exc)) == ["hours_steps"]
    with pytest.raises(ValidationError) as exc:
        order(case, personas.owner, org.family_house, expected_duration_months=73)
    assert list(messages_of(exc)) == ["expected_duration_months"]
    assert not Measure.objects.exists()


def test_measure_order_checks_therapists_belong_to_the_provider_team(registered, org, personas):
    case = registered.case
    outsider = f.UserFactory(role=Role.THERAPIST, first_name="Bo", last_name="Udenfor")
    with pytest.raises(ValidationError) as exc:
        order(
            case,
            personas.owner,
            org.family_house,
            therapists=[personas.therapist, outsider],
        )
    assert messages_of(exc) == {"therapists": ["Bo Udenfor er ikke med i det udførende team."]}
    assert not Measure.objects.exists()
    assert not MeasureAssignment.objects.exists()


def test_measure_order_refuses_staff_who_are_not_therapists(registered, org, personas):
    caseworker_in_house = f.UserFactory(role=Role.CASEWORKER)
    f.add_member(org.family_house, caseworker_in_house)
    with pytest.raises(ValidationError) as exc:
        order(
            registered.case,
            personas.owner,
            org.family_house,
            therapists=[caseworker_in_house],
        )
    assert list(messages_of(exc)) == ["therapists"]
    assert not Measure.objects.exists()


def test_measure_order_stores_the_measure_and_schedules_plan_and_followup(
    registered, org, personas
):
    case = registered.case
    psychologist = f.UserFactory(role=Role.PSYCHOLOGIST)
    f.add_member(org.family_house, psychologist)
    measure = order(
        case,
        personas.owner,
        org.family_house,
        therapists=[personas.therapist, psychologist],
        hours_steps=[(4, Decimal("6")), (8, Decimal("4")), (None, Decimal("2"))],
        start_date=dt.date(2025, 11, 30),
        planned_end_date=None,
    )
    measure.refresh_from_db()
    assert measure.case == case
    assert measure.purpose == "At familien får en rolig morgen, så Emma kommer mæt i skole."
    assert measure.expected_duration_months == 6
    assert measure.legal_basis.code == "bl-32-1-5"
    assert measure.decided_by == personas.owner
    assert measure.consent_given_on == dt.date(2026, 2, 27)
    assert set(measure.therapists.all()) == {personas.therapist, psychologist}
    steps = list(HoursStep.objects.filter(measure=measure).order_by("position"))
    assert [(s.position, s.weeks, s.hours_per_week) for s in steps] == [
        (1, 4, Decimal("6.0")),
        (2, 8, Decimal("4.0")),
        (3, None, Decimal("2.0")),
    ]
    case.refresh_from_db()
    assert case.status == CaseStatus.MEASURE
    deadlines = {d.rule.code: d for d in measure.deadlines.select_related("rule")}
    assert set(deadlines) == {"plan", "first_followup", "measure_expected_end"}
    # § 91: the plan 3 months from the decision (27.03.2026); § 95: the first follow-up 3
    # months from the (earlier) start.
    assert deadlines["plan"].due_at == end_of(dt.date(2026, 6, 27))
    assert deadlines["first_followup"].due_at == end_of(dt.date(2026, 2, 28))
    assert all(d.case == case for d in deadlines.values())


@pytest.mark.parametrize(
    "status", [CaseStatus.NOTIFICATION, CaseStatus.ASSESSMENT, CaseStatus.CLOSING]
)
def test_measure_order_moves_the_case_to_measure(org, personas, status):
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=status)
    order(case, personas.owner, org.family_house, hours_steps=())
    case.refresh_from_db()
    assert case.status == CaseStatus.MEASURE


def test_measure_order_on_a_closed_case_is_refused(org, personas):
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError) as exc:
        order(case, personas.owner, org.family_house)
    assert exc.value.messages == ["Sagen er lukket."]


def test_measure_end_moves_the_case_to_closing_when_nothing_runs(org, personas):
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.NOTIFICATION)
    first = order(case, personas.owner, org.family_house)
    second = order(case, personas.owner, org.family_house, legal_basis=legal_basis("bl-32-1-3"))

    with pytest.raises(ValidationError) as exc:
        services.measure_end(measure=first, ended_on=dt.date(2026, 3, 1))
    assert messages_of(exc) == {"ended_on": ["Slutdatoen ligger før indsatsens start."]}

    services.measure_end(measure=first, ended_on=dt.date(2026, 3, 20))
    case.refresh_from_db()
    assert case.status == CaseStatus.MEASURE
    first.refresh_from_db()
    assert first.ended_on == dt.date(2026, 3, 20)
    assert not first.is_active

    with pytest.raises(ValidationError) as exc:
        services.measure_end(measure=first, ended_on=dt.date(2026, 3, 21))
    assert exc.value.messages == ["Indsatsen er allerede afsluttet."]

    services.measure_end(measure=second, ended_on=dt.date(2026, 3, 25))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSING


def test_measure_assign_therapist(org, personas, case):
    measure = case.measures.get()
    assignment = services.measure_assign_therapist(
        measure=measure, therapist=personas.other_therapist
    )
    assert assignment.user == personas.other_therapist
    again = services.measure_assign_therapist(measure=measure, therapist=personas.other_therapist)
    assert again.pk == assignment.pk
    with pytest.raises(ValidationError) as exc:
        services.measure_assign_therapist(measure=measure, therapist=personas.colleague)
    assert exc.value.messages == ["Kun familiebehandlere og psykologer kan tilknyttes en indsats."]
    stranger = f.UserFactory(role=Role.THERAPIST)
    with pytest.raises(ValidationError) as exc:
        services.measure_assign_therapist(measure=measure, therapist=stranger)
    assert exc.value.messages == ["Behandleren er ikke med i det udførende team."]


# --- journal ---------------------------------------------------------------------------------


def test_journal_note_add_and_correct(org, personas, case):
    with pytest.raises(ValidationError) as exc:
        services.journal_note_add(case=case, author=personas.owner, text="   ")
    assert messages_of(exc) == {"text": ["Notatet er tomt."]}

    note = services.journal_note_add(case=case, author=personas.owner, text=" Hjemmebesøg. ")
    assert note.text == "Hjemmebesøg."

    with pytest.raises(ValidationError) as exc:
        services.journal_note_correct(note=note, author=personas.owner, text=" ")
    assert messages_of(exc) == {"text": ["Rettelsen er tom."]}

    # Only the author corrects a note; a colleague writes a note of their own.
    with pytest.raises(ValidationError) as exc:
        services.journal_note_correct(note=note, author=personas.team_lead, text="Andet")
    assert "Kun den, der skrev notatet" in exc.value.messages[0]
    assert not JournalNote.objects.filter(corrects=note).exists()

    correction = services.journal_note_correct(
        note=note, author=personas.owner, text="Hjemmebesøg hos mor."
    )
    note.refresh_from_db()
    assert note.text == "Hjemmebesøg."  # the original stays as it was
    assert correction.corrects == note
    assert correction.case == case
    assert correction.author == personas.owner
    assert note.correction == correction

    with pytest.raises(ValidationError) as exc:
        services.journal_note_correct(note=note, author=personas.owner, text="Tredje bud")
    assert exc.value.messages == ["Notatet er allerede rettet. Ret den seneste rettelse i stedet."]
    assert JournalNote.objects.filter(corrects=note).count() == 1

    # Correcting the correction is how it is done.
    services.journal_note_correct(note=correction, author=personas.owner, text="Tredje bud")
    assert JournalNote.objects.filter(case=case, text__startswith="Hjemmebesøg").count() == 2


def test_the_database_refuses_two_corrections_of_one_note(org, personas, case):
    note = services.journal_note_add(case=case, author=personas.owner, text="Notat")
    services.journal_note_correct(note=note, author=personas.owner, text="Rettet")
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalNote.objects.create(case=case, author=personas.owner, text="x", corrects=note)


# --- closing and reopening -------------------------------------------------------------------


def test_case_close_refuses_while_a_measure_runs(org, personas, case):
    with pytest.raises(ValidationError) as exc:
        services.case_close(case=case, user=personas.owner, reason="Færdig")
    assert exc.value.messages == ["Afslut sagens igangværende indsatser, før sagen lukkes."]
    case.refresh_from_db()
    assert case.status == CaseStatus.MEASURE
    assert case.closed_at is None


def test_case_close_requires_a_reason(registered, personas):
    with pytest.raises(ValidationError) as exc:
        services.case_close(case=registered.case, user=personas.owner, reason="  ")
    assert messages_of(exc) == {"reason": ["Skriv en begrundelse for at lukke sagen."]}
    registered.case.refresh_from_db()
    assert registered.case.is_open


def test_case_close_handles_the_open_deadlines(registered, personas):
    case = registered.case
    services.notification_judge_acute(
        notification=registered, user=personas.owner, outcome="none", note="Ingen akut fare"
    )
    services.case_close(case=case, user=personas.owner, reason="  Bekymringen er afkræftet. ")

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert not case.is_open
    assert case.closed_at is not None
    assert case.closing_reason == "Bekymringen er afkræftet."
    acute = case.deadlines.get(rule__code="acute_judgement")
    assert acute.met_at is not None and acute.handled_otherwise_at is None
    for deadline in case.deadlines.exclude(rule__code="acute_judgement"):
        assert deadline.handled_otherwise_at is not None
        assert deadline.handled_otherwise_reason == "Sagen er lukket: Bekymringen er afkræftet."
        assert deadline.handled_by == personas.owner
    assert not case.deadlines.filter(met_at=None, handled_otherwise_at=None).exists()

    with pytest.raises(ValidationError) as exc:
        services.case_close(case=case, user=personas.owner, reason="Igen")
    assert exc.value.messages == ["Sagen er allerede lukket."]


def test_case_close_after_the_measure_ended(org, personas, case):
    services.measure_end(measure=case.measures.get(), ended_on=NOW.date())
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSING
    services.case_close(case=case, user=personas.owner, reason="Målene er nået.")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_case_reopen(registered, personas):
    case = registered.case
    with pytest.raises(ValidationError) as exc:
        services.case_reopen(case=case, user=personas.owner)
    assert exc.value.messages == ["Sagen er allerede åben."]

    services.case_close(case=case, user=personas.owner, reason="Henlagt")
    services.case_reopen(case=case, user=personas.owner)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFICATION
    assert case.closed_at is None
    assert case.closing_reason == ""
    assert case.reopened_at is not None


def test_case_reopen_refused_when_the_child_has_another_open_case(db):
    closed = f.CaseFactory(status=CaseStatus.CLOSED)
    f.CaseFactory(citizen=closed.citizen, status=CaseStatus.ASSESSMENT)
    with pytest.raises(ValidationError) as exc:
        services.case_reopen(case=closed, user=closed.owner)
    assert exc.value.messages == ["Barnet har allerede en åben sag."]
    closed.refresh_from_db()
    assert closed.status == CaseStatus.CLOSED


@pytest.mark.parametrize(
    ("from_status", "to_status", "message"),
    [
        ("notification", "closing", "En sag kan ikke gå fra Underretning til Afslutning."),
        ("assessment", "notification", "En sag kan ikke gå fra Undersøgelse til Underretning."),
        ("closed", "measure", "En sag kan ikke gå fra Lukket til Indsats."),
    ],
)
def test_case_transition_refuses_impossible_moves(db, from_status, to_status, message):
    case = f.CaseFactory(status=from_status)
    with pytest.raises(ValidationError) as exc:
        services.case_transition(case=case, to_status=to_status)
    assert exc.value.messages == [message]
    case.refresh_from_db()
    assert case.status == from_status


# --- concurrency -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_registrations_of_the_same_new_child(org, personas):
    barrier = threading.Barrier(2, timeout=10)
    results: list[Notification] = []
    errors: list[BaseException] = []
    users = [personas.owner, personas.team_lead]

    def run(user, typed_cpr: str) -> None:
        try:
            barrier.wait()
            results.append(
                register(
                    user,
                    citizen_data=child(typed_cpr),
                    received_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10),
                )
            )
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(users[0], "150612-4321")),
        threading.Thread(target=run, args=(users[1], "1506124321")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    assert len(results) == 2
    assert Citizen.objects.filter(cpr="1506124321").count() == 1
    case = Case.objects.get()
    assert case.is_open
    assert case.number.endswith("-00001")
    assert {n.case_id for n in results} == {case.id}
    assert Notification.objects.filter(case=case).count() == 2
    # Each notification has its own acute judgement deadline; one assessment deadline.
    assert Deadline.objects.filter(case=case, rule__code="acute_judgement").count() == 2
    assert Deadline.objects.filter(case=case, rule__code="assessment").count() == 1


# --- nothing recorded in the future ----------------------------------------------------------


def test_acute_judgement_and_receipt_cannot_be_dated_in_the_future(registered, personas):
    tomorrow = NOW + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as judged:
        services.notification_judge_acute(
            notification=registered,
            user=personas.owner,
            outcome=Notification.AcuteOutcome.NO_ACUTE_NEED,
            note="Ingen akut fare.",
            judged_at=tomorrow,
        )
    assert "judged_at" in messages_of(judged)
    with pytest.raises(ValidationError) as sent:
        services.notification_send_receipt(
            notification=registered, user=personas.owner, sent_at=tomorrow
        )
    assert "sent_at" in messages_of(sent)
    registered.refresh_from_db()
    assert registered.acute_judged_at is None and registered.receipt_sent_at is None
    assert registered.deadlines.filter(met_at__isnull=False).count() == 0


def test_a_measure_cannot_end_in_the_future(org, personas):
    case = register(personas.owner).case
    measure = order(case, personas.owner, org.family_house)
    with pytest.raises(ValidationError) as exc:
        services.measure_end(measure=measure, ended_on=NOW.date() + dt.timedelta(days=3))
    assert "ended_on" in messages_of(exc)
    measure.refresh_from_db()
    assert measure.ended_on is None


def test_the_database_refuses_a_second_running_assessment(org, personas):
    case = register(personas.owner).case
    services.assessment_start(
        case=case,
        user=personas.owner,
        kind=Assessment.Kind.CHILD_ASSESSMENT,
        started_on=NOW.date(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            case=case,
            kind=Assessment.Kind.CLARIFICATION,
            started_on=NOW.date(),
            started_by=personas.owner,
        )


def test_only_the_last_hours_step_may_run_for_the_rest_of_the_course(org, personas):
    case = register(personas.owner).case
    with pytest.raises(ValidationError) as exc:
        order(
            case,
            personas.owner,
            org.family_house,
            hours_steps=[(None, Decimal("6")), (8, Decimal("4"))],
        )
    assert "hours_steps" in messages_of(exc)
    assert not case.measures.exists()
