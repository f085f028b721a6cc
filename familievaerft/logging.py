"""Keep CPR numbers out of log lines and error reports (DOMAIN.md, "Sensitive data")."""

import logging
import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

# DDMMYY-SSSS or DDMMYYSSSS, not part of a longer digit run (UUIDs, timestamps).
CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")
REDACTED = "[CPR]"


def redact_cpr(text: str) -> str:
    return CPR_PATTERN.sub(REDACTED, text)


class RedactCPRFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_cpr(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


class CPRSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """Debug error pages and error e-mails never show a CPR number."""

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|CPR", flags=re.IGNORECASE
    )

    def get_post_parameters(self, request: Any) -> Any:
        params = super().get_post_parameters(request)
        if params is None:
            return params
        cleansed: Any = params.copy()
        for key in list(cleansed.keys()):
            if "cpr" in key.lower():
                cleansed[key] = self.cleansed_substitute
            else:
                cleansed.setlist(key, [redact_cpr(str(v)) for v in cleansed.getlist(key)])
        return cleansed

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return [
            (name, redact_cpr(str(value)) if isinstance(value, str) else value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]
