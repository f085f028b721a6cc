"""Real Celery processes (worker, beat), a private Redis and a private Postgres cluster for the
tests that run the app as production does: tests/followups/test_sweep_celery.py,
tests/letters/test_letter_worker.py and the fault tests in tests/faults/.

Every process is started in its own process group and always stopped, with anything it forked;
every wait is bounded.
"""

# The processes started here are this repository's own commands and the machine's
# redis-server and PostgreSQL binaries, with arguments made here.
# ruff: noqa: S603

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from familievaerft.celery import app

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CELERY = BIN / "celery"
GUNICORN = BIN / "gunicorn"


def redis_or_skip() -> str:
    url = settings.REDIS_URL
    if not url:
        pytest.skip("REDIS_URL is not set: Celery runs tasks in-process")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable: {exc}")
    return url


@pytest.fixture
def not_eager():
    """Tasks go to the broker, as with REDIS_URL set in production."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager


@contextlib.contextmanager
def app_broker(url: str) -> Iterator[None]:
    """This process's Celery app publishes to ``url`` (and not in-process) for a while."""
    saved = app.conf.broker_url, app.conf.task_always_eager

    def reset_pools() -> None:
        # The app and its producers keep pools keyed by the broker they were made for.
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_url, app.conf.task_always_eager = url, False
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        reset_pools()


def database_url() -> str:
    """The test database as a URL, for processes started by the test."""
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def process_env(**overrides: str) -> dict[str, str]:
    """The environment of an app process on the test database."""
    return {
        **os.environ,
        # This checkout's code, whatever the virtualenv's editable install points at.
        "PYTHONPATH": str(ROOT),
        "APP_ENV": "development",
        "DATABASE_URL": database_url(),
        "EMAIL_URL": "consolemail://",
        **overrides,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(
    condition: Callable[[], object],
    timeout: float,
    what: str,
    *,
    processes: tuple[subprocess.Popen, ...] = (),
    logs: tuple[Path, ...] = (),
    interval: float = 0.1,
) -> object:
    """Wait until ``condition()`` is true; fail with ``what`` (and the logs' tails) after
    ``timeout`` seconds or as soon as one of ``processes`` exits."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        for process in processes:
            if process.poll() is not None:
                pytest.fail(f"{process.args[:4]} exited with {process.returncode} ({what})")
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {log}:\n{log.read_text()[-3000:]}" for log in logs)
            pytest.fail(f"timed out after {timeout} s waiting for {what}\n{tails}")
        time.sleep(interval)


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM, then SIGKILL; and SIGKILL to the process group for anything it forked."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def started(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """``args`` running in its own process group with its output in ``log``; always stopped."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        stop(process)


def worker_args(queue: str, *extra: str) -> list[str]:
    return [
        *(str(CELERY), "-A", "familievaerft", "worker", "--pool=solo", "-Q", queue),
        *("--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"),
        *extra,
    ]


@contextlib.contextmanager
def worker(env: dict[str, str], queue: str, log: Path, *extra: str):
    """A solo-pool worker on ``queue`` in its own process group; always stopped."""
    with started(worker_args(queue, *extra), env, log) as process:
        yield process


@contextlib.contextmanager
def beat(env: dict[str, str], log: Path, schedule: Path):
    """A ``celery beat`` scheduler with its own schedule file; always stopped."""
    args = [str(CELERY), "-A", "familievaerft", "beat", "--loglevel=INFO", f"--schedule={schedule}"]
    with started(args, env, log) as process:
        yield process


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- a private Redis ---------------------------------------------------------------------------


class PrivateRedis:
    """A ``redis-server`` of this test only, on a free port, that can be stopped and started
    again on the same port (the shared Redis of the other tests is never touched)."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    *(binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                    *("--save", "", "--appendonly", "no", "--daemonize", "no"),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_for(answers, 10, "the private Redis", processes=(self.process,), logs=(self.log,))
        client.close()

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, timeout=5)
            self.process = None


@contextlib.contextmanager
def private_redis(log: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(log)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- a private PostgreSQL cluster ---------------------------------------------------------------


def postgres_bin() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


class PrivatePostgres:
    """A PostgreSQL cluster of this test only (initdb in a temporary directory, a free port,
    trust authentication on 127.0.0.1), that can be stopped and started again. initdb refuses
    to run as root, so as root the cluster belongs to the ``postgres`` system user."""

    def __init__(self) -> None:
        bindir = postgres_bin()
        if bindir is None:
            pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql")
        self.bindir = bindir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="fv-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                pytest.skip("running as root without runuser: initdb cannot run")
            shutil.chown(self.dir, "postgres", "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run([*self.prefix, *args], check=True, timeout=timeout, capture_output=True)

    def init(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            *("-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync"),
            *("--encoding=UTF8", "--locale=C.UTF-8"),
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            *("-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "30", "start"),
        )

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    cluster = PrivatePostgres()
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.remove()
