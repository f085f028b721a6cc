"""export_access_log: one citizen's access log as JSON or CSV (GDPR art. 15), itself logged."""

import csv
import datetime as dt
import io
import json
import uuid
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from access.log import Action, access_log_record
from access.log_export import COLUMNS
from access.models import AccessLogEntry
from demo import factories as f

pytestmark = pytest.mark.django_db

ACTOR = "system:export_access_log"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The persona fixtures hash seven passwords; with PBKDF2 that costs seconds per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def export(citizen_id: object, *args: str) -> str:
    out = io.StringIO()
    call_command("export_access_log", str(citizen_id), *args, stdout=out)
    return out.getvalue()


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def log(org, personas, case):
    """Three entries on the case's child, written out of time order, and one on another child."""
    path = f"/sager/{case.id}/"
    with time_machine.travel(at(2, 10), tick=False):
        access_log_record(
            user=personas.therapist, action=Action.CHANGE, case=case, target=path + "journal/"
        )
    with time_machine.travel(at(1, 9, 30), tick=False):
        access_log_record(user=personas.owner, action=Action.VIEW, case=case, target=path)
    with time_machine.travel(at(3, 14), tick=False):
        access_log_record(user=personas.colleague, action=Action.DENIED, case=case, target=path)
    other_case = f.CaseFactory(owner=personas.colleague, team=org.team_b)
    with time_machine.travel(at(1, 8), tick=False):
        access_log_record(
            user=personas.colleague,
            action=Action.VIEW,
            case=other_case,
            target=f"/sager/{other_case.id}/",
        )
    return SimpleNamespace(case=case, citizen=case.citizen, other_case=other_case, path=path)


def expected_rows(log, personas) -> list[dict[str, str | None]]:
    common = {
        "case": log.case.number,
        "case_id": str(log.case.id),
        "citizen_id": str(log.citizen.id),
        "reason": "",
    }
    return [
        {
            "at": "2026-03-01T09:30:00+01:00",
            "user": personas.owner.username,
            "action": "view",
            "action_label": "Visning",
            "target": log.path,
            **common,
        },
        {
            "at": "2026-03-02T10:00:00+01:00",
            "user": personas.therapist.username,
            "action": "change",
            "action_label": "Ændring",
            "target": log.path + "journal/",
            **common,
        },
        {
            "at": "2026-03-03T14:00:00+01:00",
            "user": personas.colleague.username,
            "action": "denied",
            "action_label": "Afvist adgang",
            "target": log.path,
            **common,
        },
    ]


def test_json_lists_the_citizens_entries_oldest_first(log, personas):
    rows = json.loads(export(log.citizen.id))

    assert rows == expected_rows(log, personas)
    for row in rows:
        assert set(row) == set(COLUMNS)
        assert dt.datetime.fromisoformat(row["at"]).tzinfo is not None


def test_other_citizens_entries_are_left_out(log):
    output = export(log.citizen.id)

    assert str(log.other_case.id) not in output
    assert log.other_case.number not in output
    assert [row["citizen_id"] for row in json.loads(output)] == [str(log.citizen.id)] * 3


def test_csv_has_a_header_and_the_same_rows(log, personas):
    output = export(log.citizen.id, "--format", "csv")

    reader = csv.DictReader(io.StringIO(output))
    assert reader.fieldnames == list(COLUMNS)
    assert list(reader) == expected_rows(log, personas)


def test_csv_neutralises_spreadsheet_formulas(case, personas):
    access_log_record(user=personas.owner, action=Action.VIEW, case=case, target="=HYPERLINK(1)")

    row = next(csv.DictReader(io.StringIO(export(case.citizen.id, "--format", "csv"))))
    raw = json.loads(export(case.citizen.id))[0]

    assert row["target"] == "'=HYPERLINK(1)"
    assert raw["target"] == "=HYPERLINK(1)"


def test_entry_naming_only_the_case_belongs_to_its_child(case):
    AccessLogEntry.objects.create(
        user=None, username="system:import", case=case, action=Action.VIEW, target="import"
    )

    rows = json.loads(export(case.citizen.id))

    assert [(r["user"], r["case"], r["citizen_id"]) for r in rows] == [
        ("system:import", case.number, str(case.citizen.id))
    ]


def test_export_is_appended_to_the_log_as_its_own_entry(log):
    before = AccessLogEntry.objects.count()

    first = json.loads(export(log.citizen.id, "--reason", "Indsigtsanmodning 12. marts"))

    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.latest("id")
    assert (entry.action, entry.username, entry.user, entry.case) == (
        Action.EXPORT,
        ACTOR,
        None,
        None,
    )
    assert entry.citizen == log.citizen
    assert entry.reason == "Indsigtsanmodning 12. marts"
    assert "export" not in [row["action"] for row in first], "logged after printing"

    export(log.citizen.id, "--format", "csv")
    second = json.loads(export(log.citizen.id))
    assert len(second) == len(first) + 2
    assert [(r["action"], r["action_label"], r["user"], r["case"]) for r in second[-2:]] == [
        ("export", "Udtræk", ACTOR, None),
        ("export", "Udtræk", ACTOR, None),
    ]
    assert second[-2]["target"] == "export_access_log --format json"
    assert second[-1]["target"] == "export_access_log --format csv"


def test_citizen_without_entries_gets_an_empty_list(db):
    citizen = f.CitizenFactory()

    assert json.loads(export(citizen.id)) == []
    assert AccessLogEntry.objects.get().citizen == citizen


def test_unknown_citizen_is_a_clear_error(db):
    unknown = uuid.uuid4()

    with pytest.raises(CommandError, match="Der findes ingen borger") as raised:
        export(unknown)

    assert str(unknown) in str(raised.value)
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("value", ["ikke-et-id", "12345", ""])
def test_malformed_id_is_a_clear_error(db, value):
    with pytest.raises(CommandError, match="Ugyldigt borger-id"):
        export(value)
    assert not AccessLogEntry.objects.exists()


def test_cpr_number_given_as_id_is_refused_without_repeating_it(db):
    with pytest.raises(CommandError, match="ikke et CPR-nummer") as raised:
        export("010190-1234")

    assert "010190" not in str(raised.value)
    assert not AccessLogEntry.objects.exists()
