"""The hot pages' read helpers: compiled SQL run again with new values (``compiled_sql``),
model instances from JSON rows (``json_rows``), and a case with its header in one query
(``permissions.get_case_for_request``)."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access import rules as permissions
from access.models import AccessLogEntry
from accounts.models import User
from cases.models import Case, Deadline, DeadlineRule, HoursStep, JournalNote, Measure
from core import compiled_sql, json_rows

pytestmark = pytest.mark.django_db


def open_deadlines_before(case_id: uuid.UUID, *, now: dt.datetime | None) -> QuerySet[Deadline]:
    assert now is not None
    return (
        Deadline.objects.filter(case_id=case_id, met_at=None, due_at__lt=now)
        .order_by("due_at", "id")
        .values_list("id", "due_at", "rule__code")
    )


def test_compiled_rows_are_the_orm_rows_with_each_calls_now(case):
    start = timezone.now()
    deadlines = [
        Deadline.objects.create(case=case, rule=rule, due_at=start + dt.timedelta(days=i))
        for i, rule in enumerate(DeadlineRule.objects.all()[:3])
    ]
    compiled_sql._compiled.cache_clear()
    for now in (
        deadlines[0].due_at + dt.timedelta(seconds=1),
        deadlines[-1].due_at + dt.timedelta(1),
    ):
        orm = list(open_deadlines_before(case.pk, now=now))
        assert compiled_sql.rows(open_deadlines_before, case.pk, now=now) == orm
    # Two different "now"s, one compilation: the marker was replaced, not compiled in.
    assert compiled_sql._compiled.cache_info().misses == 1
    assert compiled_sql._compiled.cache_info().hits == 1
    first = compiled_sql.rows(open_deadlines_before, case.pk, now=deadlines[0].due_at)
    assert first == []  # nothing is due before the first deadline


def empty_slice(case_id: uuid.UUID, *, now: dt.datetime | None = None) -> QuerySet[Case]:
    return Case.objects.filter(pk=case_id).values_list("number")[0:0]


def test_a_queryset_that_matches_nothing_gives_no_rows(case):
    with CaptureQueriesContext(connection) as queries:
        assert compiled_sql.rows(empty_slice, case.pk) == []
    assert len(queries) == 0


def test_json_rows_give_the_types_the_orm_gives(case, personas):
    measure = case.measures.get()
    step = HoursStep.objects.create(
        measure=measure, position=1, weeks=4, hours_per_week=Decimal("2.5")
    )
    note = JournalNote.objects.get(case=case)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT row_to_json(s), row_to_json(n), row_to_json(m) FROM cases_hoursstep s,"
            " cases_journalnote n, cases_measure m WHERE s.id = %s AND n.id = %s AND m.id = %s",
            [step.pk, note.pk, measure.pk],
        )
        step_row, note_row, measure_row = cursor.fetchone()
    loaded_step = json_rows.instance(HoursStep, step_row)
    assert loaded_step.hours_per_week == Decimal("2.5")
    assert isinstance(loaded_step.hours_per_week, Decimal)
    loaded_note = json_rows.instance(JournalNote, note_row)
    assert loaded_note.created_at == note.created_at and loaded_note.created_at.tzinfo
    assert loaded_note.case_id == case.pk and isinstance(loaded_note.case_id, uuid.UUID)
    assert loaded_note._state.adding is False and loaded_note._state.db == "default"
    loaded_measure = json_rows.instance(Measure, measure_row)
    assert loaded_measure.start_date == measure.start_date
    assert isinstance(loaded_measure.start_date, dt.date)
    assert loaded_measure.get_absolute_url() == measure.get_absolute_url()
    assert json_rows.instances(Measure, None) == []


def test_json_rows_defer_missing_columns_and_cache_related_objects(case):
    user = json_rows.instance(User, {"id": case.owner_id, "username": case.owner.username})
    assert user.get_deferred_fields() >= {"first_name", "password"}
    assert user.first_name == case.owner.first_name  # loaded when read
    note = JournalNote.objects.get(case=case)
    json_rows.set_related(note, "correction", None)
    json_rows.set_related(note, "author", user)
    with CaptureQueriesContext(connection) as queries:
        assert note.author is user
        assert not hasattr(note, "correction") or note.correction is None
    assert len(queries) == 0


def request_for(user, path: str = "/sager/x/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_the_case_with_its_header_is_one_query_and_the_orm_case(case, personas):
    request = request_for(personas.owner)
    with CaptureQueriesContext(connection) as queries:
        loaded = permissions.get_case_for_request(request, case.pk)
    assert len(queries) == 2  # the case with citizen, owner and team; the access-log row
    with CaptureQueriesContext(connection) as queries:
        assert (loaded.citizen.cpr, loaded.owner.email, loaded.team.name) == (
            case.citizen.cpr,
            case.owner.email,
            case.team.name,
        )
    assert len(queries) == 0
    assert "password" in loaded.owner.get_deferred_fields()  # never read for a page
    orm = Case.objects.select_related("citizen", "owner", "team").get(pk=case.pk)
    for field in Case._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(orm, field.attname), field.name
    assert AccessLogEntry.objects.filter(case=case, user=personas.owner).count() == 1


@pytest.mark.parametrize("who", ["colleague", "other_therapist", "family_user"])
def test_the_case_with_its_header_is_refused_as_before(who, case, personas):
    user = getattr(personas, who)
    with pytest.raises(Http404):
        permissions.get_case_for_request(request_for(user), case.pk)
    assert AccessLogEntry.objects.filter(
        user=user, action=AccessLogEntry.Action.DENIED, case=case
    ).exists()


def test_a_share_is_seen_at_once_by_the_query_composed_per_user_and_day(case, personas):
    colleague = personas.colleague
    with pytest.raises(Http404):
        permissions.get_case_for_request(request_for(colleague), case.pk)
    permissions.case_share_grant(
        case=case,
        user=colleague,
        valid_until=timezone.localdate(),
        reason="Ferieafløsning",
        granted_by=personas.owner,
    )
    assert permissions.get_case_for_request(request_for(colleague), case.pk) == case
    permissions.case_share_revoke(case=case, user=colleague, revoked_by=personas.owner)
    with pytest.raises(Http404):
        permissions.get_case_for_request(request_for(colleague), case.pk)


def test_json_rows_refuse_a_field_they_cannot_convert():
    from django.db import models

    with pytest.raises(NotImplementedError, match="DurationField"):
        json_rows._converter(models.DurationField(name="length"))
    assert json_rows._converter(models.DateField(name="day")) == dt.date.fromisoformat


def open_deadline_dicts(case_id: uuid.UUID, *, now: dt.datetime | None) -> QuerySet[Deadline]:
    assert now is not None
    return (
        Deadline.objects.filter(case_id=case_id, met_at=None, due_at__lt=now)
        .order_by("due_at", "id")
        .values("id", "due_at")
    )


def test_compiled_dicts_are_the_orm_dicts(case):
    start = timezone.now()
    for i, rule in enumerate(DeadlineRule.objects.all()[:3]):
        Deadline.objects.create(case=case, rule=rule, due_at=start + dt.timedelta(days=i))
    now = start + dt.timedelta(days=1, seconds=1)
    orm = list(open_deadline_dicts(case.pk, now=now))
    assert len(orm) == 2
    assert compiled_sql.dicts(open_deadline_dicts, case.pk, now=now) == orm
