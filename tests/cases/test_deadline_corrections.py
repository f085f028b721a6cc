"""Corrections of the statutory deadlines after a domain review of Barnets Lov: the § 91 plan
from the decision, an afdækning (§ 19) is not the § 20 undersøgelse, no § 91/§ 95 deadlines
for a § 30 measure, birthday deadlines of a case opened late, no child's case for an adult,
one birthday rule for a child born 29 February, young-adult support ending at 23 (§§ 114–121)
and the sweep reading the age deadlines by a range of birth dates."""

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.api_tokens import api_token_create
from cases import services
from cases.deadlines import BIRTHDAY_HORIZON, deadlines_schedule_birthdays
from cases.models import (
    Assessment,
    Case,
    CaseStatus,
    Citizen,
    Deadline,
    DeadlineRule,
    LegalBasis,
    Measure,
    Notification,
    age_on,
    birthday,
)
from cases.services import CitizenData
from core.cpr import format_cpr
from demo import factories as f
from followups import reminders
from followups.models import FollowUp, Reminder
from plans.models import Plan

CPH = ZoneInfo("Europe/Copenhagen")


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CPH)


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=CPH)


def deadline(case: Case, code: str) -> Deadline:
    return Deadline.objects.get(case=case, rule__code=code)


def citizen_born(born: dt.date) -> Citizen:
    return f.CitizenFactory(cpr=f.fictitious_cpr(born))


def register(personas, citizen: Citizen, received_at: dt.datetime) -> Notification:
    """A professional's notification, registered by the owner half an hour after receipt."""
    with time_machine.travel(received_at + dt.timedelta(minutes=30), tick=False):
        return services.notification_register(
            user=personas.owner,
            citizen=citizen,
            received_at=received_at,
            reporter_kind=Notification.ReporterKind.PROFESSIONAL,
            reporter_name="Lærer Hansen",
            reporter_organisation="Kirkebakkeskolen",
            concern="Barnet kommer ofte sultent i skole.",
        )


def order_measure(
    personas, org, case: Case, *, decided: dt.datetime, start: dt.date, basis: str = "bl-32-1-2"
) -> Measure:
    with time_machine.travel(decided, tick=False):
        return services.measure_order(
            case=case,
            user=personas.owner,
            legal_basis=LegalBasis.objects.get(code=basis),
            purpose="At forældrene får struktur på hverdagen.",
            expected_duration_months=6,
            start_date=start,
            planned_end_date=None,
            provider_team=org.family_house,
            consent_given_on=decided.date(),
            therapists=[personas.therapist],
            hours_steps=[(4, Decimal("6")), (None, Decimal("2"))],
        )


# --- 1. § 91: the plan counts from the decision ----------------------------------------------


def test_plan_deadline_counts_from_the_decision_not_from_the_start(personas, org):
    rule = DeadlineRule.objects.get(code="plan")
    assert (rule.trigger, rule.offset, rule.unit) == ("measure_decided", 3, "months")
    assert rule.legal_reference == "Barnets Lov § 91"
    case = register(personas, citizen_born(dt.date(2016, 4, 2)), local(2026, 11, 2, 9, 0)).case
    measure = order_measure(
        personas, org, case, decided=local(2026, 12, 7, 14, 0), start=dt.date(2027, 2, 5)
    )
    plan = deadline(case, "plan")
    assert plan.measure == measure
    assert plan.due_at == end_of(dt.date(2027, 3, 7))  # not 05.05.2027
    # § 95 is about the measure once started: the first follow-up keeps counting from the start.
    assert deadline(case, "first_followup").due_at == end_of(dt.date(2027, 5, 5))


# --- 2. an afdækning (§ 19) is not the børnefaglig undersøgelse (§ 20) -----------------------


def _start(case: Case, personas, kind: str, on: dt.date) -> Assessment:
    with time_machine.travel(local(on.year, on.month, on.day, 9), tick=False):
        return services.assessment_start(case=case, user=personas.owner, kind=kind, started_on=on)


def _finish(assessment: Assessment, personas, on: dt.date) -> None:
    with time_machine.travel(local(on.year, on.month, on.day, 15), tick=False):
        services.assessment_finish(
            assessment=assessment,
            user=personas.owner,
            finished_on=on,
            conclusion="Konklusion.",
            **f.assessment_content(on),
        )


