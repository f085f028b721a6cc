"""Keep CPR numbers and invitation tokens out of log lines and error reports: none is ever
written to a log, an error page or an error e-mail (docs/domain.md, "Sensitive data").

``RedactCPRFilter`` (on the log handlers of settings.LOGGING and of gunicorn in production)
replaces every CPR-shaped number in a record's message, traceback and stack with ``[CPR]``
(and an invitation or password reset link's token with ``…``), written out or URL-encoded in
a request line;
``CPRSafeExceptionReporterFilter`` and ``CPRSafeExceptionReporter`` (Django's error reports)
hide anything named "cpr" and every secret Django hides, and redact the rest. UUIDs are kept
whole. What counts as a CPR number is ``core.cpr.CPR_PATTERN``.
"""

import bisect
import codecs
import logging
import re
from collections.abc import Callable
from typing import Any

from django.template.defaultfilters import pprint
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString, mark_safe
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# The project's one CPR pattern (dash, space, no separator; ASCII and full-width digits).
from core.cpr import CPR_PATTERN

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
# So is a password reset link's (/login/nulstil/<uidb64>/<token>/; Django's view moves it into
# the session and redirects to …/set-password/, which is kept).
RESET_TOKEN = re.compile(
    r"(/login/nulstil/[^/\s?#\"']+/)(?!…|set-password(?:[/\s?#\"']|$))[^/\s?#\"']+"
)


# Percent-escapes: how a request line or a referrer in a log line carries full-width digits
# ("%EF%BC%90…") or a space ("%20"; a form's query string has "+" for it).
_URL_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _url_decoded(text: str) -> tuple[str, Callable[[int], tuple[int, int]]]:
    """``text`` URL-decoded ("+" as a space, percent-escapes as UTF-8), and a function giving
    for a decoded character's index the span of ``text`` it was written as."""
    parts: list[str] = []
    # (first decoded index, raw start, raw end): a run of text taken as it is (raw end None,
    # one character for one), or one character decoded from percent-escapes.
    blocks: list[tuple[int, int, int | None]] = []
    decoded_length = 0

    def as_it_is(start: int, end: int) -> None:
        nonlocal decoded_length
        if start < end:
            parts.append(text[start:end].replace("+", " "))
            blocks.append((decoded_length, start, None))
            decoded_length += end - start

    position = 0
    for escapes in _URL_ESCAPES.finditer(text):
        as_it_is(position, escapes.start())
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        start = escapes.start()
        for i in [*range(escapes.start(), escapes.end(), 3), None]:
            produced = (
                decoder.decode(b"", final=True)
                if i is None
                else decoder.decode(bytes.fromhex(text[i + 1 : i + 3]))
            )
            end = escapes.end() if i is None else i + 3
            for char in produced:
                parts.append(char)
                blocks.append((decoded_length, start, end))
                decoded_length += 1
            if produced:
                start = end
        position = escapes.end()
    as_it_is(position, len(text))
    firsts = [block[0] for block in blocks]

    def raw_span(index: int) -> tuple[int, int]:
        first, raw_start, raw_end = blocks[bisect.bisect_right(firsts, index) - 1]
        if raw_end is None:
            return raw_start + index - first, raw_start + index - first + 1
        return raw_start, raw_end

    return "".join(parts), raw_span


def redact_cpr(text: str) -> str:
    """``text`` with every CPR number replaced by ``[CPR]`` and every invitation token in a
    path (or a password reset link's) by ``…``.

    The numbers are found as written and, in a text with "%" or "+", URL-decoded as well (a
    logged request line: "?q=010190+1234"); a match inside a UUID in either reading is not
    a CPR number (a percent-encoded UUID's last group can hold ten digits)."""
    text = INVITATION_TOKEN.sub(r"\1…", text)
    text = RESET_TOKEN.sub(r"\1…", text)
    found = [(m.start(), m.end(), bool(m.group("uuid"))) for m in _UUID_OR_CPR.finditer(text)]
    if "%" in text or "+" in text:
        decoded, raw_span = _url_decoded(text)
        if decoded != text:
            for m in _UUID_OR_CPR.finditer(decoded):
                start, end = raw_span(m.start())[0], raw_span(m.end() - 1)[1]
                found.append((start, end, bool(m.group("uuid"))))
    uuids = [(start, end) for start, end, is_uuid in found if is_uuid]
    cprs = sorted(
        (start, end)
        for start, end, is_uuid in found
        if not is_uuid and not any(start < u_end and u_start < end for u_start, u_end in uuids)
    )
    merged: list[tuple[int, int]] = []
    for start, end in cprs:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in reversed(merged):
        text = text[:start] + REDACTED + text[end:]
    return text


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

    # Django's own list (API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE: AUTH covers the
    # Authorization header that carries an API key) extended, never replaced.
    hidden_settings = re.compile(
        rf"{SafeExceptionReporterFilter.hidden_settings.pattern}|CPR", flags=re.IGNORECASE
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
