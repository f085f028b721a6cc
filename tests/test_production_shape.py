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
    # A row may name more than one: "| `A`, `B` | ...".
    first_cells = re.findall(r"^\| (`[A-Z][^|]*?) \|", section, flags=re.MULTILINE)
    return {name for cell in first_cells for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", cell)}


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


def test_compose_has_seven_services_wired_by_health_and_migrations():
    services = compose()["services"]
    assert set(services) == {"migrate", "web", "worker", "beat", "db", "redis", "backup"}
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
    on_network = [int(port) for port in service("web")["expose"]]
    assert {url.port, gunicorn_port(), *exposed, *on_network} == {8000}
    # No host port at all: replicas (--scale web=N) do not compete for one, and plain http
    # never faces the host's network; the reverse proxy reaches web:8000 on the project network.
    for name, spec in compose()["services"].items():
        assert "ports" not in spec, name
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


SECRETS_DIR = "/run/secrets/"  # where compose mounts a service's secrets


def secret_of(path: str) -> str:
    """The compose secret a *_FILE variable points at."""
    assert path.startswith(SECRETS_DIR), path
    return path.removeprefix(SECRETS_DIR)


def test_migrations_run_as_the_owner_and_the_app_as_the_restricted_role():
    db_env = service("db")["environment"]
    owner, app, superuser = db_env["DB_OWNER_ROLE"], db_env["DB_APP_ROLE"], db_env["POSTGRES_USER"]
    # Three roles, three passwords from three secrets, none in an environment or a URL.
    assert len({owner, app, superuser}) == 3
    passwords = {
        secret_of(db_env[key])
        for key in ("DB_OWNER_PASSWORD_FILE", "DB_APP_PASSWORD_FILE", "POSTGRES_PASSWORD_FILE")
    }
    assert passwords == {"db_owner_password", "db_app_password", "postgres_password"}
    assert set(service("db")["secrets"]) == passwords

    # web, worker and beat connect as the app's role with its password file, and cannot pick up
    # the owner's URL or password (nor their _FILE variants) from .env: compose empties them.
    for name in RUNTIME_SERVICES:
        environment = service(name)["environment"]
        urls = database_urls(name)
        assert set(urls) == {"DATABASE_URL"}, name
        assert (urls["DATABASE_URL"]["USER"], urls["DATABASE_URL"]["PASSWORD"]) == (app, ""), name
        assert secret_of(environment["DATABASE_PASSWORD_FILE"]) == "db_app_password", name
        for key in ("MIGRATE_DATABASE_URL_FILE", "MIGRATE_DATABASE_PASSWORD_FILE"):
            assert environment[key] == "", (name, key)
        assert set(service(name)["secrets"]) == {"secret_key", "db_app_password"}, name
    # migrate connects as the owner, and gives the app's role its privileges.
    environment = service("migrate")["environment"]
    urls = database_urls("migrate")
    assert (urls["MIGRATE_DATABASE_URL"]["USER"], urls["MIGRATE_DATABASE_URL"]["PASSWORD"]) == (
        owner,
        "",
    )
    assert secret_of(environment["MIGRATE_DATABASE_PASSWORD_FILE"]) == "db_owner_password"
    assert environment["DATABASE_PASSWORD_FILE"] == ""
    assert set(service("migrate")["secrets"]) == {"secret_key", "db_owner_password"}
    assert steps("migrate")[1][-1] == app
    for url in (*urls.values(), *database_urls("web").values()):
        assert (url["HOST"], url["PORT"], url["NAME"]) == ("db", 5432, db_env["POSTGRES_DB"])
    assert "MIGRATE_DATABASE_URL" not in env_example()

    # The db service makes those roles with the database: its init script is mounted where the
    # postgres image runs it, and reads the names and the password files given above.
    (init,) = [v.split(":") for v in service("db")["volumes"] if v.split(":")[1] == INIT_DIRECTORY]
    source, _, mode = init
    assert mode == "ro"
    scripts = sorted((ROOT / source).glob("*.sh"))
    assert scripts and all(os.access(script, os.X_OK) for script in scripts)
    text = "".join(script.read_text() for script in scripts)
    for variable in (
        "DB_OWNER_ROLE",
        "DB_OWNER_PASSWORD_FILE",
        "DB_APP_ROLE",
        "DB_APP_PASSWORD_FILE",
    ):
        assert "${" + variable in text, variable
    # The health check asks over TCP: not healthy while the init scripts still run.
    assert "-h 127.0.0.1" in " ".join(service("db")["healthcheck"]["test"])


def test_secrets_are_files_made_by_make_secrets_and_kept_out_of_git_and_the_image(tmp_path):
    declared = compose()["secrets"]
    used = {name for spec in compose()["services"].values() for name in spec.get("secrets", [])}
    assert used == set(declared)
    for name, spec in declared.items():
        assert spec == {"file": f"./secrets/{name}"}, name
    # Every *_FILE variable compose sets points at a secret of that service.
    for name, spec in compose()["services"].items():
        for key, value in spec.get("environment", {}).items():
            if key.endswith("_FILE") and value:
                assert secret_of(value) in spec["secrets"], (name, key)
            # No password, key or secret written into the compose file itself.
            assert not re.search(r"://[^/@\s]+:[^/@\s]+@", str(value)), (name, key)
            assert not (re.search(r"PASSWORD|SECRET", key) and not key.endswith("_FILE")), key

    # deploy/make-secrets.sh makes exactly those files, random, without a trailing newline,
    # in a directory only its owner can open, and keeps what is there on a second run.
    directory = tmp_path / "secrets"
    script = ROOT / "deploy" / "make-secrets.sh"
    subprocess.run([str(script), str(directory)], check=True, capture_output=True, timeout=30)
    made = {path.name: path.read_text() for path in directory.iterdir()}
    assert set(made) == set(declared)
    assert all(len(value) >= 32 and value == value.strip() for value in made.values())
    assert len(set(made.values())) == len(made)
    assert directory.stat().st_mode & 0o777 == 0o700
    subprocess.run([str(script), str(directory)], check=True, capture_output=True, timeout=30)
    assert {path.name: path.read_text() for path in directory.iterdir()} == made

    assert dockerignored("secrets/secret_key")
    assert "/secrets/" in (ROOT / ".gitignore").read_text().splitlines()


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
    # The secrets are files (compose's secrets, deploy/make-secrets.sh), never in .env.
    for secret in ("SECRET_KEY", "POSTGRES_PASSWORD", "DB_OWNER_PASSWORD", "DB_APP_PASSWORD"):
        assert secret not in example, secret
        assert f"{secret}_FILE" not in example, secret
    assert example["LOG_FORMAT"] == "json"
    assert example["SENTRY_DSN"] == ""  # off unless set
    assert example["SECURE_SSL_REDIRECT"] == "true"
    assert int(example["SECURE_HSTS_SECONDS"]) > 0
    assert not example["EMAIL_URL"].startswith("console")  # letters must not go to the log
    assert "DJANGO_DEBUG" not in example


def test_secrets_can_come_from_files(tmp_path):
    key, url = secrets.token_urlsafe(50), "postgres://fv:pw@db.example:5432/fromfile"
    password = "p@ss:/wörd " + secrets.token_hex(8)  # no URL-encoding needed in a file
    (tmp_path / "key").write_text(key)
    (tmp_path / "url").write_text(url)
    (tmp_path / "password").write_text(password)
    env = clean_environment() | {
        "APP_ENV": "production",
        "SECRET_KEY_FILE": str(tmp_path / "key"),
        "DATABASE_URL_FILE": str(tmp_path / "url"),
    }
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(repr((s.SECRET_KEY, d['NAME'], d['PASSWORD'])))"
    )

    def settings_seen(extra: dict[str, str]) -> tuple[str, str, str]:
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env | extra,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return eval(result.stdout)  # noqa: S307 (our own repr of three strings)

    assert settings_seen({}) == (key, "fromfile", "pw")
    # A password file replaces the URL's password, as compose's secrets give it.
    assert settings_seen({"DATABASE_PASSWORD_FILE": str(tmp_path / "password")}) == (
        key,
        "fromfile",
        password,
    )
    # For migrations, the owner's URL and its own password file; the app's is not used.
    assert settings_seen(
        {
            "MIGRATE_DATABASE_URL": "postgres://owner@db.example:5432/owned",
            "MIGRATE_DATABASE_PASSWORD_FILE": str(tmp_path / "password"),
            "DATABASE_PASSWORD": "not-this-one",
        }
    ) == (key, "owned", password)


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
    # The runtime lock only, every package checked against its hash; then the project itself,
    # built with the locked setuptools (nothing unhashed fetched).
    installs = [run for run in runs if "pip install" in run]
    assert any("--require-hashes" in run and "-r requirements.lock" in run for run in installs)
    assert any("--no-build-isolation ." in run for run in installs)
    assert not any("[dev]" in run or "-e " in run or "dev.lock" in run for run in installs)
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