def test_an_afdaekning_does_not_meet_the_section_20_deadline(personas):
    case = register(personas, citizen_born(dt.date(2015, 6, 1)), local(2026, 10, 28, 10, 0)).case
    section_20 = deadline(case, "assessment")
    assert section_20.due_at == end_of(dt.date(2027, 2, 28))

    clarification = _start(case, personas, Assessment.Kind.CLARIFICATION, dt.date(2026, 11, 2))
    _finish(clarification, personas, dt.date(2026, 11, 17))
    section_20.refresh_from_db()
    assert section_20.is_open
    assert section_20.due_at == end_of(dt.date(2027, 2, 28))

    child_assessment = _start(
        case, personas, Assessment.Kind.CHILD_ASSESSMENT, dt.date(2026, 11, 18)
    )
    section_20.refresh_from_db()
    assert section_20.is_open  # open while the undersøgelse runs
    _finish(child_assessment, personas, dt.date(2027, 1, 20))
    section_20.refresh_from_db()
    assert section_20.met_at == local(2027, 1, 20, 12, 0)
    assert not section_20.was_late


# --- 3. a § 30 measure: no § 91 or § 95 deadlines ---------------------------------------------


def test_a_section_30_measure_creates_no_plan_or_followup_deadlines(personas, org):
    basis = LegalBasis.objects.get(code="bl-30")
    assert basis.is_preventive and basis.reference == "Barnets Lov § 30"
    case = register(personas, citizen_born(dt.date(2017, 1, 9)), local(2026, 3, 2, 9, 0)).case
    preventive = order_measure(
        personas,
        org,
        case,
        decided=local(2026, 3, 10, 10),
        start=dt.date(2026, 3, 16),
        basis="bl-30",
    )
    # Only the reminder that its expected duration runs out (six months): no § 91/§ 95 deadline.
    assert set(
        Deadline.objects.filter(measure=preventive).values_list("rule__code", flat=True)
    ) == {"measure_expected_end"}
    assert not FollowUp.objects.filter(measure=preventive).exists()
    assert not case.deadlines.filter(rule__code__in=["plan", "first_followup"]).exists()
    # The family may still make a plan with the caseworker: the case has its one plan.
    assert Plan.objects.filter(case=case).exists()

    # A § 32 measure on the same case has both, as before.
    measure = order_measure(
        personas, org, case, decided=local(2026, 4, 1, 10), start=dt.date(2026, 4, 6)
    )
    assert set(Deadline.objects.filter(measure=measure).values_list("rule__code", flat=True)) == {
        "plan",
        "first_followup",
        "measure_expected_end",
    }
    assert FollowUp.objects.filter(measure=measure, number=1).exists()


# --- 4. a case opened after a birthday deadline fell due -------------------------------------


def _levels(item: Deadline) -> set[str]:
    return set(Reminder.objects.filter(item=f"deadline:{item.pk}").values_list("level", flat=True))


def test_case_opened_past_16_gets_the_ungeplan_due_the_day_it_opens(personas):
    # 16 on 15.01.2026: the ungeplan would have been due 15.04.2026, before the case existed.
    case = register(personas, citizen_born(dt.date(2010, 1, 15)), local(2026, 11, 10, 10, 0)).case
    ungeplan = deadline(case, "ungeplan")
    assert ungeplan.due_at == end_of(dt.date(2026, 11, 10))
    assert ungeplan.notification is None and ungeplan.measure is None

    # No reminder counts days from before the case existed: due today, not overdue, nobody
    # escalated to.
    with time_machine.travel(local(2026, 11, 10, 12, 0), tick=False):
        reminders.sweep()
    assert _levels(ungeplan) == {Reminder.Level.DUE}
    with time_machine.travel(local(2026, 11, 20, 12, 0), tick=False):
        reminders.sweep()
    assert _levels(ungeplan) == {Reminder.Level.DUE, Reminder.Level.OVERDUE}
    with time_machine.travel(local(2026, 11, 25, 12, 0), tick=False):
        reminders.sweep()
    assert Reminder.Level.ESCALATED in _levels(ungeplan)
    # The sweep adds no second ungeplan deadline from the birthday.
    assert case.deadlines.filter(rule__code="ungeplan").count() == 1


def test_case_opened_past_17_and_a_half_gets_support_after_18_due_the_day_it_opens(personas):
    # 18 on 01.03.2027: the decision would have been due 01.09.2026.
    case = register(personas, citizen_born(dt.date(2009, 3, 1)), local(2026, 11, 10, 10, 0)).case
    assert deadline(case, "after_18").due_at == end_of(dt.date(2026, 11, 10))
    assert deadline(case, "ungeplan").due_at == end_of(dt.date(2026, 11, 10))
    with time_machine.travel(local(2026, 11, 10, 12, 0), tick=False):
        assert deadlines_schedule_birthdays() == 0


