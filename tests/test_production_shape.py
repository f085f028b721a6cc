"""docker-compose.yml, the Dockerfile, deploy/ and README kept in step with what is tested here.

There is no Docker engine on the development machines or in CI. So these tests read the compose
file and run its commands the way the containers would, against this machine's PostgreSQL and
Redis: the one-shot ``migrate`` service (migrations as the tables' owner, then ``grant_app_role``),
the ``web`` command (gunicorn with the production settings of deploy/env.example and collected
static files) as the restricted app role, with its health check, the ``worker`` with its health
check, and ``beat``; and the db service's init script, which makes the two database roles.
"""

# The commands run here are this repository's own, read from docker-compose.yml.
# ruff: noqa: S603, S607

import contextlib
import functools
import gzip
import http.client
import importlib
import json
import os
import re
import runpy
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import environ
import psycopg
import pytest
import redis
import yaml
from celery.app.utils import find_app
from django.conf import settings
from django.db import connection
from django.urls import resolve
from packaging.specifiers import SpecifierSet
from psycopg import sql

import familievaerft
from core import health
from tests.db_roles import database_url as role_database_url
from tests.db_roles import restricted_role

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv's console scripts: gunicorn, celery
APP_SERVICES = ("migrate", "web", "worker", "beat")  # the services that run the image
RUNTIME_SERVICES = ("web", "worker", "beat")  # those that run as the restricted app role
INIT_DIRECTORY = "/docker-entrypoint-initdb.d"  # the postgres image runs the scripts found here
LOG_TABLE = "access_accesslogentry"
STARTUP_TIMEOUT = 30  # seconds for a server to come up; every wait below is bounded
# What a TLS-terminating reverse proxy in front of web sends along.
PROXIED = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
# The servers started here use pytest's test database (created only for tests marked so); this
# process leaves it alone, so its own wrapping transaction stays empty.
NEEDS_TEST_DATABASE = pytest.mark.django_db


# --- reading the files -------------------------------------------------------------------------


@functools.cache
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def service(name: str) -> dict[str, Any]:
    return compose()["services"][name]


def steps(name: str) -> list[list[str]]:
    """A service's command as argument lists: ``sh -c "a && exec b"`` gives [a, b]."""
    command = service(name)["command"]
    args = shlex.split(command) if isinstance(command, str) else [str(a) for a in command]
    if args[:2] != ["sh", "-c"]:
        return [args]
    parts = [shlex.split(part) for part in args[2].split("&&")]
    return [part[1:] if part[0] == "exec" else part for part in parts]


@functools.cache
def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / "deploy" / "env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, sep, value = line.partition("=")
            assert sep and name == name.strip(), f"not NAME=value: {line!r}"
            values[name] = value
    return values


def readme_table(heading: str) -> set[str]:
    """The variable names in the first column of the README table under ``### heading``."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split(f"\n### {heading}\n", 1)[1].split("\n#", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, flags=re.MULTILINE))


def settings_reads() -> set[str]:
    source = (ROOT / "familievaerft" / "settings.py").read_text()
    return set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", source))


def deploy_reads() -> set[str]:
    """Variables read by our own deployment scripts (gunicorn settings, health check)."""
    names: set[str] = set()
    for script in (ROOT / "deploy").glob("*.py"):
        names |= set(
            re.findall(r"os\.environ(?:\.get\(|\[)\s*\"([A-Z][A-Z0-9_]*)\"", script.read_text())
        )
    return names


def compose_interpolations() -> set[str]:
    return set(
        re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", (ROOT / "docker-compose.yml").read_text())
    )


def interpolate(value: str, variables: dict[str, str]) -> str:
    return re.sub(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)[^}]*\}", lambda m: variables[m[1]], value)


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = "\n".join(lines).replace("\\\n", " ")
    return [
        (keyword.upper(), " ".join(rest.split()))
        for keyword, _, rest in (line.strip().partition(" ") for line in joined.splitlines())
        if keyword
    ]


def dockerignored(path: str) -> bool:
    """.dockerignore's verdict on ``path`` (last matching pattern wins, ``!`` re-includes)."""
    ignored = False
    for raw in (ROOT / ".dockerignore").read_text().splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch(prefix, pattern) for prefix in prefixes):
            ignored = not negate
    return ignored


