"""CPR numbers stay out of log lines and error reports (docs/domain.md, "Sensitive data")."""

import io
import logging
import random
import sys
import uuid
from urllib.parse import quote, quote_plus

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.views.debug import (
    ExceptionReporter,
    SafeExceptionReporterFilter,
    get_exception_reporter_class,
)

from cases.services import CitizenData
from core.redaction import (
    REDACTED,
    CPRSafeExceptionReporterFilter,
    RedactCPRFilter,
    redact_cpr,
)

CPR_FORMS = (
    "010190-1234",
    "0101901234",
    "010190 1234",
    "010190\t1234",
    "010190–1234",  # en dash
    "０１０１９０－１２３４",  # full-width
    "０１０１９０１２３４",
    "０１０１９０　１２３４",  # ideographic space
)
# Pieces for the error-report tests, so that no CPR number stands in the source lines the
# HTML report shows around the failing line.
BIRTH, SEQUENCE = "010190", "1234"


@pytest.fixture
def log():
    """A logger whose handler formats like production and applies the CPR filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactCPRFilter())
    logger = logging.getLogger("tests.cpr_redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


@pytest.mark.parametrize("cpr", CPR_FORMS)
def test_cpr_in_log_arguments_is_redacted(log, cpr):
    logger, stream = log
    logger.info("Opslag på borger %s af %s", cpr, "owner")
    output = stream.getvalue()
    assert cpr not in output
    assert "0101901234" not in output
    assert f"Opslag på borger {REDACTED} af owner" in output


@pytest.mark.parametrize(
    ("request_line", "redacted"),
    [
        # Mine sager's filter as the browser sends it: the space as "+" (a form) or "%20".
        ("GET /sager/?q=010190+1234&sort=name HTTP/1.1", "GET /sager/?q=[CPR]&sort=name HTTP/1.1"),
        ("GET /sager/?q=010190%201234 HTTP/1.1", "GET /sager/?q=[CPR] HTTP/1.1"),
        ("GET /sager/?q=010190%2D1234 HTTP/1.1", "GET /sager/?q=[CPR] HTTP/1.1"),
        ("GET /sager/?q=Anna+0101901234 HTTP/1.1", "GET /sager/?q=Anna+[CPR] HTTP/1.1"),
        # Full-width digits and hyphen, percent-encoded as UTF-8.
        (
            "GET /sager/?q=" + quote("０１０１９０－１２３４") + " HTTP/1.1",
            "GET /sager/?q=[CPR] HTTP/1.1",
        ),
        (
            "GET /sager/?q=" + quote_plus("０１０１９０ １２３４") + "&status=all HTTP/1.1",
            "GET /sager/?q=[CPR]&status=all HTTP/1.1",
        ),
    ],
)
def test_cpr_in_a_logged_request_line_is_redacted(log, request_line, redacted):
    """How runserver (django.server) and gunicorn log the request line of a refused filter."""
    logger, stream = log
    logger.info('"%s" %s %s', request_line, 302, 0)
    assert stream.getvalue().rstrip().endswith(f'"{redacted}" 302 0')
    assert redact_cpr(request_line) == redacted


def test_url_encoded_text_without_a_cpr_is_left_as_it_is():
    for text in (
        "GET /sager/?q=Anna+Hansen&status=all HTTP/1.1",
        "GET /sager/?q=2026-00042+2026-00043 HTTP/1.1",
        "GET /sager/?q=%C3%85se+%E6%97%A5 HTTP/1.1",
        "GET /sager/?q=%ZZ%2 HTTP/1.1",
        "50 % til tiden, +45 12 34 56 78",
        "GET /sager/ab123456-1234-4abc-8def-0123456789ab/?fra=1+2 HTTP/1.1",
        "GET /sager/?id=ab123456%2D1234%2D4abc%2D8def%2D0123456789ab HTTP/1.1",
    ):
        assert redact_cpr(text) == text


@pytest.mark.parametrize("cpr", CPR_FORMS)
def test_cpr_in_the_message_itself_is_redacted(log, cpr):
    logger, stream = log
    logger.warning(f"CPR {cpr} blev ikke fundet")
    assert stream.getvalue().rstrip().endswith(f"CPR {REDACTED} blev ikke fundet")


def test_several_cprs_and_dict_arguments(log):
    logger, stream = log
    logger.info("%(a)s og %(b)s", {"a": "010190-1234", "b": "3112991234"})
    assert stream.getvalue().rstrip().endswith(f"{REDACTED} og {REDACTED}")


def test_cpr_in_a_traceback_is_redacted(log):
    logger, stream = log
    try:
        raise ValueError(
            "duplicate key value violates unique constraint DETAIL: Key (cpr)=(0101901234)"
        )
    except ValueError:
        logger.exception("Kunne ikke oprette borger")
    output = stream.getvalue()
    assert "Traceback" in output
    assert "0101901234" not in output
    assert f"Key (cpr)=({REDACTED})" in output


def test_cpr_in_stack_info_is_redacted():
    record = logging.makeLogRecord(
        {"msg": "med stak", "stack_info": "Stack (most recent call last):\n  cpr='0101901234'"}
    )
    RedactCPRFilter().filter(record)
    assert record.stack_info == f"Stack (most recent call last):\n  cpr='{REDACTED}'"


@pytest.mark.parametrize(
    "text",
    [
        "GET /sager/ab123456-1234-4abc-8def-0123456789ab/ 200",
        "sag 3f2b6c1e-8d4a-4b7e-9c2d-a0101901234b åbnet",
        "sag 0101901234abcdef0123456789abcdef hex",
        "sag 2026-00042 oprettet",
        "sagerne 2026-00042, 2026-12345 og 2027-00001",
        "2026-03-27 15:00:00,123 INFO",
        "modtaget 2026-03-27T15:00:00.123456+01:00",
        "modtaget 2026-03-27T15:00:00.123456Z",
        "telefon +45 12 34 56 78, 12345678",
        "EAN 5790000123456, konto 12345678901",
        "beløb 1.234.567,89 kr.",
    ],
)
def test_redaction_leaves_ids_case_numbers_and_timestamps_alone(log, text):
    logger, stream = log
    logger.info("%s", text)
    assert redact_cpr(text) == text
    assert stream.getvalue().rstrip().endswith(text)


def test_redaction_leaves_any_uuid_alone():
    rng = random.Random(20260327)  # reproducible ids
    for _ in range(5000):
        case_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        for text in (str(case_id), case_id.hex, f"/sager/{case_id}/"):
            assert redact_cpr(text) == text


def test_a_cpr_next_to_a_uuid_is_still_redacted():
    case_id = "ab123456-1234-4abc-8def-0123456789ab"
    assert redact_cpr(f"{case_id} 010190-1234") == f"{case_id} {REDACTED}"
    assert redact_cpr(f"cpr=0101901234&sag={case_id}") == f"cpr={REDACTED}&sag={case_id}"


def test_the_filter_never_drops_a_record(log):
    logger, stream = log
    assert RedactCPRFilter().filter(logging.makeLogRecord({"msg": "0101901234"})) is True
    logger.info("intet at skjule")
    assert "intet at skjule" in stream.getvalue()


def test_the_configured_root_handler_has_the_filter():
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact_cpr"]
    root_filters = [
        flt
        for handler in logging.getLogger().handlers
        for flt in handler.filters
        if isinstance(flt, RedactCPRFilter)
    ]
    assert root_filters


def test_every_handler_a_request_error_reaches_redacts_cpr():
    handlers = []
    logger: logging.Logger | None = logging.getLogger("django.request")
    while logger is not None:
        # pytest's own capturing handlers are not ours to configure.
        handlers.extend(h for h in logger.handlers if not type(h).__module__.startswith("_pytest"))
        logger = logger.parent if logger.propagate else None
    assert handlers
    for handler in handlers:
        assert any(isinstance(flt, RedactCPRFilter) for flt in handler.filters), handler


# --- error pages and error e-mails -----------------------------------------------------------


@pytest.fixture
def post_request():
    return RequestFactory().post(
        "/sager/ny-underretning/",
        {
            "cpr": "010190-1234",
            "child_cpr": "0101901234",
            "CPR_nummer": "010190",  # even a partial number in a cpr field
            "concern": "Barnet (010190-1234) kommer ofte sultent i skole.",
            "first_name": "Emma",
            "case_number": "2026-00042",
        },
    )


@pytest.mark.parametrize("debug", [True, False])
def test_post_fields_named_like_cpr_and_cpr_values_are_hidden(settings, post_request, debug):
    settings.DEBUG = debug
    reporter_filter = CPRSafeExceptionReporterFilter()
    cleansed = reporter_filter.get_post_parameters(post_request)
    substitute = reporter_filter.cleansed_substitute
    assert cleansed["cpr"] == substitute
    assert cleansed["child_cpr"] == substitute
    assert cleansed["CPR_nummer"] == substitute
    assert cleansed["concern"] == f"Barnet ({REDACTED}) kommer ofte sultent i skole."
    assert cleansed["first_name"] == "Emma"
    assert cleansed["case_number"] == "2026-00042"
    # The request itself is untouched.
    assert post_request.POST["cpr"] == "010190-1234"


def test_post_parameters_of_a_get_request(settings):
    settings.DEBUG = False
    request = RequestFactory().get("/sager/")
    assert dict(CPRSafeExceptionReporterFilter().get_post_parameters(request)) == {}


def test_it_is_the_configured_reporter_filter():
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER == (
        "core.redaction.CPRSafeExceptionReporterFilter"
    )


def _as_locals_of_this_frame(*values: object) -> None:
    """The report shows the failing frame's locals; this only marks them as used."""