def test_case_opened_before_the_ungeplan_falls_due_keeps_the_statutory_date(personas):
    # 16 on 01.09.2026: due 01.12.2026, within the horizon on the day the case opens.
    case = register(personas, citizen_born(dt.date(2010, 9, 1)), local(2026, 10, 1, 10, 0)).case
    assert deadline(case, "ungeplan").due_at == end_of(dt.date(2026, 12, 1))
    assert not case.deadlines.filter(rule__code="after_18").exists()  # 01.03.2028: not yet


def test_reopened_case_gets_the_ungeplan_due_the_day_it_reopens(personas, org):
    citizen = citizen_born(dt.date(2010, 2, 10))
    with time_machine.travel(local(2025, 1, 5, 10, 0), tick=False):
        f.CaseFactory(citizen=citizen, owner=personas.owner, team=org.team_a)
    Case.objects.filter(citizen=citizen).update(
        status=CaseStatus.CLOSED, closed_at=local(2025, 6, 1, 10, 0)
    )
    case = register(personas, citizen, local(2026, 9, 14, 10, 0)).case
    assert case.reopened_at is not None
    assert deadline(case, "ungeplan").due_at == end_of(dt.date(2026, 9, 14))


# --- 5. no child's case for a person of 18 or more -------------------------------------------


def _adult_born() -> dt.date:
    return timezone.localdate() - relativedelta(years=18, days=1)  # 18 yesterday


def _just_now() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=5)


def _data(cpr: str) -> CitizenData:
    return CitizenData(
        first_name="Voksen",
        last_name="Person",
        cpr=cpr,
        address="Vestergade 1",
        postal_code="7100",
        city="Vejle",
        school_or_daycare="Intet",
    )


def _counts() -> tuple[int, int, int, int]:
    return (
        Citizen.objects.count(),
        Case.objects.count(),
        Notification.objects.count(),
        Deadline.objects.count(),
    )


def _register_new(personas, cpr: str) -> Notification:
    return services.notification_register(
        user=personas.owner,
        citizen_data=_data(cpr),
        received_at=_just_now(),
        reporter_kind=Notification.ReporterKind.PRIVATE,
        concern="Bekymring.",
    )


def test_a_person_of_18_cannot_be_registered_as_a_childs_case(personas):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _register_new(personas, f.fictitious_cpr(_adult_born()))
    [message] = exc.value.message_dict["cpr"]
    assert "er fyldt 18 år" in message
    assert _counts() == before
    # One day short of 18: a child.
    almost = timezone.localdate() - relativedelta(years=18) + dt.timedelta(days=1)
    notification = _register_new(personas, f.fictitious_cpr(almost))
    assert notification.case.citizen.birth_date == almost


