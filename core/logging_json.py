"""Log lines as JSON, one object per line, with the request's id and user id; and Sentry's
``before_send``, which redacts CPR numbers as the log handlers do.

* ``RequestContextMiddleware`` (first in settings.MIDDLEWARE) gives every request an id: the
  ``X-Request-ID`` header the reverse proxy sent, when it is a plain token, or a new one. It is
  answered in the response's ``X-Request-ID`` (gunicorn's access log writes it too) and kept
  in a context variable for the request's log lines.
* ``JsonFormatter`` (``LOG_FORMAT=json``, the default in production) writes ``time``, ``level``,
  ``logger``, ``message``, ``request_id``, ``user_id`` and, for an exception, ``exception``.
  The message and the traceback are the ones the handler's ``core.redaction.RedactCPRFilter``
  has already redacted. The user id is read only once the request has looked its user up, so a
  log line never queries the database.
* ``sentry_before_send`` (settings, only when ``SENTRY_DSN`` is set) redacts every string of
  the event: message, exception values, request data, breadcrumbs, extra, and hides any field
  named like "cpr".
"""

import contextvars
import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from core.redaction import redact_cpr

REQUEST_ID_HEADER = "X-Request-ID"
_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "familievaerft_request", default=None
)
_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "familievaerft_request_id", default=None
)
# A proxy's id is taken only when it is a plain token (no spaces, quotes or newlines to forge
# log lines with), and not too long.
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")


def current_request_id() -> str | None:
    return _request_id.get()


def current_user_id() -> int | None:
    """The id of the request's user, if the request has already looked it up."""
    request = _request.get()
    if request is None:
        return None
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)  # AuthenticationMiddleware's lazy object
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return getattr(wrapped, "pk", None)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _ACCEPTED_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        # Kept until the response is closed (``_forget``), not only while the middleware runs:
        # Django logs a 4xx or 5xx answer ("Not Found: …") after the middleware has returned.
        _request.set(request)
        _request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


@receiver(request_finished, dispatch_uid="core.logging_json.forget")
def _forget(**kwargs: Any) -> None:
    _request.set(None)
    _request_id.set(None)


def _access_log_request_id(record: logging.LogRecord) -> str | None:
    """gunicorn's access log lines carry the response's headers among their atoms."""
    if record.name == "gunicorn.access" and isinstance(record.args, dict):
        value = record.args.get("{x-request-id}o")
        return value if isinstance(value, str) and value != "-" else None
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line (no newline inside: tracebacks are a field)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None)
            or _access_log_request_id(record)
            or current_request_id(),
            "user_id": getattr(record, "user_id", None) or current_user_id(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


# --- Sentry ------------------------------------------------------------------------------------

FILTERED = "[Filtered]"


def _redacted(value: Any, key: str = "") -> Any:
    if "cpr" in key.lower():
        return FILTERED
    if isinstance(value, str):
        return redact_cpr(value)
    if isinstance(value, dict):
        return {k: _redacted(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(v) for v in value]
    return value


def sentry_before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Every string of the event with CPR numbers (and link tokens) redacted, and every field
    named like "cpr" hidden, whatever the event holds (message, exception values, request data,
    stack frames' variables, breadcrumbs, extra)."""
    return _redacted(event)