def _error_report(request):
    """Raise inside a frame holding CPR numbers in many shapes; return text and HTML reports."""
    cpr = BIRTH + SEQUENCE
    typed_cpr = BIRTH  # a partial number, in a variable named for what it is
    note = f"Barnet {BIRTH}-{SEQUENCE} er set"
    data = CitizenData(first_name="Emma", last_name="Jensen", cpr=f"{BIRTH}-{SEQUENCE}")
    payload = {"child": cpr}
    form_data = request.POST
    try:
        raise RuntimeError("Noget gik galt")
    except RuntimeError:
        exc_type, exc_value, tb = sys.exc_info()
    reporter = ExceptionReporter(request, exc_type, exc_value, tb)
    _as_locals_of_this_frame(cpr, typed_cpr, note, data, payload, form_data)
    return reporter.get_traceback_text(), reporter.get_traceback_html()


@pytest.mark.parametrize("debug", [True, False])
def test_error_reports_show_no_cpr_number(settings, post_request, debug):
    settings.DEBUG = debug
    text, html = _error_report(post_request)
    for report in (text, html):
        assert "Noget gik galt" in report
        assert "0101901234" not in report
        assert "010190-1234" not in report
        assert "&#x27;010190&#x27;" not in report and "'010190'" not in report
    # The frame's variables (HTML only) are still there to debug with, minus the numbers.
    assert "typed_cpr" in html
    assert "Barnet [CPR] er set" in html
    assert "first_name=&#x27;Emma&#x27;" in html
    assert "&#x27;first_name&#x27;: [&#x27;Emma&#x27;]" in html


