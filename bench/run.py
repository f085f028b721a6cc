"""``make bench``: the municipal-scale benchmark, in one run.

1. The database (``BENCH_DATABASE_URL``, default ``familievaerft_bench`` on the local Postgres)
   is reused when it was generated completely at the same ``BENCH_SCALE`` (default 100,000
   cases); otherwise (or with ``BENCH_REGENERATE=1``) it is dropped, created, migrated and
   filled by ``bench.generate``.
2. The app is served by gunicorn exactly as in production (``deploy/gunicorn_conf.py``,
   ``APP_ENV=production``, DEBUG off, collected static files), with the benchmark's settings
   on top (``bench.settings``: the floor views and a query counter).
3. It measures, side by side and interleaved in rounds, "Mine sager" and the case page of a
   caseworker with 30–60 open cases against their floors at 8 concurrent clients, then again
   at 64 (more clients than workers: most wait in gunicorn's queue); the reminder sweep with
   a tenth of the cases' items due, at two sizes, and repeated; a closing letter's rendering
   and a render process's memory; and the access-log write.

Each figure is printed on its own line; the last line is ``bench: key=value …``.
"""

import concurrent.futures
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import environ
import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
WORK_DIR = Path(tempfile.gettempdir()) / "familievaerft-bench"

SCALE = int(os.environ.get("BENCH_SCALE", "100000"))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/familievaerft_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))  # per page, over all rounds
# The same pages and floors again under a crowd, with the same ratio target: the keys of its
# figures carry the number of clients (mine64_ratio, ...).
HIGH_CLIENTS = int(os.environ.get("BENCH_HIGH_CLIENTS", "64"))
HIGH_REQUESTS = int(os.environ.get("BENCH_HIGH_REQUESTS", "1600"))  # per page, over all rounds
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))
LETTERS = int(os.environ.get("BENCH_LETTERS", "50"))
LOG_WRITES = int(os.environ.get("BENCH_LOG_WRITES", "1000"))
SWEEP_SHIFT_DAYS = 18.5  # sweeping "as of" T0 minus this finds about half the due items

TARGETS = {
    "ratio": 3.5,  # page p95 / floor p95, at CLIENTS and at HIGH_CLIENTS
    "sweep_s": 5.0,
    "sweep_repeat_s": 1.0,
    "letter_s": 1.5,
    # MB per render: the slope of the render process's C heap in use over the second half of
    # the renders (bench.letters.heap_mb). Flat is ~0.003; the FontConfiguration leak found
    # here is 0.22.
    "heap_slope_mb": 0.02,
}


def say(line: str) -> None:
    print(line, flush=True)


def configure_environment() -> None:
    """The production-shaped environment, for this process and for gunicorn."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "APP_ENV": "production",
            "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "STATIC_ROOT": str(WORK_DIR / "static"),
            "MEDIA_ROOT": str(WORK_DIR / "media"),
            "LOG_LEVEL": "WARNING",
            "TWO_FACTOR_REQUIRED": "false",
        }
    )
    os.environ.pop("DJANGO_DEBUG", None)
    sys.path.insert(0, str(ROOT))


# --- the database ----------------------------------------------------------------------------


def _maintenance_connection() -> psycopg.Connection:
    cfg = environ.Env.db_url_config(DATABASE_URL)
    return psycopg.connect(
        host=cfg.get("HOST") or "127.0.0.1",
        port=int(cfg.get("PORT") or 5432),
        user=cfg.get("USER") or "postgres",
        password=cfg.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def _existing_generation() -> dict[str, str]:
    from django.db import OperationalError, connection

    from bench.generate import meta_get

    try:
        return meta_get()
    except OperationalError:
        return {}
    finally:
        connection.close()


def ensure_database() -> tuple[bool, float]:
    """Reuse or (re)generate the benchmark database; returns (reused, generation seconds)."""
    import django

    django.setup()
    name = environ.Env.db_url_config(DATABASE_URL)["NAME"]
    with _maintenance_connection() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    meta = _existing_generation() if exists else {}
    if (
        meta.get("complete") == "1"
        and meta.get("scale") == str(SCALE)
        and os.environ.get("BENCH_REGENERATE") != "1"
    ):
        say(
            f"database: reusing {name}, generated at BENCH_SCALE={SCALE} "
            f"in {meta.get('generated_seconds')} s (BENCH_REGENERATE=1 makes it anew)"
        )
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the app's newer migrations (indexes), if any
        return True, float(meta.get("generated_seconds", "nan"))
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    with _maintenance_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    say(f"database: created {name}; migrating and generating BENCH_SCALE={SCALE}")
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    from bench.generate import generate

    counts = generate(SCALE, log=say)
    seconds = time.monotonic() - started
    say(f"generate: {seconds:.1f} s (migrate included): {counts}")
    connection.close()
    return False, seconds


# --- gunicorn --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    log = (WORK_DIR / "gunicorn.log").open("w")
    process = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [
            str(VENV_BIN / "gunicorn"),
            "-c",
            str(ROOT / "deploy" / "gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "familievaerft.wsgi:application",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {WORK_DIR / 'gunicorn.log'}")
        try:
            if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                return process, base
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop_gunicorn(process)
    raise SystemExit("gunicorn did not answer /healthz within 90 s")


def stop_gunicorn(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


# --- the load --------------------------------------------------------------------------------


def session_cookie(user: Any) -> str:
    """A logged-in session for ``user``, made as a login makes it (signals included)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