def gunicorn_port() -> int:
    (bind,) = runpy.run_path(str(ROOT / "deploy" / "gunicorn_conf.py"))["bind"]
    return int(bind.rsplit(":", 1)[1])


# --- the compose file itself -------------------------------------------------------------------


def test_compose_has_six_services_wired_by_health_and_migrations():
    services = compose()["services"]
    assert set(services) == {"migrate", "web", "worker", "beat", "db", "redis"}
    for name, spec in services.items():
        for dependency, condition in spec.get("depends_on", {}).items():
            if dependency == "migrate":
                assert condition == {"condition": "service_completed_successfully"}, name
            else:
                assert condition == {"condition": "service_healthy"}, (name, dependency)
                assert "healthcheck" in services[dependency], f"{name} waits for {dependency}"
    # Migrations run in the one-shot migrate service only, once the database answers, and
    # nothing that uses the database starts before they are done.
    assert service("migrate")["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert service("migrate")["restart"] == "no"  # a one-shot: not restarted once done
    assert "healthcheck" not in service("migrate") and "ports" not in service("migrate")
    for name in RUNTIME_SERVICES:
        assert "migrate" in service(name)["depends_on"], name
        assert "migrate" not in json.dumps(service(name)["command"]), name
    assert set(service("web")["depends_on"]) == {"db", "redis", "migrate"}
    for name in APP_SERVICES:
        assert service(name)["build"] == ".", name
        assert service(name)["image"] == service("web")["image"], name
        assert service(name)["env_file"] == ".env", name
        assert service(name)["environment"]["APP_ENV"] == "production", name


def test_compose_commands_start_code_that_exists():
    migrate, grant = steps("migrate")
    assert migrate == ["python", "manage.py", "migrate", "--noinput"]
    assert grant[:3] == ["python", "manage.py", "grant_app_role"] and len(grant) == 4
    assert (ROOT / "manage.py").is_file()
    assert (ROOT / "access" / "management" / "commands" / "grant_app_role.py").is_file()
    (serve,) = steps("web")
    # web runs the image's own command.
    (cmd,) = [arg for keyword, arg in dockerfile_instructions() if keyword == "CMD"]
    assert serve == json.loads(cmd)
    assert serve[0] == "gunicorn"
    module, _, attribute = serve[1].partition(":")
    assert callable(getattr(importlib.import_module(module), attribute))
    assert (ROOT / serve[serve.index("--config") + 1]).is_file()

    for name in ("worker", "beat"):
        (args,) = steps(name)
        assert args[0] == "celery" and name in args, args
        assert find_app(args[args.index("-A") + 1]) is familievaerft.celery_app

    assert "inspect ping" in service("worker")["healthcheck"]["test"][1]


def test_web_health_check_and_ports_agree():
    check = service("web")["healthcheck"]["test"]
    assert check[:3] == ["CMD", "python", "deploy/healthcheck.py"]
    url = urlsplit(check[3])
    assert resolve(url.path).func is health.healthz
    exposed = [int(arg) for keyword, arg in dockerfile_instructions() if keyword == "EXPOSE"]
    published = [int(str(port).rsplit(":", 1)[1]) for port in service("web")["ports"]]
    assert {url.port, gunicorn_port(), *exposed, *published} == {8000}
    # Published on loopback only: plain http must not face the network.
    assert all(str(port).startswith("127.0.0.1:") for port in service("web")["ports"])
    # Docker waits longer than gunicorn lets requests in flight finish.
    graceful = runpy.run_path(str(ROOT / "deploy" / "gunicorn_conf.py"))["graceful_timeout"]
    assert int(service("web")["stop_grace_period"].removesuffix("s")) > graceful


def test_compose_urls_point_at_its_own_services():
    variables = {name: name.lower() for name in compose_interpolations()}  # each its own value
    environment = service("web")["environment"]
    database = environ.Env.db_url_config(interpolate(environment["DATABASE_URL"], variables))
    db_env = {
        key: interpolate(str(value), variables)
        for key, value in service("db")["environment"].items()
    }
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"]) == ("db", 5432)
    assert database["NAME"] == db_env["POSTGRES_DB"]
    assert urlsplit(environment["REDIS_URL"]).hostname == "redis"
    mounts = {volume.split(":")[1] for volume in service("web")["volumes"]}
    assert environment["MEDIA_ROOT"] in mounts


def database_urls(name: str) -> dict[str, dict[str, Any]]:
    """A service's DATABASE_URL and MIGRATE_DATABASE_URL, parsed (interpolated with each
    variable's own name); an empty URL is left out."""
    variables = {name: name.lower() for name in compose_interpolations()}
    environment = service(name)["environment"]
    return {
        key: environ.Env.db_url_config(interpolate(environment[key], variables))
        for key in ("DATABASE_URL", "MIGRATE_DATABASE_URL")
        if environment.get(key)
    }


def test_migrations_run_as_the_owner_and_the_app_as_the_restricted_role():
    variables = {name: name.lower() for name in compose_interpolations()}
    db_env = {
        key: interpolate(str(value), variables)
        for key, value in service("db")["environment"].items()
    }
    owner = (db_env["DB_OWNER_ROLE"], db_env["DB_OWNER_PASSWORD"])
    app = (db_env["DB_APP_ROLE"], db_env["DB_APP_PASSWORD"])
    superuser = (db_env["POSTGRES_USER"], db_env["POSTGRES_PASSWORD"])
    # Three roles, three passwords from three variables of .env.
    assert len({owner[0], app[0], superuser[0]}) == 3
    assert len({owner[1], app[1], superuser[1]}) == 3
    assert {owner[1], app[1], superuser[1]} <= set(variables.values())

    # web, worker and beat connect as the app's role and cannot pick up the owner's URL (nor its
    # _FILE variant) from .env: compose sets both empty for them.
    for name in RUNTIME_SERVICES:
        urls = database_urls(name)
        assert set(urls) == {"DATABASE_URL"}, name
        assert (urls["DATABASE_URL"]["USER"], urls["DATABASE_URL"]["PASSWORD"]) == app, name
        assert service(name)["environment"]["MIGRATE_DATABASE_URL_FILE"] == "", name
    # migrate connects as the owner, and gives the app's role its privileges.
    urls = database_urls("migrate")
    assert (urls["MIGRATE_DATABASE_URL"]["USER"], urls["MIGRATE_DATABASE_URL"]["PASSWORD"]) == owner
    assert steps("migrate")[1][-1] == app[0]
    for url in (*urls.values(), *database_urls("web").values()):
        assert (url["HOST"], url["PORT"], url["NAME"]) == ("db", 5432, db_env["POSTGRES_DB"])
    assert "MIGRATE_DATABASE_URL" not in env_example()

    # The db service makes those roles with the database: its init script is mounted where the
    # postgres image runs it, and reads the names and passwords given above.
    (init,) = [v.split(":") for v in service("db")["volumes"] if v.split(":")[1] == INIT_DIRECTORY]
    source, _, mode = init
    assert mode == "ro"
    scripts = sorted((ROOT / source).glob("*.sh"))
    assert scripts and all(os.access(script, os.X_OK) for script in scripts)
    text = "".join(script.read_text() for script in scripts)
    for variable in ("DB_OWNER_ROLE", "DB_OWNER_PASSWORD", "DB_APP_ROLE", "DB_APP_PASSWORD"):
        assert "${" + variable in text, variable
    # The health check asks over TCP: not healthy while the init scripts still run.
    assert "-h 127.0.0.1" in " ".join(service("db")["healthcheck"]["test"])


@pytest.mark.django_db
def test_compose_runs_the_postgres_and_redis_tested_here():
    assert connection.vendor == "postgresql", "make test runs the suite on PostgreSQL"
    assert settings.REDIS_URL, "make test runs the suite with REDIS_URL set"
    postgres_major = int(service("db")["image"].split(":")[1].split(".")[0])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) // 10000 == postgres_major
    redis_major = service("redis")["image"].split(":")[1].split(".")[0]
    local_redis = redis.Redis.from_url(settings.REDIS_URL).info("server")["redis_version"]
    assert local_redis.split(".")[0] == redis_major
    assert "pg_isready" in " ".join(service("db")["healthcheck"]["test"])
    assert "redis-cli ping" in " ".join(service("redis")["healthcheck"]["test"])


