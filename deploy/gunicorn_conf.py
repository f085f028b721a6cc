"""Gunicorn settings for the production image (docker-compose.yml's ``web`` service).

Command-line options override these, so a test can bind elsewhere with ``--bind``.
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
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files in memory: on a container's overlay filesystem they can stall workers.
worker_tmp_dir = "/dev/shm"  # noqa: S108 (gunicorn only keeps heartbeat files there)
accesslog = "-"
errorlog = "-"
# gunicorn 27 opens a control socket under $HOME; nothing here uses it.
control_socket_disable = True


def post_worker_init(worker: Any) -> None:
    """Redact CPR numbers from gunicorn's own log lines, as Django's LOGGING does for the app.

    URLs never carry a CPR number by design; this is the guard for the request line, the
    referrer or an error message that does anyway. Runs once Django is set up in the worker.
    """
    from familievaerft.logging import RedactCPRFilter

    for name in ("gunicorn.access", "gunicorn.error"):
        logging.getLogger(name).addFilter(RedactCPRFilter())