_local = threading.local()


def _get(url: str, cookie: str) -> tuple[float, int, int]:
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    started = time.perf_counter()
    response = session.get(
        url,
        headers={"Cookie": cookie, "X-Forwarded-Proto": "https"},
        allow_redirects=False,
        timeout=60,
    )
    elapsed = time.perf_counter() - started
    return elapsed, response.status_code, int(response.headers.get("X-Bench-Queries", "-1"))


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def load(
    pages: dict[str, Callable[[int], str]], cookie: str, clients: int, total: int
) -> dict[str, dict[str, Any]]:
    """Every page ``total`` times at ``clients`` concurrent clients, in ``ROUNDS`` rounds
    that alternate the pages (so a neighbour's load on the machine hits them alike)."""
    results: dict[str, dict[str, Any]] = {k: {"times": [], "queries": set()} for k in pages}
    per_round = max(1, total // ROUNDS)
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        for _round in range(ROUNDS):
            for key, url_of in pages.items():
                urls = [url_of(i) for i in range(per_round)]
                for elapsed, status, queries in pool.map(lambda u: _get(u, cookie), urls):
                    if status != 200:
                        raise SystemExit(f"{key}: HTTP {status}")
                    results[key]["times"].append(elapsed)
                    results[key]["queries"].add(queries)
    for r in results.values():
        r["p50_ms"] = percentile(r["times"], 50) * 1000
        r["p95_ms"] = percentile(r["times"], 95) * 1000
    return results


# --- the in-process measurements -------------------------------------------------------------


def _sweep_cleanup(first_new_id: int) -> None:
    """Remove what a measured sweep created (reminders only: the birthday deadlines were
    scheduled by the generator), so the next run finds the database as generated."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM followups_reminder WHERE id >= %s", [first_new_id])
        cursor.execute("VACUUM ANALYZE followups_reminder")


def sweep_figures(t0: Any) -> dict[str, float]:
    """The sweep as of T0 and as of T0 minus SWEEP_SHIFT_DAYS (about half as many items due),
    each followed by the same sweep again. The sweeps run as in production (autocommit, each
    delivery batch its own transaction); what they created is deleted afterwards."""
    import datetime as dt

    from django.db.models import Max

    from followups import reminders
    from followups.models import Reminder

    figures: dict[str, float] = {}
    for key, now in (("half", t0 - dt.timedelta(days=SWEEP_SHIFT_DAYS)), ("full", t0)):
        items = sum(1 for source in reminders.ITEM_SOURCES for _item in source(now))
        first_new_id = (Reminder.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        try:
            started = time.perf_counter()
            created = reminders.raise_reminders(now)
            raised_s = time.perf_counter() - started
            emailed = reminders.deliver_reminders()
            first_s = time.perf_counter() - started
            started = time.perf_counter()
            again = reminders.sweep(now)
            again_s = time.perf_counter() - started
        finally:
            _sweep_cleanup(first_new_id)
        figures[f"{key}_items"] = items
        figures[f"{key}_s"] = first_s
        figures[f"{key}_raise_s"] = raised_s
        figures[f"{key}_created"] = created
        figures[f"{key}_emailed"] = emailed
        figures[f"{key}_repeat_s"] = again_s
        figures[f"{key}_repeat_created"] = again.created
    return figures


def access_log_cost(user: Any, case: Any) -> dict[str, float]:
    """``access_log_record`` as a request calls it: one INSERT, committed on its own."""
    from access.log import Action, access_log_record

    times = []
    for _ in range(LOG_WRITES):
        started = time.perf_counter()
        access_log_record(user=user, action=Action.VIEW, case=case, target="/bench/")
        times.append(time.perf_counter() - started)
    return {"p50_ms": percentile(times, 50) * 1000, "p95_ms": percentile(times, 95) * 1000}


def letter_figures() -> dict[str, Any]:
    output = subprocess.run(  # noqa: S603 (our own module)
        [sys.executable, "-m", "bench.letters", str(LETTERS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def bench_users() -> tuple[Any, int, Any, list[str]]:
    """The caseworker the pages are measured for, its number of open cases, its team lead and
    its open cases' ids: the caseworker nearest 45 open cases (a realistic caseload, 30–60)."""
    from django.db import connection

    from accounts.models import TeamMembership, User
    from cases.models import Case

    # A caseworker with a realistic caseload: the one nearest 45 open cases (30–60).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT owner_id, count(*) FROM cases_case c JOIN accounts_user u"
            " ON u.id = c.owner_id WHERE c.status <> 'closed' AND u.role = 'caseworker'"
            " AND u.username LIKE 'bench-%%' GROUP BY owner_id"
            " ORDER BY abs(count(*) - 45), owner_id LIMIT 1"
        )
        owner_id, caseload = cursor.fetchone()
    caseworker = User.objects.get(pk=owner_id)
    lead = User.objects.get(
        memberships__is_lead=True,
        memberships__team__in=TeamMembership.objects.filter(user=caseworker).values("team"),
    )
    case_ids = [
        str(pk)
        for pk in Case.objects.filter(owner=caseworker)
        .exclude(status="closed")
        .order_by("number")
        .values_list("pk", flat=True)
    ]
    return caseworker, caseload, lead, case_ids