def test_every_variable_is_documented_and_read():
    app_table = readme_table("Application settings")
    deploy_table = readme_table("Deployment variables")
    read_by_settings = settings_reads()
    read_by_deployment = deploy_reads() | compose_interpolations()
    named = set(env_example()) | compose_interpolations()
    for name in APP_SERVICES:
        named |= {key.removesuffix("_FILE") for key in service(name)["environment"]}

    assert app_table == read_by_settings, "README's application table vs settings.py"
    assert deploy_table == read_by_deployment - read_by_settings, "README's deployment table"
    assert named <= app_table | deploy_table, "named in compose or env.example, not documented"
    assert compose_interpolations() <= set(env_example()), "compose needs these in .env"
    # What production may need to set is in env.example or set by compose; DJANGO_DEBUG must
    # stay off there and STATIC_ROOT is the image's own.
    assert read_by_settings - named == {"DJANGO_DEBUG", "STATIC_ROOT"}


def test_env_example_is_a_production_configuration():
    example = env_example()
    for secret in ("SECRET_KEY", "POSTGRES_PASSWORD", "DB_OWNER_PASSWORD", "DB_APP_PASSWORD"):
        assert example[secret] == "", secret  # to be chosen
    assert example["SECURE_SSL_REDIRECT"] == "true"
    assert int(example["SECURE_HSTS_SECONDS"]) > 0
    assert not example["EMAIL_URL"].startswith("console")  # letters must not go to the log
    assert "DJANGO_DEBUG" not in example


