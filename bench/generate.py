"""A municipal-scale dataset for the benchmark, generated quickly.

``generate(scale)`` fills an (empty, migrated) database with ``scale`` cases and everything
proportional to them: children, families, caseworkers with a caseload of about 45 open cases,
notifications, assessments, measures with therapists, plans with goals, deadlines, about
``10 × scale`` sessions, ``5 × scale`` follow-ups, ``2 × scale`` old reminders and
``50 × scale`` access-log rows (at the default 100,000 cases: 1,000,000 sessions, 500,000
follow-ups and 5,000,000 log rows).

The entities that need care (unique CPR numbers, one open case per citizen) are written from
Python with COPY (psycopg 3 ``cursor.copy``); the big child tables are generated inside
Postgres with ``INSERT … SELECT … generate_series``. The access log's secondary indexes are
dropped while it is filled and built again afterwards (their definitions read back from
``pg_indexes``), which is several times faster than maintaining them row by row. Its
append-only triggers refuse only UPDATE, DELETE and TRUNCATE, so plain inserts are fine.

What the reminder sweep will find is fixed here, relative to the generation time ``T0`` (kept
in the table ``bench_meta``): ``scale / 10`` open items (follow-ups and assessment deadlines)
fall due between ``T0 - 30 days`` and ``T0 + 7 days``; every other open item is due later, and
everything else is met or held. The benchmark sweeps "as of" ``T0``, so a database generated
days ago gives the same figures.
"""

import contextlib
import datetime as dt
import random
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

# Proportions per case.
OPEN_CASES_PER_CASEWORKER = 45
CASEWORKERS_PER_TEAM = 10
ACTIVE_MEASURES_PER_THERAPIST = 15
SESSIONS_PER_CASE = 10
FOLLOWUPS_PER_CASE = 5
ACCESS_LOG_PER_CASE = 50
REMINDERS_PER_CASE = 2
NOTES_PER_CASE = 2
GOALS_PER_PLAN = 3
# The sweep's due items: a tenth of the number of cases, 70 % follow-ups, 30 % deadlines.
DUE_ITEMS_PER_CASE = 0.1
DUE_WINDOW_START = dt.timedelta(days=-30)
DUE_WINDOW_END = dt.timedelta(days=7)

# Share of cases by status (the rest are closed).
STATUS_SHARES = [
    ("notification", 0.10),
    ("assessment", 0.15),
    ("measure", 0.40),
    ("closing", 0.05),
]

AUTHORITY_UNIT = "Børne- og Familierådgivningen (bench)"
PROVIDER_UNIT = "Familiehuset (bench)"
FIRST_NAMES = [
    "Emma", "Noah", "Ida", "Oscar", "Freja", "William", "Clara", "Carl", "Alma", "Alfred",
    "Agnes", "Valdemar", "Ella", "Aksel", "Sofia", "Lucas", "Karla", "Emil", "Olivia", "Malthe",
]  # fmt: skip
LAST_NAMES = [
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
]  # fmt: skip
LOREM = (
    "Familien har arbejdet med struktur i hverdagen, og barnet fortæller, at morgenerne er "
    "blevet roligere. Skolen oplever et barn, der kommer til tiden og deltager i timerne. "
)


@dataclass(frozen=True)
class Counts:
    """The number of rows of each kind, for the report and the test."""

    rows: dict[str, int]

    def __str__(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.rows.items())


TABLES = {
    "users": "accounts_user",
    "teams": "accounts_team",
    "citizens": "cases_citizen",
    "families": "cases_family",
    "family_members": "cases_familymember",
    "cases": "cases_case",
    "notifications": "cases_notification",
    "assessments": "cases_assessment",
    "measures": "cases_measure",
    "plans": "plans_plan",
    "goals": "plans_goal",
    "deadlines": "cases_deadline",
    "followups": "followups_followup",
    "sessions": "followups_session",
    "journal_notes": "cases_journalnote",
    "reminders": "followups_reminder",
    "access_log": "access_accesslogentry",
}


def count_rows() -> Counts:
    with connection.cursor() as cursor:
        rows = {}
        for key, table in TABLES.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed names)
            rows[key] = cursor.fetchone()[0]
    return Counts(rows)


# --- metadata --------------------------------------------------------------------------------