def local_secrets(tmp_path: Path, environment: dict[str, str], values: dict[str, str]) -> dict:
    """``environment`` with each /run/secrets/NAME path replaced by a file of this machine
    holding ``values[NAME]`` (as compose mounts them)."""
    directory = tmp_path / "run-secrets"
    directory.mkdir(exist_ok=True)
    mapped = dict(environment)
    for key, value in environment.items():
        if key.endswith("_FILE") and value.startswith(SECRETS_DIR):
            path = directory / secret_of(value)
            path.write_text(values[secret_of(value)])
            mapped[key] = str(path)
    return mapped


def container_environment(tmp_path: Path, name: str = "web") -> dict[str, str]:
    """What service ``name``'s container gets: .env from env.example, then compose's
    environment with its secrets as local files, then what differs on this machine (local
    services, a loopback host, temporary directories). Its database is pytest's test database,
    as the test database's owner (for migrate, MIGRATE_DATABASE_URL too)."""
    db = settings.DATABASES["default"]  # pytest's test database, created and migrated
    assert db["ENGINE"] == "django.db.backends.postgresql", "make test runs on PostgreSQL"
    assert settings.REDIS_URL, "make test runs the suite with REDIS_URL set"
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    database_url = (
        f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    password = db["PASSWORD"] or ""
    environment = local_secrets(
        tmp_path,
        {key: str(value) for key, value in service(name)["environment"].items()},
        {
            "secret_key": secrets.token_urlsafe(50),
            "db_app_password": password,
            "db_owner_password": password,
        },
    )
    return (
        clean_environment()
        | env_example()
        | environment
        | ({"MIGRATE_DATABASE_URL": database_url} if name == "migrate" else {})
        | {
            "PYTHONPATH": str(ROOT),  # as the Dockerfile's ENV: this checkout comes first
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
    # (Brotli and gzip for every file: about 30 s of CPU, longer on a busy machine.)
    run(["python", "manage.py", "collectstatic", "--noinput"], owner_env, timeout=300)
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

            # gunicorn's access log is on, and redacts a CPR number that reached a URL anyway,
            # and a password reset link's token.
            token = "cz1xyz-" + secrets.token_hex(16)
            status, headers, _ = fetch(port, f"/login/nulstil/MQ/{token}/")
            assert status == 200  # an invalid link's page
            fetch(port, "/healthz?cpr=010190-1234")
            wait_for(lambda: "[CPR]" in log.read_text(), web, log)
        output = log.read_text()
        assert "GET /healthz" in output
        assert "010190-1234" not in output and "0101901234" not in output
        assert token not in output and "/login/nulstil/MQ/…/" in output
        # LOG_FORMAT=json (env.example): gunicorn's lines are JSON objects, and an access line
        # carries the request id the app answered with.
        lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
        access = [line for line in lines if line["logger"] == "gunicorn.access"]
        assert any(
            line["request_id"] == headers["X-Request-ID"] and "/login/nulstil/" in line["message"]
            for line in access
        ), access


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
    local = local_secrets(
        tmp_path,
        {key: str(value) for key, value in service("db")["environment"].items()},
        {
            "postgres_password": db["PASSWORD"] or "",
            "db_owner_password": passwords["DB_OWNER_PASSWORD"],
            "db_app_password": passwords["DB_APP_PASSWORD"],
        },
    ) | {
        "POSTGRES_DB": database,
        "POSTGRES_USER": db["USER"],
        "DB_OWNER_ROLE": owner,
        "DB_APP_ROLE": app,
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
        # The owner's URL without its password, which comes from the secret's file.
        env = container_environment(tmp_path, "migrate") | {
            "MIGRATE_DATABASE_URL": f"postgres://{owner}@{host}:{port}/{database}",
            "MIGRATE_DATABASE_PASSWORD_FILE": local["DB_OWNER_PASSWORD_FILE"],
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


# --- docker compose itself, where its CLI is installed ------------------------------------------


def compose_cli() -> list[str] | None:
    """``docker compose`` (the CLI plugin), or a ``docker-compose`` of version 2; None when
    neither is installed (as on the development machines and in CI so far)."""
    candidates = [["docker", "compose"], ["docker-compose"]]
    for command in candidates:
        if shutil.which(command[0]) is None:
            continue
        result = subprocess.run(
            [*command, "version", "--short"], capture_output=True, text=True, timeout=30
        )
        if result.returncode == 0 and result.stdout.strip().lstrip("v").startswith("2"):
            return command
    return None


def test_docker_compose_config_validates(tmp_path):
    """`docker compose config` accepts the file as an operator would run it (a .env from
    deploy/env.example; the secret files need not exist for it), with the backup profile too;
    and what it prints holds no secret."""
    command = compose_cli()
    if command is None:
        pytest.skip("no docker compose CLI (v2) on this machine")
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "docker-compose.yml", project)
    shutil.copytree(ROOT / "deploy", project / "deploy")
    example = (ROOT / "deploy" / "env.example").read_text()
    (project / ".env").write_text(
        example.replace("BACKUP_AGE_RECIPIENTS=", "BACKUP_AGE_RECIPIENTS=age1x")
    )
    env = clean_environment()
    base = [
        *command,
        "--project-directory",
        str(project),
        "-f",
        str(project / "docker-compose.yml"),
    ]
    for profile in ([], ["--profile", "backup"]):
        result = subprocess.run(
            [*base, *profile, "config", "-q"], env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [*base, "--profile", "backup", "config", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    resolved = json.loads(result.stdout)
    assert set(resolved["services"]) == set(compose()["services"])
    assert "ports" not in resolved["services"]["web"]
    for name in RUNTIME_SERVICES:
        assert resolved["services"][name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    assert resolved["services"]["backup"]["environment"]["BACKUP_AGE_RECIPIENTS"] == "age1x"


# --- Celery's time limits -------------------------------------------------------------------------


def test_celery_tasks_have_time_limits():
    from familievaerft.celery import app

    soft, hard = app.conf.task_soft_time_limit, app.conf.task_time_limit
    assert soft == settings.CELERY_TASK_SOFT_TIME_LIMIT and hard == settings.CELERY_TASK_TIME_LIMIT
    assert 0 < soft < hard <= 60 * 60
    # The worker's command does not switch them off.
    assert "time-limit" not in " ".join(steps("worker")[0])
    env = clean_environment() | {
        "CELERY_TASK_SOFT_TIME_LIMIT": "60",
        "CELERY_TASK_TIME_LIMIT": "30",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "familievaerft.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "CELERY_TASK_TIME_LIMIT must be above" in result.stderr


# --- the encrypted backup and its restore ---------------------------------------------------------

MARKER = "backup-marker-Æblegrød-" + secrets.token_hex(4)


def backup_environment(tmp_path: Path, database: str, user: str, password_file: Path) -> dict:
    """The backup service's environment (docker-compose.yml), on this machine."""
    db = settings.DATABASES["default"]
    spec = service("backup")["environment"]
    variables = {"BACKUP_AGE_RECIPIENTS": "", "BACKUP_KEEP_DAYS": env_example()["BACKUP_KEEP_DAYS"]}
    return (
        clean_environment()
        | {key: interpolate(str(value), variables) for key, value in spec.items()}
        | {
            "PGHOST": db["HOST"] or "127.0.0.1",
            "PGPORT": str(db["PORT"] or 5432),
            "PGDATABASE": database,
            "PGUSER": user,
            "PGPASSWORD_FILE": str(password_file),
            "BACKUP_DIR": str(tmp_path / "backups"),
            "BACKUP_MEDIA_DIR": str(tmp_path / "media"),
        }
    )


@NEEDS_TEST_DATABASE
def test_backup_is_encrypted_and_restores_as_the_owner(tmp_path):
    """deploy/backup/backup.sh as the backup service runs it, then deploy/backup/restore.sh as
    README's restore says, against this machine's PostgreSQL: the database (the app's whole
    schema, with the access log's triggers, and rows) and the media files come back, restored
    by the owner role, which is no superuser; what lies on disk is age-encrypted."""
    if shutil.which("age") is None or shutil.which("pg_dump") is None:
        pytest.fail("age and pg_dump are needed: scripts/ensure-tools.sh installs them")
    db = settings.DATABASES["default"]
    host, port = db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)
    suffix = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{secrets.token_hex(4)}"
    owner, source, target = f"fv_bk_owner_{suffix}", f"fv_bk_src_{suffix}", f"fv_bk_dst_{suffix}"
    password_file = tmp_path / "db_owner_password"
    password_file.write_text(secrets.token_hex(16))
    (tmp_path / "media" / "letters").mkdir(parents=True)
    letter = tmp_path / "media" / "letters" / "brev.pdf"
    letter.write_bytes(b"%PDF-1.7 " + MARKER.encode())
    subprocess.run(["age-keygen", "-o", str(tmp_path / "key.txt")], check=True, capture_output=True)
    recipient = subprocess.run(
        ["age-keygen", "-y", str(tmp_path / "key.txt")], check=True, capture_output=True, text=True
    ).stdout.strip()
    backup_script = ROOT / "deploy" / "backup" / "backup.sh"
    restore_script = ROOT / "deploy" / "backup" / "restore.sh"
    assert service("backup")["build"] == "deploy/backup"
    assert "backup.sh" in (ROOT / "deploy" / "backup" / "Dockerfile").read_text()

    def connect(dbname: str, user: str = db["USER"]) -> psycopg.Connection:
        return psycopg.connect(
            host=host, port=port, dbname=dbname, user=user, connect_timeout=5, autocommit=True
        )

    def run_script(args: list[str], env: dict[str, str]) -> str:
        result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout

    with connect("postgres") as admin:
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}").format(
                sql.Identifier(owner), sql.Literal(password_file.read_text())
            )
        )
        for name in (source, target):
            admin.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(name), sql.Identifier(owner)
                )
            )
    try:
        # The source: the app's schema, as pytest's migrated test database has it, restored
        # into a database of the owner (which checks that it restores without a superuser),
        # and a row with the marker in the access log.
        env = backup_environment(tmp_path, db["NAME"], db["USER"], tmp_path / "empty")
        (tmp_path / "empty").write_text(db["PASSWORD"] or "")
        env["BACKUP_AGE_RECIPIENTS"] = recipient
        env["BACKUP_DIR"] = str(tmp_path / "schema")
        env["BACKUP_MEDIA_DIR"] = str(tmp_path / "no-media")
        run_script([str(backup_script)], env)
        (schema_dump,) = (tmp_path / "schema").glob("*.dump.age")
        owner_env = backup_environment(tmp_path, source, owner, password_file)
        run_script([str(restore_script), str(tmp_path / "key.txt"), str(schema_dump)], owner_env)
        with connect(source, owner) as as_owner:
            as_owner.execute(
                f"INSERT INTO {LOG_TABLE} (at, username, action, target, reason) "  # noqa: S608
                "VALUES (now(), %s, 'view', '/', '')",
                [MARKER],
            )

        # The backup, as the backup service makes it: as the owner, to the recipient's key.
        owner_env["BACKUP_AGE_RECIPIENTS"] = recipient
        output = run_script([str(backup_script)], owner_env)
        dumps = list((tmp_path / "backups").glob("familievaerft-*.dump.age"))
        media = list((tmp_path / "backups").glob("familievaerft-*.media.tar.age"))
        assert len(dumps) == 1 and len(media) == 1, output
        assert not list((tmp_path / "backups").glob("*.partial"))
        for encrypted in (*dumps, *media):
            content = encrypted.read_bytes()
            assert content.startswith(b"age-encryption.org/v1\n")
            assert MARKER.encode() not in content and b"PGDMP" not in content
            assert encrypted.stat().st_mode & 0o077 == 0  # readable by its owner only

        # Without the recipient nothing is written at all.
        refused = subprocess.run(
            [str(backup_script)],
            env=owner_env | {"BACKUP_AGE_RECIPIENTS": ""},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert refused.returncode != 0 and "BACKUP_AGE_RECIPIENTS" in refused.stderr

        # The restore: into an empty database of the owner, and the media into an empty folder.
        restore_env = backup_environment(tmp_path, target, owner, password_file) | {
            "BACKUP_MEDIA_DIR": str(tmp_path / "restored-media")
        }
        for backup in (*dumps, *media):
            run_script([str(restore_script), str(tmp_path / "key.txt"), str(backup)], restore_env)
        with connect(target, owner) as restored:
            assert restored.execute(
                f"SELECT count(*) FROM {LOG_TABLE} WHERE username = %s",  # noqa: S608
                [MARKER],
            ).fetchone() == (1,)
            tables = dict(
                restored.execute(
                    "SELECT tableowner, count(*) FROM pg_tables WHERE schemaname = 'public' "
                    "GROUP BY tableowner"
                ).fetchall()
            )
            assert set(tables) == {owner} and tables[owner] > 50
            # The access log's guards came back with it: no TRUNCATE without the setting.
            triggers = restored.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [LOG_TABLE],
            ).fetchone()[0]
            assert triggers > 0
            with pytest.raises(psycopg.Error):
                restored.execute(f"TRUNCATE {LOG_TABLE}")
            migrations = restored.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
        with connect(db["NAME"]) as original:
            assert (
                original.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
                == migrations
            )
        assert (tmp_path / "restored-media" / "letters" / "brev.pdf").read_bytes() == (
            letter.read_bytes()
        )
    finally:
        with connect("postgres") as admin:
            for name in (source, target):
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
            admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(owner)))
