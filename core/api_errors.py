"""Every error in one JSON shape::

    {"fejl": {"kode": "ugyldige_data", "besked": "…", "felter": {"felt": ["…"]}}}

Django ValidationErrors raised by the services become field errors, Http404 and
PermissionDenied their DRF counterparts, so a view never has to translate them itself.
"""

import math
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.refusal_marks import set_refusal_reason

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def _messages(value: Any, prefix: str, out: dict[str, list[str]]) -> None:
    """Flatten DRF's nested error detail: ``ratings[0].value`` -> ["…"]."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(key, int):  # DRF keys some list errors by index
                _messages(inner, f"{prefix}[{key}]", out)
                continue
            name = NON_FIELD if key == NON_FIELD_ERRORS else str(key)
            _messages(inner, f"{prefix}.{name}" if prefix else name, out)
    elif isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            out.setdefault(prefix or NON_FIELD, []).extend(str(item) for item in value)
        else:
            for index, item in enumerate(value):
                _messages(item, f"{prefix}[{index}]", out)
    else:
        out.setdefault(prefix or NON_FIELD, []).append(str(value))


def from_django_validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail: Any = {
            NON_FIELD if key == NON_FIELD_ERRORS else key: [str(m) for m in errors_list]
            for key, errors_list in exc.message_dict.items()
        }
    else:
        detail = {NON_FIELD: [str(m) for m in exc.messages]}
    return exceptions.ValidationError(detail)


CODES = {
    status.HTTP_400_BAD_REQUEST: "ugyldige_data",
    status.HTTP_401_UNAUTHORIZED: "ikke_logget_ind",
    status.HTTP_403_FORBIDDEN: "ingen_adgang",
    status.HTTP_404_NOT_FOUND: "ikke_fundet",
    status.HTTP_405_METHOD_NOT_ALLOWED: "metode_ikke_tilladt",
    status.HTTP_406_NOT_ACCEPTABLE: "format_ikke_muligt",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "medietype_ikke_understoettet",
    status.HTTP_429_TOO_MANY_REQUESTS: "for_mange_forespoergsler",
}


def _default_message(code: int) -> str:
    messages = {
        status.HTTP_400_BAD_REQUEST: _("Oplysningerne er ikke gyldige. Se felterne."),
        status.HTTP_401_UNAUTHORIZED: _("Du skal logge ind eller bruge en gyldig API-nøgle."),
        status.HTTP_403_FORBIDDEN: _("Du har ikke adgang til dette."),
        status.HTTP_404_NOT_FOUND: _("Findes ikke, eller du har ikke adgang til det."),
    }
    return messages.get(code, _("Forespørgslen kunne ikke udføres."))


def error_body(code: int, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {
        "fejl": {
            "kode": CODES.get(code, "fejl"),
            "besked": message,
            "felter": fields or {},
        }
    }


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = from_django_validation_error(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug, not invalid input: Django's 500 (with the CPR-safe reporter)
    assert isinstance(exc, exceptions.APIException)
    code = response.status_code
    if code in (status.HTTP_401_UNAUTHORIZED, status.HTTP_403_FORBIDDEN) and "request" in context:
        # Logged by access.refusals.RefusalLogMiddleware unless the view logged it.
        set_refusal_reason(context["request"], f"API {code}: {exc.detail}"[:300])
    if isinstance(exc, exceptions.ValidationError):
        fields: dict[str, list[str]] = {}
        _messages(exc.detail, "", fields)
        general = fields.get(NON_FIELD)
        message = general[0] if general and len(fields) == 1 else _default_message(code)
        response.data = error_body(code, message, fields)
    else:
        detail = exc.detail
        if isinstance(exc, exceptions.NotFound):
            message = _default_message(code)  # the same words whether it exists or not
        elif isinstance(exc, exceptions.Throttled):
            # DRF's own words are half English ("Expected available in … seconds").
            message = (
                _("For mange forespørgsler. Prøv igen om %(seconds)d sekunder.")
                % {"seconds": math.ceil(exc.wait)}
                if exc.wait
                else _("For mange forespørgsler. Prøv igen senere.")
            )
        elif isinstance(detail, str):
            message = str(detail)
        else:
            message = _default_message(code)
        response.data = error_body(code, message)
    return response