def meta_get() -> dict[str, str]:
    """What the database was generated with (empty when it was not)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return {}
        cursor.execute("SELECT key, value FROM bench_meta")
        return dict(cursor.fetchall())


def _meta_set(values: dict[str, str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
        for key, value in values.items():
            cursor.execute(
                "INSERT INTO bench_meta (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [key, value],
            )


def reference_time() -> dt.datetime:
    """T0: the moment the data was generated relative to."""
    return dt.datetime.fromisoformat(meta_get()["t0"])


# --- helpers ---------------------------------------------------------------------------------


def _unlisted_defaults(table: str, columns: Sequence[str]) -> list[Any]:
    """The model fields of the table's NOT NULL columns that ``columns`` leaves out and that
    have a default, or are text fields that may be blank (their default is ""): Django's defaults
    live in Python, not in the table, so a field added to a model later (a flag with
    ``default=False``, a blank phone number) would otherwise fail the COPY."""
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.db_table == table:
            return [
                f
                for f in model._meta.concrete_fields
                if f.column not in columns
                and not f.null
                and (f.has_default() or f.get_default() is not None)
            ]
    return []


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY rows into table (psycopg 3), each unlisted field with a default at its default;
    returns how many."""
    extra = _unlisted_defaults(table, columns)
    columns = [*columns, *(f.column for f in extra)]
    n = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *(f.get_default() for f in extra)) if extra else row)
                n += 1
    return n


