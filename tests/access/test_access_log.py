"""The access log: written for every read, and append-only in the database itself."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction

from access.log import Action, access_log_record, access_log_record_many
from access.models import AccessLogEntry
from demo import factories as f

TABLE = AccessLogEntry._meta.db_table


@pytest.fixture
def entry(db):
    case = f.CaseFactory()
    return access_log_record(
        user=case.owner, action=Action.VIEW, case=case, target=f"/sager/{case.id}/"
    )


def assert_unchanged(entry: AccessLogEntry) -> None:
    fresh = AccessLogEntry.objects.get(pk=entry.pk)
    assert (fresh.action, fresh.user_id, fresh.username, fresh.case_id, fresh.target) == (
        entry.action,
        entry.user_id,
        entry.username,
        entry.case_id,
        entry.target,
    )
    assert fresh.at == entry.at


# --- writing ---------------------------------------------------------------------------------


def test_access_log_record_writes_who_what_and_whom(db):
    case = f.CaseFactory()
    entry = access_log_record(
        user=case.owner, action=Action.VIEW, case=case, target="/sager/x/", reason="Opfølgning"
    )
    entry = AccessLogEntry.objects.get(pk=entry.pk)
    assert entry.user == case.owner
    assert entry.username == case.owner.username
    assert entry.case == case
    assert entry.citizen == case.citizen
    assert entry.action == "view"
    assert entry.target == "/sager/x/"
    assert entry.reason == "Opfølgning"
    assert entry.at is not None


def test_access_log_record_for_a_citizen_without_case(db):
    citizen = f.CitizenFactory()
    user = f.UserFactory()
    entry = access_log_record(user=user, action=Action.SEARCH, citizen=citizen)
    assert entry.case is None
    assert entry.citizen == citizen


def test_access_log_record_for_anonymous(db):
    entry = access_log_record(user=AnonymousUser(), action=Action.DENIED, target="/sager/")
    assert entry.user is None
    assert entry.username == ""
    entry = access_log_record(user=None, action=Action.DENIED)
    assert entry.user is None


def test_access_log_record_truncates_long_targets(db):
    entry = access_log_record(user=f.UserFactory(), action=Action.SEARCH, target="x" * 500)
    entry.refresh_from_db()
    assert len(entry.target) == 300


def test_access_log_record_many_writes_one_row_per_case_in_one_query(db, django_assert_num_queries):
    user = f.UserFactory()
    cases = [f.CaseFactory() for _ in range(5)]
    with django_assert_num_queries(1):
        access_log_record_many(user=user, action=Action.SEARCH, cases=cases, target="søgning")
    rows = AccessLogEntry.objects.filter(action=Action.SEARCH)
    assert sorted((r.case_id, r.citizen_id) for r in rows) == sorted(
        (c.id, c.citizen_id) for c in cases
    )
    assert {(r.user_id, r.username, r.target) for r in rows} == {
        (user.pk, user.username, "søgning")
    }


def test_access_log_record_many_with_no_cases_writes_nothing(db, django_assert_num_queries):
    user = f.UserFactory()
    with django_assert_num_queries(0):
        access_log_record_many(user=user, action=Action.SEARCH, cases=[])
    assert not AccessLogEntry.objects.exists()


# --- append-only, enforced by PostgreSQL -----------------------------------------------------


def test_the_trigger_is_installed(db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
            "ORDER BY tgname",
            [TABLE],
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "access_log_append_only",
            "access_log_no_truncate",
        ]


def test_inserts_work(entry):
    access_log_record(user=entry.user, action=Action.EXPORT, case=entry.case)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (at, username, action, target, reason) "  # noqa: S608
            "VALUES (now(), 'sql', 'view', '', '')"
        )
    assert AccessLogEntry.objects.count() == 3


def test_orm_save_of_an_existing_entry_is_refused(entry):
    entry.target = "/omskrevet/"
    with pytest.raises(DatabaseError) as exc, transaction.atomic():
        entry.save()
    assert "append-only" in str(exc.value)
    entry.target = AccessLogEntry.objects.get(pk=entry.pk).target
    assert entry.target != "/omskrevet/"
    assert_unchanged(entry)


def test_orm_queryset_update_is_refused(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(username="someone-else")
    assert_unchanged(entry)


def test_orm_delete_is_refused(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()
    assert_unchanged(entry)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET username = 'someone-else' WHERE id = %s",  # noqa: S608
        f"UPDATE {TABLE} SET at = now() - interval '1 year' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {TABLE} WHERE id = %s",  # noqa: S608
    ],
)
def test_raw_sql_update_and_delete_are_refused(entry, sql):
    with pytest.raises(DatabaseError) as exc, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    assert "append-only" in str(exc.value)
    assert_unchanged(entry)


def test_truncate_is_refused(entry):
    with connection.cursor() as cursor:
        # Check the deferred foreign keys now, as a commit would: PostgreSQL refuses TRUNCATE
        # while trigger events are pending, which only happens inside a test's transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # The test harness allows TRUNCATE for its own flushes (conftest); the app never.
            cursor.execute("SET LOCAL familievaerft.allow_truncate = 'off'")
            cursor.execute(f"TRUNCATE {TABLE}")
            # Still inside the savepoint: is the row gone?
            assert AccessLogEntry.objects.filter(pk=entry.pk).exists()
    except DatabaseError:
        pass
    assert_unchanged(entry)
