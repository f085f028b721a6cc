"""Signals of accounts that the apps above it act on.

accounts sits below access (pyproject's import-linter contract), so it does not write the
access log itself: it sends ``request_refused``, and access connects its receiver
(``access.refusals``, in AccessConfig.ready()), which writes the refusal to the access log
and marks the request as logged.
"""

from django.dispatch import Signal

# A request was refused where it was decided (a failed API key, a page only for staff).
# Arguments: request (Django's or DRF's), reason (short text for the log), user (who is
# refused, when the request itself does not say: e.g. the owner of a revoked API key; or None).
request_refused = Signal()


def report_refusal(request: object, reason: str, *, user: object = None) -> None:
    """Report a refused request (access writes it to the access log)."""
    request_refused.send(sender=None, request=request, reason=reason, user=user)
