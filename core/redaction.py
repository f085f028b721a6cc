"""Keep CPR numbers and invitation tokens out of log lines and error reports: none is ever
written to a log, an error page or an error e-mail (docs/domain.md, "Sensitive data").

``RedactCPRFilter`` (on the log handlers of settings.LOGGING and of gunicorn in production)
replaces every CPR-shaped number in a record's message, traceback and stack with ``[CPR]``
(and an invitation link's token with ``…``);
``CPRSafeExceptionReporterFilter`` and ``CPRSafeExceptionReporter`` (Django's error reports)
hide anything named "cpr" and redact the rest. UUIDs are kept whole.
"""

import logging
import re
from typing import Any

from django.template.defaultfilters import pprint
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString, mark_safe
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# DDMMYY-SSSS or DDMMYYSSSS, not part of a longer digit run (timestamps).
CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")
REDACTED = "[CPR]"
# A UUID's hex groups can hold a CPR-shaped run ("ab123456-1234-…", "…-a0101901234b"):
# UUIDs are matched first and kept whole, so case ids in log lines stay readable.
_UUID = (
    r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
    r"[0-9A-Fa-f]{12}|[0-9A-Fa-f]{32})(?![0-9A-Fa-f])"
)
_UUID_OR_CPR = re.compile(rf"(?P<uuid>{_UUID})|{CPR_PATTERN.pattern}")


# A family invitation link's token is a password in all but name: it lands in the request
# line of the one request that opens the link (the view moves it into the session at once).
INVITATION_TOKEN = re.compile(r"(/familie/invitation/)(?!…)[^/\s?#\"']+")


def redact_cpr(text: str) -> str:
    """``text`` with every CPR number replaced by ``[CPR]`` and every invitation token in a
    path by ``…``."""
    text = INVITATION_TOKEN.sub(r"\1…", text)
    return _UUID_OR_CPR.sub(lambda m: m.group("uuid") or REDACTED, text)


class RedactCPRFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_cpr(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        # Tracebacks carry CPR numbers too, e.g. PostgreSQL's "Key (cpr)=(…) already exists".
        # Formatters reuse a cached exc_text, so redacting it here redacts the output.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_cpr(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_cpr(record.stack_info)
        return True


class _Redacted:
    """A frame variable shown on error pages by its redacted representation."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class CPRSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """Debug error pages and error e-mails never show a CPR number."""

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|CPR", flags=re.IGNORECASE
    )

    def get_post_parameters(self, request: Any) -> Any:
        params = super().get_post_parameters(request)
        if params is None:
            return params
        return self._cleanse_cpr(params)

    def _cleanse_cpr(self, params: Any) -> Any:
        cleansed: Any = params.copy()
        for key in list(cleansed.keys()):
            if "cpr" in key.lower():
                cleansed[key] = self.cleansed_substitute
            else:
                cleansed.setlist(key, [redact_cpr(str(v)) for v in cleansed.getlist(key)])
        return cleansed

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        cleansed = []
        for name, value in super().get_traceback_frame_variables(request, tb_frame):
            if "cpr" in name.lower():
                value = self.cleansed_substitute
            elif isinstance(value, str):
                value = redact_cpr(value)
            elif isinstance(value, MultiValueDict):
                # e.g. a local ``data = request.POST``, shown like the POST parameters.
                value = self._cleanse_cpr(value)
            else:
                # Objects, dicts, lists: what the page would show is their pprint.
                shown = pprint(value)
                redacted = redact_cpr(shown)
                if redacted != shown:
                    value = _Redacted(redacted)
            cleansed.append((name, value))
        return cleansed


class CPRSafeExceptionReporter(ExceptionReporter):
    """Error pages and error e-mails: the exception message itself may carry a CPR number
    (e.g. PostgreSQL's "Key (cpr)=(…) already exists"), so the rendered report is redacted."""

    def get_traceback_html(self) -> SafeString:
        # Redacting only removes digits from an already escaped document: still safe.
        return mark_safe(redact_cpr(super().get_traceback_html()))

    def get_traceback_text(self) -> SafeString:
        return mark_safe(redact_cpr(super().get_traceback_text()))