def _execute(sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _scalar(sql: str, params: Sequence[Any] | None = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _next_id(table: str) -> int:
    return int(_scalar(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}"))  # noqa: S608


def _sync_sequence(table: str) -> None:
    _execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
    )


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the indexes that back no constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        return list(cursor.fetchall())


@contextlib.contextmanager
def _indexes_rebuilt(table: str, log: Any) -> Iterator[None]:
    """Drop the table's secondary indexes for a bulk insert and build them again after it:
    several times faster than maintaining them row by row."""
    indexes = _secondary_indexes(table)
    for name, _definition in indexes:
        _execute(f'DROP INDEX "{name}"')
    yield
    started = time.monotonic()
    for _name, definition in indexes:
        _execute(definition)
    log(f"  ({len(indexes)} indexes of {table} built in {time.monotonic() - started:.1f} s)")


def _rule_ids() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, id FROM cases_deadlinerule")
        return dict(cursor.fetchall())


def _cpr(birth: dt.date, serial: int) -> str:
    # Born 2000–2036: seventh digit 4 (core.cpr.century_for).
    return f"{birth:%d%m%y}{4000 + serial:04d}"


# --- the generator ---------------------------------------------------------------------------


def generate(scale: int, *, seed: int = 8, log: Any = print) -> Counts:
    """Fill the database with ``scale`` cases and everything proportional to them."""
    if scale < 10:
        raise ValueError("BENCH_SCALE must be at least 10")
    started = time.monotonic()
    t0 = timezone.now().replace(microsecond=0)
    rnd = random.Random(seed)  # noqa: S311 (test data, reproducible)
    with transaction.atomic():
        _execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Replica mode skips the row-by-row foreign-key triggers while loading (every id comes
        # from rows written just before; tests/test_bench.py checks every foreign key for
        # orphans). Unique and check constraints are enforced as always.
        if _scalar("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
            _execute("SET LOCAL session_replication_role = replica")
        _execute("SET LOCAL synchronous_commit = off")
        _execute("SET LOCAL maintenance_work_mem = '512MB'")
        _execute("SET LOCAL work_mem = '64MB'")
        plan = _people_and_cases(scale, t0, rnd, log)
        _case_children(scale, t0, plan, log)
        _access_log(scale, t0, log)
        _letter_fixture(t0, log)
        # The birthday deadlines the sweep would otherwise schedule on its first run.
        _birthday_deadlines(t0, log)
        _meta_set({"scale": str(scale), "t0": t0.isoformat(), "seed": str(seed)})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _meta_set({"complete": "1", "generated_seconds": f"{time.monotonic() - started:.1f}"})
    return count_rows()


@dataclass(frozen=True)
class _Plan:
    caseworkers: list[int]
    leads: list[int]
    therapists: list[int]
    legal_basis_id: int
    provider_team_of: dict[int, int]


def _people_and_cases(scale: int, t0: dt.datetime, rnd: random.Random, log: Any) -> _Plan:
    step = time.monotonic()
    today = timezone.localtime(t0).date()
    n_open = int(scale * sum(share for _s, share in STATUS_SHARES))
    n_cw = max(1, round(n_open / OPEN_CASES_PER_CASEWORKER))
    n_teams = max(1, -(-n_cw // CASEWORKERS_PER_TEAM))
    n_active = int(scale * 0.40)
    n_th = max(1, round(n_active / ACTIVE_MEASURES_PER_THERAPIST))
    n_pteams = max(1, -(-n_th // CASEWORKERS_PER_TEAM))

    unit_id = _next_id("accounts_organisationunit")
    _copy(
        "accounts_organisationunit",
        ["id", "name", "kind", "municipality", "address"],
        [
            (unit_id, AUTHORITY_UNIT, "authority", "Bench Kommune", "Rådhuspladsen 1"),
            (unit_id + 1, PROVIDER_UNIT, "provider", "Bench Kommune", "Havnegade 2"),
        ],
    )
    team_id = _next_id("accounts_team")
    teams = [(team_id + i, unit_id, f"Team {i + 1}") for i in range(n_teams)]
    pteams = [
        (team_id + n_teams + i, unit_id + 1, f"Behandlerteam {i + 1}") for i in range(n_pteams)
    ]
    _copy("accounts_team", ["id", "unit_id", "name"], teams + pteams)

    user_id = _next_id("accounts_user")
    users: list[tuple[Any, ...]] = []
    memberships: list[tuple[int, int, bool]] = []
    caseworkers, leads, therapists = [], [], []
    provider_team_of: dict[int, int] = {}

    def add_user(username: str, role: str, first: str, last: str) -> int:
        uid = user_id + len(users)
        users.append(
            (uid, "!", None, False, username, first, last, f"{username}@bench.example", False,
             True, t0, role, "", "", False)
        )  # fmt: skip
        return uid

    for i in range(n_cw):
        uid = add_user(f"bench-sb{i + 1}", "caseworker", "Sagsbehandler", str(i + 1))
        caseworkers.append(uid)
        memberships.append((teams[i // CASEWORKERS_PER_TEAM][0], uid, False))
    for t, team in enumerate(teams):
        uid = add_user(f"bench-tl{t + 1}", "team_lead", "Teamleder", str(t + 1))
        leads.append(uid)
        memberships.append((team[0], uid, True))
    for i in range(n_th):
        uid = add_user(f"bench-fb{i + 1}", "therapist", "Familiebehandler", str(i + 1))
        therapists.append(uid)
        provider_team_of[uid] = pteams[i // CASEWORKERS_PER_TEAM][0]
        memberships.append((provider_team_of[uid], uid, False))
    _copy(
        "accounts_user",
        ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
         "email", "is_staff", "is_active", "date_joined", "role", "title", "phone",
         "break_glass"],
        users,
    )  # fmt: skip
    _copy("accounts_teammembership", ["team_id", "user_id", "is_lead"], memberships)
    team_of = {uid: team for team, uid, is_lead in memberships if not is_lead}

    # Citizens (the children) and their families.
    serials: dict[dt.date, int] = {}
    citizens = []
    for i in range(scale):
        birth = today - dt.timedelta(days=rnd.randint(30, 18 * 365 - 30))
        serial = serials.get(birth, 0)
        serials[birth] = serial + 1
        citizens.append(
            (uuid.uuid4(), FIRST_NAMES[i % len(FIRST_NAMES)], LAST_NAMES[rnd.randrange(15)],
             _cpr(birth, serial), birth, f"Bænkevej {i % 500 + 1}", "2100", "København Ø",
             "Bænkeskolen", t0)
        )  # fmt: skip
    _copy(
        "cases_citizen",
        ["id", "first_name", "last_name", "cpr", "birth_date", "address", "postal_code", "city",
         "school_or_daycare", "created_at"],
        citizens,
    )  # fmt: skip
    family_id = _next_id("cases_family")
    member_id = _next_id("cases_familymember")
    families: list[tuple[Any, ...]] = []
    members: list[tuple[Any, ...]] = []
    i = 0
    while i < scale:
        size = rnd.choices([1, 2, 3], [0.6, 0.3, 0.1])[0]
        fid = family_id + len(families)
        last = citizens[i][2]
        families.append((fid, f"Familien {last}", citizens[i][5], t0))
        for child in citizens[i : i + size]:
            members.append((member_id + len(members), fid, child[0], "", "", True))
        for parent in range(1 if rnd.random() < 0.3 else 2):
            first = "Mor" if parent == 0 else "Far"
            members.append((member_id + len(members), fid, None, first, last, False))
        i += size
    _copy("cases_family", ["id", "name", "address", "created_at"], families)
    _copy(
        "cases_familymember",
        ["id", "family_id", "citizen_id", "first_name", "last_name", "is_child", "phone", "email"],
        ((*m, "", "") for m in members),
    )
    _execute(
        "INSERT INTO cases_familyrelation (member_id, child_id, kind) "
        "SELECT a.id, c.id, 'parent_custody' FROM cases_familymember a "
        "JOIN cases_familymember c ON c.family_id = a.family_id AND c.is_child "
        "WHERE NOT a.is_child AND a.family_id >= %s",
        [family_id],
    )
    log(
        f"  users={len(users)} teams={len(teams) + len(pteams)} citizens={scale} "
        f"families={len(families)} ({time.monotonic() - step:.1f} s)"
    )

    # Cases: statuses by share; open ones dealt round-robin to the caseworkers.
    step = time.monotonic()
    statuses: list[str] = []
    for status, share in STATUS_SHARES:
        statuses += [status] * int(scale * share)
    statuses += ["closed"] * (scale - len(statuses))
    rnd.shuffle(statuses)
    n_due = int(scale * DUE_ITEMS_PER_CASE)
    n_due_deadlines = int(n_due * 0.3)
    window = (DUE_WINDOW_END - DUE_WINDOW_START).total_seconds()

    def due_at(in_window: bool, later_days: tuple[float, float]) -> dt.datetime:
        """Inside the sweep's window (one of its due items), or some days after it."""
        if in_window:
            return t0 + DUE_WINDOW_START + dt.timedelta(seconds=rnd.uniform(0, window))
        return t0 + dt.timedelta(days=rnd.uniform(*later_days))

    cases, case_rows = [], []
    assessment_seen = 0
    year = today.year
    for i, (citizen, status) in enumerate(zip(citizens, statuses, strict=True)):
        owner = caseworkers[i % n_cw]
        closed_at = None
        if status == "notification":
            opened = t0 - dt.timedelta(days=rnd.uniform(0, 10))
        elif status == "assessment":
            # The assessment deadline (4 months after the concern) decides the sweep's items.
            due = due_at(assessment_seen < n_due_deadlines, (9, 110))
            assessment_seen += 1
            opened = due - relativedelta(months=4)
        elif status == "closed":
            opened = t0 - dt.timedelta(days=rnd.uniform(400, 1500))
            closed_at = opened + dt.timedelta(days=rnd.uniform(200, 380))
        else:
            opened = t0 - dt.timedelta(days=rnd.uniform(200, 900))
        case_id = uuid.uuid4()
        cases.append((case_id, citizen[0], owner, status, opened, citizen[4]))
        case_rows.append(
            (case_id, f"B{year}-{i + 1:06d}", citizen[0], owner, team_of[owner],
             status, opened, closed_at, "Forløbet er afsluttet." if closed_at else "", None, t0)
        )  # fmt: skip
    _copy(
        "cases_case",
        ["id", "number", "citizen_id", "owner_id", "team_id", "status", "opened_at", "closed_at",
         "closing_reason", "reopened_at", "updated_at"],
        case_rows,
    )  # fmt: skip
    log(f"  cases={len(cases)} ({time.monotonic() - step:.1f} s)")

    # Measures (planned in Python: the follow-up schedule and the sweep's items hang on them).
    step = time.monotonic()
    legal_basis_id = _scalar("SELECT id FROM cases_legalbasis WHERE code = 'bl-32-1-5'")
    measure_id = _next_id("cases_measure")
    measures: list[tuple[Any, ...]] = []
    n_due_followups = n_due - n_due_deadlines
    active_seen = 0
    for case_id, _citizen, owner, status, opened, _birth in cases:
        if status in ("notification", "assessment") or (status == "closed" and rnd.random() > 0.7):
            continue
        kinds = ["active" if status == "measure" else "ended"]
        if status == "measure" and rnd.random() < 0.3:
            kinds.insert(0, "ended")
        for kind in kinds:
            therapist = therapists[(measure_id + len(measures)) % n_th]
            if kind == "active":
                # The open follow-up's due date: inside the sweep's window for the first ones.
                open_due = due_at(active_seen < n_due_followups, (9, 180))
                active_seen += 1
                anchor = timezone.localtime(open_due).date()
                ended = None
            else:
                anchor = timezone.localtime(opened).date() + dt.timedelta(days=400)
                anchor = min(anchor, today - dt.timedelta(days=30))
                ended = anchor + dt.timedelta(days=10)
            mid = measure_id + len(measures)
            measures.append((mid, case_id, owner, therapist, anchor, ended, kind == "active"))
    n_measures = len(measures)
    per_measure = max(1, round(scale * FOLLOWUPS_PER_CASE / max(1, n_measures)))
    measure_rows, plan_rows = [], []
    for mid, case_id, owner, therapist, anchor, ended, active in measures:
        start = anchor - dt.timedelta(days=60 * per_measure + 30)
        measure_rows.append(
            (mid, case_id, legal_basis_id, "Familiebehandling i hjemmet med fokus på struktur.",
             12, start, start + relativedelta(months=12), ended, provider_team_of[therapist],
             start - dt.timedelta(days=5), owner,
             timezone.make_aware(dt.datetime.combine(start, dt.time(9))))
        )  # fmt: skip
        plan_rows.append((mid, case_id, therapist, anchor, active))
    _copy(
        "cases_measure",
        ["id", "case_id", "legal_basis_id", "purpose", "expected_duration_months", "start_date",
         "planned_end_date", "ended_on", "provider_team_id", "consent_given_on", "decided_by_id",
         "decided_at"],
        measure_rows,
    )  # fmt: skip
    _execute(
        "CREATE TEMP TABLE bench_m (measure_id bigint PRIMARY KEY, case_id uuid, "
        "therapist_id bigint, anchor date, active boolean, rn serial) ON COMMIT DROP"
    )
    _copy("bench_m", ["measure_id", "case_id", "therapist_id", "anchor", "active"], plan_rows)
    _execute(
        "CREATE TEMP TABLE bench_c ON COMMIT DROP AS SELECT c.id, c.citizen_id, c.owner_id, "
        "c.status, c.opened_at, u.username, row_number() OVER (ORDER BY c.id) AS rn "
        "FROM cases_case c JOIN accounts_user u ON u.id = c.owner_id"
    )
    _execute("CREATE UNIQUE INDEX ON bench_c (rn)")
    _execute("ANALYZE bench_m")
    _execute("ANALYZE bench_c")
    log(f"  measures={n_measures} ({time.monotonic() - step:.1f} s)")
    for table in ("accounts_organisationunit", "accounts_team", "accounts_user",
                  "cases_family", "cases_familymember", "cases_measure"):  # fmt: skip
        _sync_sequence(table)
    return _Plan(caseworkers, leads, therapists, legal_basis_id, provider_team_of)


def _timed(label: str, log: Any, sql: str, params: Any = None) -> int:
    step = time.monotonic()
    n = _execute(sql, params)
    log(f"  {label}={n} ({time.monotonic() - step:.1f} s)")
    return n


def _case_children(scale: int, t0: dt.datetime, plan: _Plan, log: Any) -> None:
    rules = _rule_ids()
    p = {
        "t0": t0,
        "today": timezone.localtime(t0).date(),
        "goals": GOALS_PER_PLAN,
        "notes": NOTES_PER_CASE,
        **{f"r_{k}": v for k, v in rules.items()},
    }
    _timed(
        "notifications",
        log,
        "INSERT INTO cases_notification (case_id, kind, received_at, reporter_kind, reporter_name,"
        " reporter_organisation, reporter_email, concern, registered_by_id, registered_at,"
        " acute_judged_at, acute_judged_by_id, acute_outcome, acute_note, receipt_sent_at,"
        " receipt_sent_by_id, reporter_confidential) "
        "SELECT c.id, 'notification', c.opened_at - x.extra * interval '200 days',"
        " CASE WHEN c.rn % 10 < 6 THEN 'professional' ELSE 'private' END,"
        " 'Lærer', 'Bænkeskolen', '', 'Barnet virker træt og ked af det i skolen.',"
        " c.owner_id, c.opened_at, c.opened_at + interval '2 hours', c.owner_id, 'none', '',"
        " CASE WHEN c.rn % 10 < 6 THEN c.opened_at + interval '1 day' END,"
        " CASE WHEN c.rn % 10 < 6 THEN c.owner_id END, false "
        "FROM bench_c c JOIN LATERAL (SELECT 0 AS extra UNION ALL SELECT 1 WHERE c.rn % 5 = 0)"
        " x ON true",
    )
    _timed(
        "deadlines (notifications)",
        log,
        "INSERT INTO cases_deadline (case_id, rule_id, due_at, notification_id, met_at,"
        " met_by_event, handled_otherwise_reason, created_at) "
        "SELECT n.case_id, %(r_acute_judgement)s, n.received_at + interval '24 hours', n.id,"
        " n.acute_judged_at, 'Akut vurdering registreret', '', n.registered_at "
        "FROM cases_notification n JOIN bench_c c ON c.id = n.case_id "
        "UNION ALL SELECT n.case_id, %(r_receipt)s, n.received_at + interval '8 days', n.id,"
        " n.receipt_sent_at, 'Kvittering sendt', '', n.registered_at "
        "FROM cases_notification n JOIN bench_c c ON c.id = n.case_id "
        "WHERE n.reporter_kind = 'professional'",
        p,
    )
    _timed(
        "assessments",
        log,
        "INSERT INTO cases_assessment (case_id, kind, started_on, started_by_id, finished_on,"
        " conclusion, parents_view, child_view, conversation_place,"
        " conversation_not_held_reason, preliminary_assessment) "
        "SELECT c.id, 'child_assessment', (c.opened_at + interval '3 days')::date, c.owner_id,"
        " CASE WHEN c.status <> 'assessment' THEN (c.opened_at + interval '100 days')::date END,"
        " CASE WHEN c.status <> 'assessment' THEN 'Behov for familiebehandling.' ELSE '' END,"
        " '', '', '', '', '' FROM bench_c c WHERE c.status <> 'notification'",
    )
    _timed(
        "deadlines (assessments)",
        log,
        "INSERT INTO cases_deadline (case_id, rule_id, due_at, met_at, met_by_event,"
        " handled_otherwise_reason, created_at) "
        "SELECT c.id, %(r_assessment)s, c.opened_at + interval '4 months',"
        " CASE WHEN c.status <> 'assessment' THEN c.opened_at + interval '100 days' END,"
        " CASE WHEN c.status <> 'assessment' THEN 'Undersøgelse afsluttet' ELSE '' END, '',"
        " c.opened_at FROM bench_c c WHERE c.status <> 'notification'",
        p,
    )
    _timed(
        "assignments",
        log,
        "INSERT INTO cases_measureassignment (measure_id, user_id, assigned_at) "
        "SELECT m.measure_id, m.therapist_id, %(t0)s FROM bench_m m",
        p,
    )
    _timed(
        "hours steps",
        log,
        "INSERT INTO cases_hoursstep (measure_id, position, weeks, hours_per_week) "
        "SELECT m.measure_id, 1, 12, 6 FROM bench_m m "
        "UNION ALL SELECT m.measure_id, 2, NULL, 3 FROM bench_m m",
    )
    _timed(
        "plans",
        log,
        "INSERT INTO plans_plan (case_id, kind, purpose, child_voice, parents_view, house_worries,"
        " house_good_things, house_dreams, internal_note, version, created_at, created_by_id,"
        " updated_at) "
        "SELECT c.id, CASE WHEN ci.birth_date <= %(today)s - interval '16 years' THEN 'youth_plan'"
        " ELSE 'childs_plan' END, 'Trygge rammer og en god skolegang.', 'Jeg vil have ro.',"
        " 'Vi vil gerne have hjælp.', '', '', '', '', 1, c.opened_at, c.owner_id, %(t0)s "
        "FROM bench_c c JOIN cases_citizen ci ON ci.id = c.citizen_id "
        "WHERE c.id IN (SELECT case_id FROM bench_m)",
        p,
    )
    _timed(
        "goals",
        log,
        "INSERT INTO plans_goal (plan_id, area, family_wording, professional_wording,"
        " formulated_by, target_date, status, dropped_reason, position, created_at) "
        "SELECT pl.id, (ARRAY['family','school','development'])[g.n], 'Mål ' || g.n || ' med"
        " familiens ord', '', 'Familien', NULL, 'open', '', g.n, %(t0)s "
        "FROM plans_plan pl JOIN bench_c c ON c.id = pl.case_id "
        "CROSS JOIN generate_series(1, %(goals)s) g(n)",
        p,
    )
    _timed(
        "deadlines (measures)",
        log,
        "INSERT INTO cases_deadline (case_id, rule_id, due_at, measure_id, met_at,"
        " met_by_event, handled_otherwise_reason, created_at) "
        "SELECT m.case_id, %(r_plan)s, me.start_date + interval '3 months', m.measure_id,"
        " me.start_date + interval '20 days', 'Plan oprettet', '', me.decided_at "
        "FROM bench_m m JOIN cases_measure me ON me.id = m.measure_id "
        "UNION ALL SELECT m.case_id, %(r_first_followup)s, me.start_date + interval '3 months',"
        " m.measure_id, NULL, '', '', me.decided_at "
        "FROM bench_m m JOIN cases_measure me ON me.id = m.measure_id",
        p,
    )
    n_measures = int(_scalar("SELECT count(*) FROM bench_m"))
    with _indexes_rebuilt("followups_followup", log):
        _followups(scale, n_measures, p, log)
    with _indexes_rebuilt("followups_session", log):
        _sessions(scale, n_measures, p, log)
    _rest(scale, p, log)


def _followups(scale: int, n_measures: int, p: dict[str, Any], log: Any) -> None:
    per = max(1, round(scale * FOLLOWUPS_PER_CASE / max(1, n_measures)))
    _timed(
        "followups",
        log,
        "INSERT INTO followups_followup (case_id, measure_id, number, due_on, deadline_id,"
        " held_on, participants, decision, decision_reasons, schedule_reasons, completed_by_id,"
        " completed_at, created_at) "
        "SELECT m.case_id, m.measure_id, g.n, m.anchor - (%(per)s - g.n) * 60,"
        " CASE WHEN g.n = 1 THEN d.id END,"
        " CASE WHEN m.active AND g.n = %(per)s THEN NULL ELSE m.anchor - (%(per)s - g.n) * 60 - 2"
        " END, 'Familien, sagsbehandler', CASE WHEN m.active AND g.n = %(per)s THEN ''"
        " ELSE 'continue' END, '', '', NULL, NULL, %(t0)s "
        "FROM bench_m m CROSS JOIN generate_series(1, %(per)s) g(n) "
        "LEFT JOIN cases_deadline d ON d.measure_id = m.measure_id"
        " AND d.rule_id = %(r_first_followup)s",
        {**p, "per": per},
    )
    # The first follow-up's deadline: met when it was held, due when it is.
    _execute(
        "UPDATE cases_deadline d SET due_at = f.due_on + interval '23 hours 59 minutes',"
        " met_at = f.held_on + interval '12 hours', met_by_event = 'Opfølgning gennemført' "
        "FROM followups_followup f WHERE f.deadline_id = d.id AND d.rule_id = %(r_first_followup)s"
        " AND d.case_id IN (SELECT id FROM bench_c)",
        p,
    )


def _sessions(scale: int, n_measures: int, p: dict[str, Any], log: Any) -> None:
    target = scale * SESSIONS_PER_CASE
    per_s, extra = divmod(target, max(1, n_measures))
    _timed(
        "sessions",
        log,
        "INSERT INTO followups_session (case_id, measure_id, therapist_id, status, date,"
        " start_time, duration_minutes, location, location_other, network_participants,"
        " methods, internal_note, family_summary, created_at, updated_at, logged_at) "
        "SELECT m.case_id, m.measure_id, m.therapist_id, 'logged',"
        " m.anchor - (g.n * 9), time '10:00', 90, 'home', '', '',"
        " '[\"family_conversation\", \"structure\"]', 'Intern note.',"
        " 'Vi talte om morgenerne.', %(t0)s, %(t0)s, %(t0)s "
        "FROM bench_m m CROSS JOIN LATERAL generate_series(1, %(per)s"
        " + CASE WHEN m.rn <= %(extra)s THEN 1 ELSE 0 END) g(n)",
        {**p, "per": per_s, "extra": extra},
    )


def _rest(scale: int, p: dict[str, Any], log: Any) -> None:
    _timed(
        "journal notes",
        log,
        "INSERT INTO cases_journalnote (case_id, author_id, created_at, text) "
        "SELECT c.id, c.owner_id, c.opened_at + g.n * interval '11 days',"
        " 'Samtale med familien. ' || g.n"
        " FROM bench_c c CROSS JOIN generate_series(1, %(notes)s) g(n)",
        p,
    )
    # Old reminders, read and mailed, for held follow-ups (what earlier sweeps left behind).
    _timed(
        "reminders",
        log,
        "INSERT INTO followups_reminder (recipient_id, case_id, item, level, title, due_at,"
        " created_at, read_at, emailed_at) "
        "SELECT c.owner_id, f.case_id, 'followup:' || f.id, lv.level, f.number || '. opfølgning',"
        " f.due_on, f.due_on - 7, f.due_on, f.due_on - 7 "
        "FROM (SELECT * FROM followups_followup WHERE held_on IS NOT NULL"
        " AND case_id IN (SELECT id FROM bench_c) ORDER BY id LIMIT %(n)s) f"
        " JOIN bench_c c ON c.id = f.case_id"
        " CROSS JOIN (VALUES ('coming_due'), ('due')) lv(level)",
        {"n": scale * REMINDERS_PER_CASE // 2},
    )


def _birthday_deadlines(t0: dt.datetime, log: Any) -> None:
    """What ``cases.deadlines.deadlines_schedule_birthdays`` schedules, in one INSERT per
    rule: the ungeplan (16) and after-18 deadlines due within its horizon, for open cases of
    children under 18 (the ungeplan not where the plan already is one). The test runs the
    service afterwards and checks it finds nothing left to schedule. Those already inside the
    sweep's window count as met, so the sweep's due items stay as planned."""
    from cases.deadlines import BIRTHDAY_HORIZON

    today = timezone.localtime(t0).date()
    for code, age in (("ungeplan", 16), ("after_18", 18)):
        _timed(
            f"deadlines ({code})",
            log,
            "INSERT INTO cases_deadline (case_id, rule_id, due_at, met_at, met_by_event,"
            " handled_otherwise_reason, created_at) "
            "SELECT x.id, x.rule_id, x.due_at, CASE WHEN x.due_at <= %(met_before)s THEN"
            " %(t0)s END, CASE WHEN x.due_at <= %(met_before)s THEN 'bench' ELSE '' END, '',"
            " %(t0)s FROM (SELECT c.id, r.id AS rule_id, ((ci.birth_date + make_interval("
            " years => %(age)s, months => r.\"offset\"))::date + time '23:59:59')"
            " AT TIME ZONE %(tz)s AS due_at"
            " FROM cases_case c JOIN cases_citizen ci ON ci.id = c.citizen_id"
            " JOIN cases_deadlinerule r ON r.code = %(code)s AND r.active"
            " LEFT JOIN plans_plan pl ON pl.case_id = c.id"
            " WHERE c.status <> 'closed' AND ci.birth_date > %(today)s - make_interval("
            " years => 18) AND (%(code)s <> 'ungeplan' OR pl.kind IS DISTINCT FROM 'youth_plan')"
            ") x WHERE (x.due_at AT TIME ZONE %(tz)s)::date <= %(horizon)s",
            {
                "code": code,
                "age": age,
                "t0": t0,
                "today": today,
                "tz": settings.TIME_ZONE,
                "horizon": today + BIRTHDAY_HORIZON,
                "met_before": t0 + DUE_WINDOW_END + dt.timedelta(days=1),
            },
        )


def _access_log(scale: int, t0: dt.datetime, log: Any) -> None:
    table = "access_accesslogentry"
    with _indexes_rebuilt(table, log):
        _timed(
            "access_log",
            log,
            f"INSERT INTO {table} (at, user_id, username, case_id, citizen_id, action,"  # noqa: S608
            " target, reason) "
            "SELECT %(t0)s - g.n * interval '17 seconds', c.owner_id, c.username, c.id,"
            " c.citizen_id, 'view', '/sager/' || c.id || '/', '' "
            "FROM generate_series(1, %(n)s) g(n) "
            "JOIN bench_c c ON c.rn = 1 + (g.n * 7919::bigint) %% %(cases)s",
            {"t0": t0, "n": scale * ACCESS_LOG_PER_CASE, "cases": scale},
        )


def _letter_fixture(t0: dt.datetime, log: Any) -> None:
    """One closing letter of three pages, with a network map and a scaling chart (for the
    rendering figure): the first case in the closing status, through the ORM."""
    from cases.models import Case, Measure
    from letters.models import ClosingLetter, ClosingLetterVersion, LetterSection
    from network.models import NetworkMember
    from plans.models import Plan, Rating, RatingRound

    case = Case.objects.filter(status="closing").order_by("number").first()
    if case is None:
        return
    measure = Measure.objects.filter(case=case).order_by("id").first()
    assert measure is not None
    therapist = measure.therapists.first() or case.owner
    paragraphs = "\n\n".join([LOREM * 2] * 2)
    sections = {value: paragraphs for value, _label in LetterSection.choices}
    sections[LetterSection.THEMES] = "\n".join(f"- Tema {i}: {LOREM}" for i in range(1, 4))
    letter = ClosingLetter.objects.create(
        measure=measure, case=case, author=therapist, status=ClosingLetter.Status.APPROVED
    )
    ClosingLetterVersion.objects.create(
        letter=letter, number=1, sections=sections, created_by=therapist, sent_for_review_at=t0
    )
    sectors = ["family", "relatives", "friends", "school", "professionals"]
    NetworkMember.objects.bulk_create(
        [
            NetworkMember(
                case=case, name=f"{FIRST_NAMES[i]} {LAST_NAMES[i]}", relation="Netværk",
                sector=sectors[i % 5], circle=1 + i % 3, created_by=case.owner,
            )
            for i in range(12)
        ]
    )  # fmt: skip
    plan = Plan.objects.get(case=case)
    for r in range(5):
        rnd_round = RatingRound.objects.create(
            plan=plan, held_on=(t0 - dt.timedelta(days=300 - 60 * r)).date(), recorded_by=case.owner
        )
        Rating.objects.bulk_create(
            [
                Rating(round=rnd_round, rater_kind=kind, rater_name=name, value=min(10, 2 + r + i))
                for i, (kind, name) in enumerate(
                    [("child", "Barnet"), ("parent", "Mor"), ("caseworker", "Sagsbehandler")]
                )
            ]
        )
    log(f"  letter fixture: case {case.number}, version of letter {letter.pk}")


def letter_version_id() -> int | None:
    from letters.models import ClosingLetterVersion

    version = (
        ClosingLetterVersion.objects.filter(letter__case__team__unit__name=AUTHORITY_UNIT)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    return version