def test_error_reports_hide_a_cpr_in_the_exception_message(settings):
    settings.DEBUG = False
    request = RequestFactory().get("/sager/")
    try:
        raise RuntimeError("duplicate key DETAIL: Key (cpr)=(0101901234) already exists.")
    except RuntimeError:
        exc_type, exc_value, tb = sys.exc_info()
    # The reporter Django itself uses for error pages and error e-mails.
    reporter_class = get_exception_reporter_class(request)
    reporter = reporter_class(request, exc_type, exc_value, tb)
    assert "0101901234" not in reporter.get_traceback_text()
    assert "0101901234" not in reporter.get_traceback_html()


# --- secrets on error pages --------------------------------------------------------------------


def test_the_hidden_settings_extend_djangos_own_list():
    ours = set(CPRSafeExceptionReporterFilter.hidden_settings.pattern.split("|"))
    djangos = set(SafeExceptionReporterFilter.hidden_settings.pattern.split("|"))
    assert djangos <= ours
    assert "CPR" in ours


# Pieces, so that no secret stands in the source lines the HTML report shows.
API_KEY = "fv_" + "the-api-key-itself"
SECRET_SETTINGS = ("PARTNER_API_KEY", "ESDH_TOKEN", "OIDC_AUTH", "SMTP_PASSWORD", "SIGNING_SECRET")


def _secret_value(name: str) -> str:
    return name.lower().replace("_", "-") + "-" + "value"


def _report_of(request):
    try:
        raise RuntimeError("Noget gik galt")
    except RuntimeError:
        exc_type, exc_value, tb = sys.exc_info()
    reporter = get_exception_reporter_class(request)(request, exc_type, exc_value, tb)
    return reporter.get_traceback_html(), reporter.get_traceback_text()


@pytest.mark.parametrize("debug", [True, False])
def test_api_keys_and_every_secret_django_hides_stay_hidden_on_error_pages(settings, debug):
    """Finding 8 of issue 14: ``hidden_settings`` replaced Django's list and lost AUTH, so the
    API key in a request's Authorization header was shown on the development error page."""
    settings.DEBUG = debug
    for name in SECRET_SETTINGS:
        setattr(settings, name, _secret_value(name))
    request = RequestFactory().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {API_KEY}")
    html, text = _report_of(request)
    assert "PARTNER_API_KEY" in html and "HTTP_AUTHORIZATION" in html  # listed, masked
    for report in (html, text):
        assert API_KEY not in report
        for name in SECRET_SETTINGS:
            assert _secret_value(name) not in report, name