def test_secrets_can_come_from_files(tmp_path):
    key, url = secrets.token_urlsafe(50), "postgres://fv:pw@db.example:5432/fromfile"
    (tmp_path / "key").write_text(key)
    (tmp_path / "url").write_text(url)
    env = clean_environment() | {
        "APP_ENV": "production",
        "SECRET_KEY_FILE": str(tmp_path / "key"),
        "DATABASE_URL_FILE": str(tmp_path / "url"),
    }
    code = (
        "from django.conf import settings as s; print(s.SECRET_KEY, s.DATABASES['default']['NAME'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [key, "fromfile"]


# --- the image ---------------------------------------------------------------------------------


def test_dockerfile_builds_the_image_compose_runs():
    instructions = dockerfile_instructions()
    runs = [arg for keyword, arg in instructions if keyword == "RUN"]

    (base,) = [arg for keyword, arg in instructions if keyword == "FROM"]
    assert base == "python:3.11-slim-bookworm"
    python = base.split(":")[1].split("-")[0]
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert python in SpecifierSet(requires)
    assert python == f"{sys.version_info.major}.{sys.version_info.minor}"  # what tests run on

    apt = " ".join(run for run in runs if "apt-get install" in run).split()
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"):
        assert package in apt, package
    installs = [run for run in runs if "pip install" in run]
    assert any("-c requirements.lock ." in run for run in installs)
    assert not any("[dev]" in run or "-e " in run for run in installs)
    (collect,) = [run for run in runs if "collectstatic" in run]
    assert "APP_ENV=production" in collect and "SECRET_KEY=" in collect

    # The checkout, not the installed copy, is imported (BASE_DIR finds templates and static).
    assert ("WORKDIR", "/app") in instructions
    assert any("PYTHONPATH=/app" in arg for keyword, arg in instructions if keyword == "ENV")

    users = [arg for keyword, arg in instructions if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}
    assert instructions[-1][0] == "CMD" and "familievaerft.wsgi:application" in instructions[-1][1]


def test_dockerignore_keeps_secrets_out_and_the_app_in():
    for path in (".env", ".git/config", ".venv/bin/python", "db.sqlite3", "media/x.pdf"):
        assert dockerignored(path), path
    needed = [
        "manage.py",
        "pyproject.toml",
        "requirements.lock",
        "familievaerft/settings.py",
        "cases/models.py",
        "templates/base.html",
        "static/css/app.css",
        "deploy/gunicorn_conf.py",
        "deploy/healthcheck.py",
    ]
    for path in needed:
        assert (ROOT / path).exists() and not dockerignored(path), path


# --- running the services ----------------------------------------------------------------------


def clean_environment() -> dict[str, str]:
    """This process's environment without anything the app or the deployment would read."""
    names = settings_reads() | deploy_reads() | compose_interpolations()
    return {
        key: value
        for key, value in os.environ.items()
        if key not in names and key.removesuffix("_FILE") not in names
    }


def container_environment(tmp_path: Path, name: str = "web") -> dict[str, str]:
    """What service ``name``'s container gets: .env from env.example, then compose's
    environment, then what differs on this machine (local services, a loopback host, temporary
    directories). Its database is pytest's test database, as the test database's owner (for
    migrate, MIGRATE_DATABASE_URL too)."""
    db = settings.DATABASES["default"]  # pytest's test database, created and migrated
    assert db["ENGINE"] == "django.db.backends.postgresql", "make test runs on PostgreSQL"
    assert settings.REDIS_URL, "make test runs the suite with REDIS_URL set"
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    database_url = (
        f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    return (
        clean_environment()
        | env_example()
        | {key: str(value) for key, value in service(name)["environment"].items()}
        | ({"MIGRATE_DATABASE_URL": database_url} if name == "migrate" else {})
        | {
            "PYTHONPATH": str(ROOT),  # as the Dockerfile's ENV: this checkout comes first
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
            "DATABASE_URL": database_url,
            "REDIS_URL": settings.REDIS_URL,
            "MEDIA_ROOT": str(tmp_path / "media"),
            "STATIC_ROOT": str(tmp_path / "static"),
        }
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def in_venv(args: list[str]) -> list[str]:
    """Run a container command with this virtualenv's python and console scripts."""
    if args[0] == "python":
        return [sys.executable, *args[1:]]
    return [str(BIN / args[0]), *args[1:]]


def run(args: list[str], env: dict[str, str], timeout: float = 60) -> str:
    result = subprocess.run(
        in_venv(args),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{shlex.join(args)} failed:\n{result.stdout[-3000:]}"
    return result.stdout


@contextlib.contextmanager
def running(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """Start a server in its own process group; always stop it and everything it forked."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            in_venv(args),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # leftover workers of that group only


def wait_for(condition: Callable[[], Any], process: subprocess.Popen, log: Path) -> Any:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"not ready within {STARTUP_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        client.request("GET", path, headers=PROXIED | (headers or {}))
        response = client.getresponse()
        return response.status, response.headers, response.read()
    finally:
        client.close()


def answering(port: int) -> bool:
    try:
        fetch(port, "/healthz")
    except OSError:
        return False
    return True


@NEEDS_TEST_DATABASE
def test_web_service_serves_like_compose(tmp_path):
    migrate, grant = steps("migrate")
    (serve,) = steps("web")
    owner_env = container_environment(tmp_path, "migrate")
    # As the Dockerfile does at build time: hashed, compressed files for whitenoise.
    run(["python", "manage.py", "collectstatic", "--noinput"], owner_env)
    assert "No migrations to apply" in run(migrate, owner_env)

    # web runs as a role that owns nothing, given its privileges as the migrate service does.
    with restricted_role() as role:
        assert role in run([*grant[:-1], role], owner_env)
        env = container_environment(tmp_path) | {"DATABASE_URL": role_database_url(role)}
        port = free_port()
        log = tmp_path / "gunicorn.log"
        with running([*serve, "--bind", f"127.0.0.1:{port}"], env, log) as web:
            wait_for(lambda: answering(port), web, log)

            status, headers, body = fetch(port, "/healthz")
            assert status == 200, body
            assert json.loads(body) == {
                "status": "ok",
                "database": {"ok": True},
                "broker": {"ok": True, "mode": "redis"},
            }
            assert headers["Strict-Transport-Security"].startswith(
                f"max-age={env['SECURE_HSTS_SECONDS']}"
            )
            # Production settings really are in force: plain http is redirected, strangers refused.
            status, headers, _ = fetch(port, "/login/", {"X-Forwarded-Proto": "http"})
            assert status == 301 and headers["Location"] == "https://127.0.0.1/login/"
            # Except the health check, which may come over plain http from inside the container.
            assert fetch(port, "/healthz", {"X-Forwarded-Proto": "http"})[0] == 200
            assert fetch(port, "/healthz", {"Host": "evil.example"})[0] == 400

            # compose's health check, pointed at this port.
            check = service("web")["healthcheck"]["test"][1:]
            url = urlsplit(check[-1])
            run([*check[:-1], url._replace(netloc=f"127.0.0.1:{port}").geturl()], env, timeout=15)

            # A page's static files, by their hashed names, from whitenoise.
            status, _, page = fetch(port, "/login/")
            assert status == 200
            assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.decode())
            assert assets, "the login page links no static files"
            for asset in assets:
                assert re.search(r"\.[0-9a-f]{12}\.\w+$", asset), f"not a hashed name: {asset}"
                status, headers, content = fetch(port, asset)
                assert status == 200, asset
                assert "immutable" in headers["Cache-Control"]
                assert (
                    content == (tmp_path / "static" / asset.removeprefix("/static/")).read_bytes()
                )
            stylesheet = next(asset for asset in assets if asset.endswith(".css"))
            status, headers, content = fetch(port, stylesheet, {"Accept-Encoding": "gzip"})
            assert headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(content).startswith(fetch(port, stylesheet)[2][:100])

            # gunicorn's access log is on, and redacts a CPR number that reached a URL anyway.
            fetch(port, "/healthz?cpr=010190-1234")
            wait_for(lambda: "[CPR]" in log.read_text(), web, log)
        output = log.read_text()
        assert "GET /healthz" in output
        assert "010190-1234" not in output and "0101901234" not in output


@NEEDS_TEST_DATABASE
def test_worker_answers_the_compose_health_check(tmp_path):
    (args,) = steps("worker")
    env = container_environment(tmp_path)
    # In a container HOSTNAME is the host name, which is what the worker names itself after.
    check = service("worker")["healthcheck"]["test"][1].replace("$$", "$")
    check_env = env | {"HOSTNAME": socket.gethostname(), "PATH": f"{BIN}:{env['PATH']}"}
    log = tmp_path / "worker.log"
    with running(args, env, log) as worker:
        wait_for(lambda: " ready." in log.read_text(), worker, log)

        def pong() -> bool:
            result = subprocess.run(
                ["sh", "-c", check],
                cwd=ROOT,
                env=check_env,
                capture_output=True,
                text=True,
                timeout=30,
            )
            return result.returncode == 0 and "pong" in result.stdout

        wait_for(pong, worker, log)


@NEEDS_TEST_DATABASE
def test_beat_starts_like_compose(tmp_path):
    (args,) = steps("beat")
    # The image's /app is read-only for its user: the schedule file must live elsewhere.
    (schedule,) = [arg for arg in args if arg.startswith("--schedule=")]
    assert schedule.startswith("--schedule=/tmp/")
    args = [f"--schedule={tmp_path / 'celerybeat-schedule'}" if a == schedule else a for a in args]
    log = tmp_path / "beat.log"
    with running(args, container_environment(tmp_path), log) as beat:
        wait_for(lambda: "beat: Starting..." in log.read_text(), beat, log)
        wait_for(lambda: list(tmp_path.glob("celerybeat-schedule*")), beat, log)
        assert beat.poll() is None


# The db service's init script runs PostgreSQL's client against this machine's server, and the
# migrate service's commands build a whole new database: a process test.
@pytest.mark.processes
def test_db_init_script_makes_the_roles_migrate_and_the_app_connect_as(tmp_path):
    """The db service's init script, run as the postgres image runs it (as the superuser, on
    the new, empty POSTGRES_DB), then the migrate service's commands as the owner it made: the
    owner is no superuser and owns every table, the app's role owns nothing, and cannot empty
    or unprotect the access log, while the owner's own flush setting still works."""
    if shutil.which("psql") is None:
        pytest.skip("psql (PostgreSQL's client, which the init script runs) is not installed")
    db = settings.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql", "make test runs on PostgreSQL"
    host, port = db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)
    # Names of this run only: roles are the whole cluster's, and other test runs share it.
    suffix = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{secrets.token_hex(4)}"
    database, owner, app = f"fv_init_{suffix}", f"fv_init_owner_{suffix}", f"fv_init_app_{suffix}"
    passwords = {
        "DB_OWNER_PASSWORD": secrets.token_hex(16),
        "DB_APP_PASSWORD": secrets.token_hex(16),
    }
    local = {
        "POSTGRES_DB": database,
        "POSTGRES_USER": db["USER"],
        "POSTGRES_PASSWORD": db["PASSWORD"] or "",
        "DB_OWNER_ROLE": owner,
        "DB_APP_ROLE": app,
        **passwords,
    }
    assert set(local) == set(service("db")["environment"])  # what compose gives the db service
    (init,) = [v.split(":")[0] for v in service("db")["volumes"] if INIT_DIRECTORY in v]
    scripts = sorted((ROOT / init).glob("*.sh"))
    url = f"postgres://{{}}:{{}}@{host}:{port}/{database}"

    def connect(user: str, dbname: str = database, **kwargs: Any) -> psycopg.Connection:
        return psycopg.connect(
            host=host, port=port, dbname=dbname, user=user, connect_timeout=5, **kwargs
        )

    with connect(db["USER"], "postgres", autocommit=True) as admin:
        # As the image does before it runs the init scripts.
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    try:
        script_env = clean_environment() | local | {"PGHOST": host, "PGPORT": str(port)}
        for script in scripts:
            result = subprocess.run(
                [str(script)], env=script_env, capture_output=True, text=True, timeout=60
            )
            assert result.returncode == 0, result.stderr

        migrate, grant = steps("migrate")
        env = container_environment(tmp_path, "migrate") | {
            "MIGRATE_DATABASE_URL": url.format(owner, passwords["DB_OWNER_PASSWORD"]),
            "DATABASE_URL": url.format(app, passwords["DB_APP_PASSWORD"]),
        }
        run(migrate, env, timeout=300)
        run([*grant[:-1], app], env)

        with connect(owner) as as_owner:
            (superusers,) = as_owner.execute(
                "SELECT count(*) FROM pg_roles WHERE rolname IN (%s, %s) AND rolsuper",
                [owner, app],
            ).fetchone()
            assert superusers == 0
            tables = dict(
                as_owner.execute(
                    "SELECT tableowner, count(*) FROM pg_tables WHERE schemaname = 'public' "
                    "GROUP BY tableowner"
                ).fetchall()
            )
            assert set(tables) == {owner} and tables[owner] > 50
            # The owner's flush (the test harness's setting) is still honoured.
            with as_owner.transaction(force_rollback=True):
                as_owner.execute("SET LOCAL familievaerft.allow_truncate = 'on'")
                as_owner.execute(f"TRUNCATE {LOG_TABLE}")

        with connect(app) as as_app:
            with as_app.transaction():
                as_app.execute(
                    f"INSERT INTO {LOG_TABLE} (at, username, action, target, reason) "  # noqa: S608
                    "VALUES (now(), 'app', 'view', '/', '')"
                )
            assert as_app.execute(f"SELECT count(*) FROM {LOG_TABLE}").fetchone() == (1,)  # noqa: S608
            for statements in (
                ["SET LOCAL familievaerft.allow_truncate = 'on'", f"TRUNCATE {LOG_TABLE}"],
                [f"DELETE FROM {LOG_TABLE}"],  # noqa: S608
                [f"ALTER TABLE {LOG_TABLE} DISABLE TRIGGER ALL"],
                ["CREATE TABLE fv_app_made (id int)"],
            ):
                with (
                    pytest.raises(psycopg.errors.InsufficientPrivilege),
                    as_app.transaction(),
                ):
                    for statement in statements:
                        as_app.execute(statement)
            assert as_app.execute(f"SELECT count(*) FROM {LOG_TABLE}").fetchone() == (1,)  # noqa: S608
    finally:
        with connect(db["USER"], "postgres", autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )
            for role in (app, owner):
                admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.mark.parametrize("key", ["", "short-key"])
def test_production_refuses_an_empty_or_short_secret_key(key):
    env = clean_environment() | {"APP_ENV": "production", "SECRET_KEY": key}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "familievaerft.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
