"""Gunicorn settings for the production image (docker-compose.yml's ``web`` service).

Command-line options override these, so a test can bind elsewhere with ``--bind``.

Workers start warm. The master imports the application once (``preload_app``) and, before the
first worker forks, compiles the project's templates, builds the URL conf's lookups and loads the
translations (``when_ready``); every worker forks from that, and opens its database connection
before it takes its first request (``post_worker_init``). So a worker that replaces a recycled
one (``max_requests``) or a killed one does not import Django, compile templates and connect
while requests queue behind it. Nothing in the master holds a connection across a fork:
database connections are closed before every fork (``pre_fork``), and the cache's and Celery's
Redis clients are made on first use, which is in a worker (the master serves no request and
sends no task; redis-py's connection pools also start afresh in a forked process).
"""

import logging
import os
from typing import Any

bind = ["0.0.0.0:8000"]
# Each worker keeps one database connection open (CONN_MAX_AGE): size this with Postgres's
# max_connections in mind, not only with the number of CPU cores.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 60
graceful_timeout = 30
# Recycle workers now and then so a slow leak cannot grow without bound: the backstop. A new
# worker forks from the preloaded, warmed-up master (below), so recycling costs little.
max_requests = 1000
max_requests_jitter = 100
# The application is imported in the master, once; workers fork from it. (Code changes then
# need a restart of gunicorn, not a HUP, as a new image does anyway.)
preload_app = True
# Heartbeat files in memory: on a container's overlay filesystem they can stall workers.
worker_tmp_dir = "/dev/shm"  # noqa: S108 (gunicorn only keeps heartbeat files there)
accesslog = "-"
errorlog = "-"
# The request id the app answers with (core.logging_json) ends each access log line, so a line
# can be found with the app's own lines of the same request.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
)
# LOG_FORMAT as the app reads it (settings.py): json in production unless set otherwise. With
# json, gunicorn's own lines are JSON objects too, once Django is loaded (_use_app_logging).
LOG_FORMAT = os.environ.get("LOG_FORMAT") or (
    "json" if os.environ.get("APP_ENV") == "production" else "plain"
)
# gunicorn 27 opens a control socket under $HOME; nothing here uses it.
control_socket_disable = True


def _own_template_dirs() -> list[Any]:
    """The template directories of the project (DIRS and its own apps' templates/), not those
    of installed packages such as the admin's."""
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings
    from django.template import engines

    base = Path(settings.BASE_DIR).resolve()
    dirs: list[Path] = []
    for engine in engines.all():
        dirs.extend(Path(d) for d in getattr(getattr(engine, "engine", None), "dirs", ()))
    dirs.extend(Path(config.path) / "templates" for config in apps.get_app_configs())
    return [
        directory
        for directory in dict.fromkeys(d.resolve() for d in dirs)
        if directory.is_dir()
        and directory.is_relative_to(base)
        and not {"site-packages", ".venv"} & set(directory.parts)
    ]


def _compile_templates() -> tuple[int, int]:
    """Every template of the project, compiled into the cached loader; (compiled, failed)."""
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines

    compiled = failed = 0
    for directory in _own_template_dirs():
        for path in sorted(directory.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            name = path.relative_to(directory).as_posix()
            for engine in engines.all():
                try:
                    engine.get_template(name)
                except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError):
                    failed += 1  # not a template of this engine; the request shows its error
                else:
                    compiled += 1
    return compiled, failed


def _walk_url_conf(resolver: Any) -> int:
    """Build a resolver's lookups and compile its patterns, all the way down; the patterns."""
    from django.urls import URLResolver

    resolver.reverse_dict  # noqa: B018 (the property builds the reverse lookup)
    resolver.namespace_dict  # noqa: B018
    count = 0
    for pattern in resolver.url_patterns:  # importing every view module on the way
        pattern.pattern.regex  # noqa: B018 (compiled on first use, per language)
        if isinstance(pattern, URLResolver):
            count += _walk_url_conf(pattern)
        else:
            count += 1
    return count


def _load_urls_and_translations() -> int:
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.urls import get_resolver
    from django.utils import translation

    patterns = 0
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # loads the language's catalogues
            patterns = _walk_url_conf(get_resolver())
    getattr(staticfiles_storage, "base_url", None)  # reads the manifest of hashed file names
    return patterns


def _use_app_logging() -> None:
    """gunicorn's access and error lines through the app's CPR filter (and, with LOG_FORMAT=json,
    its JSON formatter). URLs never carry a CPR number by design; this is the guard for the
    request line, the referrer or an error message that does anyway, and it hides a password
    reset or invitation link's token in the request line. Needs Django set up."""
    from core.redaction import RedactCPRFilter

    for name in ("gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactCPRFilter) for f in logger.filters):
            logger.addFilter(RedactCPRFilter())
        if LOG_FORMAT == "json":
            from core.logging_json import JsonFormatter

            for handler in logger.handlers:
                handler.setFormatter(JsonFormatter())


def when_ready(server: Any) -> None:
    """In the master, after preloading and before the first fork: the work each worker would
    otherwise do on its first requests. Reads code and files only: no database, no Redis, no
    case data. A failure is logged (by class name) and leaves the workers to do it themselves.
    """
    if not server.cfg.preload_app:
        return  # the master has not imported Django; each worker warms up on its own requests
    _use_app_logging()
    import time

    from django.db import connections

    started = time.monotonic()
    try:
        compiled, skipped = _compile_templates()
        patterns = _load_urls_and_translations()
    except Exception as exc:
        server.log.warning("warm-up stopped early: %s", type(exc).__name__)
    else:
        server.log.info(
            "warm-up: %d templates compiled (%d skipped), %d URL patterns, in %.2f s",
            compiled,
            skipped,
            patterns,
            time.monotonic() - started,
        )
    finally:
        connections.close_all()


def pre_fork(server: Any, worker: Any) -> None:
    """No database connection crosses a fork: two processes on one socket would mix their
    queries. Each worker opens its own (post_worker_init)."""
    if not server.cfg.preload_app:
        return  # nothing of Django in the master
    from django.db import connections

    connections.close_all()


def _connect_database(worker: Any) -> None:
    """Open the worker's database connection before its first request (Django keeps it for
    CONN_MAX_AGE). A sync worker serves requests in this thread, so the request gets this
    connection; a threaded worker's requests open their own, so it is left alone. Connecting
    reads nothing; when the database is down the first request connects (and /healthz says so).
    """
    if worker.cfg.worker_class_str not in ("sync", "gunicorn.workers.sync.SyncWorker"):
        return
    from django.db import connection

    try:
        connection.ensure_connection()
    except Exception as exc:
        worker.log.warning("no database connection at start: %s", type(exc).__name__)


def post_worker_init(worker: Any) -> None:
    """gunicorn's own log lines as the app's (CPR-redacted; JSON with LOG_FORMAT=json), then
    the database connection. Runs once Django is set up in the worker."""
    _use_app_logging()
    _connect_database(worker)