# --- main ------------------------------------------------------------------------------------


def main() -> None:
    started = time.monotonic()
    configure_environment()
    reused, generate_s = ensure_database()

    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    from bench.generate import count_rows, reference_time
    from cases.models import Case

    say(f"rows: {count_rows()}")
    call_command("collectstatic", interactive=False, verbosity=0)

    caseworker, caseload, lead, case_ids = bench_users()
    say(f"caseworker: {caseworker.username} with {caseload} open cases; team lead {lead.username}")
    cookie, lead_cookie = session_cookie(caseworker), session_cookie(lead)

    gunicorn, base = start_gunicorn()
    try:
        # Warm up every worker, and read the query counts of every one of the cases.
        for _i in range(3 * CLIENTS):
            for path in ("/sager/", "/bench/floor/sager/"):
                _get(base + path, cookie)
        case_queries = {_get(f"{base}/sager/{pk}/", cookie)[2] for pk in case_ids}
        floor_case_queries = {_get(f"{base}/bench/floor/sager/{pk}/", cookie)[2] for pk in case_ids}
        lead_list = _get(f"{base}/sager/", lead_cookie)
        if lead_list[1] != 200:
            raise SystemExit(f"team lead's Mine sager: HTTP {lead_list[1]}")
        pages: dict[str, Callable[[int], str]] = {
            "mine": lambda i: f"{base}/sager/",
            "mine_floor": lambda i: f"{base}/bench/floor/sager/",
            "case": lambda i: f"{base}/sager/{case_ids[i % len(case_ids)]}/",
            "case_floor": lambda i: f"{base}/bench/floor/sager/{case_ids[i % len(case_ids)]}/",
        }
        results = load(pages, cookie, CLIENTS, REQUESTS)
        crowd = load(pages, cookie, HIGH_CLIENTS, HIGH_REQUESTS)
    finally:
        stop_gunicorn(gunicorn)

    mine, mine_floor = results["mine"], results["mine_floor"]
    case, case_floor = results["case"], results["case_floor"]
    mine_ratio = mine["p95_ms"] / mine_floor["p95_ms"]
    case_ratio = case["p95_ms"] / case_floor["p95_ms"]
    n = len(mine["times"])
    say(
        f"mine_sager: queries={sorted(mine['queries'])} (+1 when the session's last-seen time "
        f"is written, once a minute; team lead with ten times the cases: "
        f"{lead_list[2]}) p50={mine['p50_ms']:.1f} ms p95={mine['p95_ms']:.1f} ms "
        f"over {n} requests at {CLIENTS} clients"
    )
    say(
        f"mine_sager_floor: queries={sorted(mine_floor['queries'])} "
        f"p50={mine_floor['p50_ms']:.1f} ms p95={mine_floor['p95_ms']:.1f} ms; "
        f"ratio p95 page/floor={mine_ratio:.2f} (target <= {TARGETS['ratio']})"
    )
    say(
        f"case_page: queries={sorted(case_queries)} over all {len(case_ids)} cases "
        f"p50={case['p50_ms']:.1f} ms p95={case['p95_ms']:.1f} ms"
    )
    say(
        f"case_page_floor: queries={sorted(floor_case_queries)} "
        f"p50={case_floor['p50_ms']:.1f} ms p95={case_floor['p95_ms']:.1f} ms; "
        f"ratio p95 page/floor={case_ratio:.2f} (target <= {TARGETS['ratio']})"
    )
    # The crowd's figures, keyed mine64_p95_ms, mine64_floor_p95_ms, mine64_ratio, case64_...
    crowd_ratios: dict[str, float] = {}
    crowd_figures: dict[str, str] = {}
    for page, label in (("mine", "mine_sager"), ("case", "case_page")):
        at, floor_at = crowd[page], crowd[f"{page}_floor"]
        ratio = at["p95_ms"] / floor_at["p95_ms"]
        key = f"{page}{HIGH_CLIENTS}"
        crowd_ratios[f"{key}_ratio"] = ratio
        crowd_figures[f"{key}_p95_ms"] = f"{at['p95_ms']:.0f}"
        crowd_figures[f"{key}_floor_p95_ms"] = f"{floor_at['p95_ms']:.0f}"
        crowd_figures[f"{key}_ratio"] = f"{ratio:.2f}"
        say(
            f"{label}_{HIGH_CLIENTS}: p50={at['p50_ms']:.1f} ms p95={at['p95_ms']:.1f} ms, floor "
            f"p50={floor_at['p50_ms']:.1f} ms p95={floor_at['p95_ms']:.1f} ms; ratio p95 "
            f"page/floor={ratio:.2f} (target <= {TARGETS['ratio']}) over "
            f"{len(at['times'])} requests at {HIGH_CLIENTS} clients"
        )

    t0 = reference_time()
    sweep = sweep_figures(t0)
    for key in ("half", "full"):
        say(
            f"sweep: {sweep[f'{key}_items']} items due -> {sweep[f'{key}_s']:.2f} s, of which "
            f"raising {sweep[f'{key}_created']} reminders {sweep[f'{key}_raise_s']:.2f} s and "
            f"mailing them {sweep[f'{key}_s'] - sweep[f'{key}_raise_s']:.2f} s "
            f"(target < {TARGETS['sweep_s']} s, growing with the due items)"
        )
    say(
        f"sweep_repeat: {sweep['full_repeat_s']:.2f} s, created "
        f"{sweep['full_repeat_created']} (target < {TARGETS['sweep_repeat_s']} s, 0 created)"
    )

    log_cost = access_log_cost(caseworker, Case.objects.get(pk=case_ids[0]))
    say(
        f"access_log_write: p50={log_cost['p50_ms']:.2f} ms p95={log_cost['p95_ms']:.2f} ms "
        f"per request ({LOG_WRITES} committed INSERTs into a table of {SCALE * 50} rows)"
    )
    connection.close()

    letter = letter_figures()
    half = letter["renders"] // 2
    slope = letter["slope_mb_per_render"]
    say(
        f"letter: {letter['pages']} pages with map and chart={letter['figures']}, median "
        f"{letter['median_s']:.2f} s over {letter['renders']} renders (target < "
        f"{TARGETS['letter_s']} s); RSS after 10: {letter['rss_10_mb']:.1f} MB, after "
        f"{half}: {letter['rss_half_mb']:.1f} MB, after {letter['renders']}: "
        f"{letter['rss_last_mb']:.1f} MB (every 10: {letter['rss_every_10_mb']}); "
        f"{letter['slope_of']} growth over renders {half}-{letter['renders']}: "
        f"{slope:.4f} MB per render (target <= {TARGETS['heap_slope_mb']})"
    )

    missed = []
    if mine_ratio > TARGETS["ratio"]:
        missed.append("mine_ratio")
    if case_ratio > TARGETS["ratio"]:
        missed.append("case_ratio")
    missed.extend(key for key, ratio in crowd_ratios.items() if ratio > TARGETS["ratio"])
    if min(mine["queries"]) != lead_list[2]:
        missed.append("mine_queries_constant")
    if sweep["full_s"] >= TARGETS["sweep_s"]:
        missed.append("sweep")
    if sweep["full_repeat_s"] >= TARGETS["sweep_repeat_s"] or sweep["full_repeat_created"]:
        missed.append("sweep_repeat")
    if letter["median_s"] >= TARGETS["letter_s"]:
        missed.append("letter")
    if slope > TARGETS["heap_slope_mb"]:
        missed.append("letter_memory")
    figures = {
        "scale": SCALE,
        "generate_s": f"{generate_s:.0f}",
        "db": "reused" if reused else "generated",
        "caseload": caseload,
        "mine_queries": min(mine["queries"]),
        "mine_lead_queries": lead_list[2],
        "mine_p50_ms": f"{mine['p50_ms']:.0f}",
        "mine_p95_ms": f"{mine['p95_ms']:.0f}",
        "mine_floor_p95_ms": f"{mine_floor['p95_ms']:.0f}",
        "mine_ratio": f"{mine_ratio:.2f}",
        "case_queries": "/".join(str(q) for q in sorted(case_queries)),
        "case_p50_ms": f"{case['p50_ms']:.0f}",
        "case_p95_ms": f"{case['p95_ms']:.0f}",
        "case_floor_p95_ms": f"{case_floor['p95_ms']:.0f}",
        "case_ratio": f"{case_ratio:.2f}",
        **crowd_figures,
        "sweep_items": sweep["full_items"],
        "sweep_s": f"{sweep['full_s']:.2f}",
        "sweep_half_items": sweep["half_items"],
        "sweep_half_s": f"{sweep['half_s']:.2f}",
        "sweep_raise_s": f"{sweep['full_raise_s']:.2f}",
        "sweep_repeat_s": f"{sweep['full_repeat_s']:.2f}",
        "sweep_repeat_created": sweep["full_repeat_created"],
        "letter_pages": letter["pages"],
        "letter_median_s": f"{letter['median_s']:.2f}",
        "letter_rss_10_mb": f"{letter['rss_10_mb']:.0f}",
        f"letter_rss_{letter['renders']}_mb": f"{letter['rss_last_mb']:.0f}",
        "letter_heap_slope_mb": f"{slope:.4f}",
        "access_log_ms": f"{log_cost['p50_ms']:.2f}",
        "total_s": f"{time.monotonic() - started:.0f}",
        "targets": "met" if not missed else "missed:" + ",".join(missed),
    }
    say("bench: " + " ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