def test_the_registration_form_refuses_an_adult_in_danish_and_saves_nothing(login, personas):
    before = _counts()
    now = timezone.localtime(_just_now())
    response = login(personas.owner).post(
        reverse("cases:notification_register"),
        {
            "cpr": format_cpr(f.fictitious_cpr(_adult_born())),
            "first_name": "Voksen",
            "last_name": "Person",
            "address": "Vestergade 1",
            "postal_code": "7100",
            "city": "Vejle",
            "school_or_daycare": "Intet",
            "kind": "notification",
            "received_at": now.strftime("%Y-%m-%dT%H:%M"),
            "reporter_kind": "private",
            "concern": "Bekymring.",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["cpr"]
    assert any("er fyldt 18 år" in error for error in errors)
    assert "er fyldt 18 år" in response.content.decode()
    assert _counts() == before


def test_a_known_adult_closed_case_is_not_reopened_but_an_open_case_continues(personas, org):
    adult = citizen_born(_adult_born())
    closed = f.CaseFactory(citizen=adult, owner=personas.owner, team=org.team_a)
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError) as exc:
        register(personas, adult, _just_now())
    assert "er fyldt 18 år" in exc.value.message_dict["cpr"][0]
    closed.refresh_from_db()
    assert closed.status == CaseStatus.CLOSED and not closed.notifications.exists()

    # A young adult's open case (support after 18) takes a new notification as before.
    young_adult = citizen_born(_adult_born() - dt.timedelta(days=300))
    open_case = f.CaseFactory(
        citizen=young_adult, owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE
    )
    notification = register(personas, young_adult, _just_now())
    assert notification.case == open_case


def test_the_api_refuses_to_reopen_an_adults_case(personas, org):
    _token, secret = api_token_create(
        user=personas.owner,
        name="Test",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        read_only=False,
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    adult = citizen_born(_adult_born())
    case = f.CaseFactory(citizen=adult, owner=personas.owner, team=org.team_a)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    body = {
        "received_at": _just_now().isoformat(),
        "reporter_kind": "private",
        "concern": "Bekymring.",
    }
    response = client.post(f"/api/v1/cases/{case.pk}/notifications/", body, format="json")
    assert response.status_code == 400, response.content
    assert "er fyldt 18 år" in response.content.decode()
    assert not Notification.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


# --- 6. born 29 February: one birthday rule --------------------------------------------------


LEAP_CHILD = dt.date(2012, 2, 29)


def test_birthday_and_age_of_a_child_born_29_february(db):
    assert birthday(LEAP_CHILD, 16) == dt.date(2028, 2, 29)  # a leap year
    assert birthday(LEAP_CHILD, 18) == dt.date(2030, 3, 1)  # 1 March in other years
    assert birthday(LEAP_CHILD, 23) == dt.date(2035, 3, 1)
    assert birthday(dt.date(2012, 3, 1), 18) == dt.date(2030, 3, 1)
    assert age_on(LEAP_CHILD, dt.date(2030, 2, 28)) == 17
    assert age_on(LEAP_CHILD, dt.date(2030, 3, 1)) == 18
    assert age_on(LEAP_CHILD, dt.date(2028, 2, 28)) == 15
    assert age_on(LEAP_CHILD, dt.date(2028, 2, 29)) == 16
    citizen = citizen_born(LEAP_CHILD)
    with time_machine.travel(local(2030, 2, 28, 12), tick=False):
        assert citizen.age == 17
    with time_machine.travel(local(2030, 3, 1, 12), tick=False):
        assert citizen.age == 18


def test_age_deadlines_of_a_child_born_29_february(personas, org):
    case = f.CaseFactory(
        citizen=citizen_born(LEAP_CHILD),
        owner=personas.owner,
        team=org.team_a,
        opened_at=local(2027, 1, 4),
    )
    with time_machine.travel(local(2028, 1, 1, 3), tick=False):
        deadlines_schedule_birthdays()
    # 16 on 29.02.2028: the ungeplan 3 months on.
    assert deadline(case, "ungeplan").due_at == end_of(dt.date(2028, 5, 29))
    with time_machine.travel(local(2029, 6, 1, 3), tick=False):
        deadlines_schedule_birthdays()
    # 18 on 01.03.2030 (the day Citizen.age says 18): the decision 6 months before, at 17½.
    assert deadline(case, "after_18").due_at == end_of(dt.date(2029, 9, 1))


def test_registration_refusal_follows_the_29_february_birthday(personas):
    cpr = f.fictitious_cpr(LEAP_CHILD)
    with time_machine.travel(local(2030, 2, 28, 12), tick=False):
        child = services.notification_register(
            user=personas.owner,
            citizen_data=_data(cpr),
            received_at=local(2030, 2, 28, 10),
            reporter_kind=Notification.ReporterKind.PRIVATE,
            concern="Bekymring.",
        )
    Case.objects.filter(pk=child.case.pk).update(status=CaseStatus.CLOSED)
    with time_machine.travel(local(2030, 3, 1, 12), tick=False), pytest.raises(ValidationError):
        register(personas, child.case.citizen, local(2030, 3, 1, 10))


# --- 7. young-adult support ends at the 23rd birthday (§§ 114–121) ---------------------------


def test_young_adult_support_has_a_legal_basis_and_a_deadline_rule(db):
    basis = LegalBasis.objects.get(code="bl-114")
    assert basis.reference == "Barnets Lov § 114"
    assert basis.active and not basis.is_preventive and basis.title
    rule = DeadlineRule.objects.get(code="young_adult_end")
    assert rule.active and rule.trigger == "birthday_23"
    assert "114" in rule.legal_reference


def test_a_young_adult_measure_gets_a_deadline_at_the_23rd_birthday(personas, org):
    young = citizen_born(dt.date(2007, 8, 20))  # 19
    case = f.CaseFactory(
        citizen=young, owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE
    )
    measure = order_measure(
        personas,
        org,
        case,
        decided=local(2026, 9, 1, 10),
        start=dt.date(2026, 9, 7),
        basis="bl-114",
    )
    end = Deadline.objects.get(measure=measure, rule__code="young_adult_end")
    assert end.due_at == end_of(dt.date(2030, 8, 20))
    # A § 32 measure on the same case has none.
    other = order_measure(
        personas, org, case, decided=local(2026, 9, 2, 10), start=dt.date(2026, 9, 7)
    )
    assert not Deadline.objects.filter(measure=other, rule__code="young_adult_end").exists()
    # Ending the support meets it.
    with time_machine.travel(local(2027, 5, 3, 10), tick=False):
        services.measure_end(measure=measure, ended_on=dt.date(2027, 5, 3))
    end.refresh_from_db()
    assert end.met_at is not None and not end.is_open


def test_young_adult_deadline_of_a_person_born_29_february(personas, org):
    case = f.CaseFactory(
        citizen=citizen_born(LEAP_CHILD), owner=personas.owner, team=org.team_a, status="measure"
    )
    measure = order_measure(
        personas,
        org,
        case,
        decided=local(2030, 6, 1, 10),
        start=dt.date(2030, 6, 3),
        basis="bl-114",
    )
    end = Deadline.objects.get(measure=measure, rule__code="young_adult_end")
    assert end.due_at == end_of(dt.date(2035, 3, 1))


# --- 8. the sweep reads the age deadlines by a range of birth dates --------------------------


TODAY = dt.date(2026, 6, 1)
BIRTH_RANGE = re.compile(
    r'"cases_citizen"\."birth_date" BETWEEN \'?(\d{4}-\d\d-\d\d)\'?(?:::date)? '
    r"AND '?(\d{4}-\d\d-\d\d)'?"
)


def _youth(personas, org, born: dt.date) -> Case:
    return f.CaseFactory(
        citizen=citizen_born(born),
        owner=personas.owner,
        team=org.team_a,
        opened_at=local(2025, 1, 6),
    )


def test_citizen_birth_date_is_indexed(db):
    assert any(index.fields == ["birth_date"] for index in Citizen._meta.indexes)
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Citizen._meta.db_table)
    assert any(c["index"] and c["columns"] == ["birth_date"] for c in constraints.values())


def test_the_sweep_reads_age_deadlines_by_a_birth_date_range_per_age(personas, org):
    with CaptureQueriesContext(connection) as queries:
        deadlines_schedule_birthdays(today=TODAY)
    ranges = sorted(
        (dt.date.fromisoformat(a), dt.date.fromisoformat(b))
        for q in queries
        for a, b in BIRTH_RANGE.findall(q["sql"])
    )
    assert len(ranges) == 2, [q["sql"] for q in queries]
    # The rule's due dates from today to today + the horizon: for after_18 (6 months before
    # the 18th birthday) the 18th birthdays 01.12.2026–01.06.2027, born 2008–09; for the
    # ungeplan (3 months after the 16th) the 16th birthdays 01.03–01.09.2026, born 2010.
    (after_18_from, after_18_to), (ungeplan_from, ungeplan_to) = ranges
    slack = dt.timedelta(days=21)
    assert abs(after_18_from - dt.date(2008, 12, 1)) <= slack
    assert abs(after_18_to - dt.date(2009, 6, 1)) <= slack
    assert abs(ungeplan_from - dt.date(2010, 3, 1)) <= slack
    assert abs(ungeplan_to - dt.date(2010, 9, 1)) <= slack
    for first, last in ranges:
        assert last - first <= BIRTHDAY_HORIZON + 2 * slack  # not every child under 18


def _repeat_queries(personas, org, births: list[dt.date]) -> int:
    for born in births:
        _youth(personas, org, born)
    deadlines_schedule_birthdays(today=TODAY)
    with CaptureQueriesContext(connection) as queries:
        assert deadlines_schedule_birthdays(today=TODAY) == 0
    return len(queries)


def test_a_repeated_sweep_with_nothing_new_does_the_same_queries_for_more_cases(personas, org):
    in_window = [dt.date(2010, 4, 1) + dt.timedelta(days=5 * i) for i in range(30)]
    few = _repeat_queries(personas, org, in_window[:2])
    many = _repeat_queries(personas, org, in_window[2:])
    assert Deadline.objects.filter(rule__code="ungeplan").count() == 30
    assert few == many <= 3  # the rules, then one query per age
