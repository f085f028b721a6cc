"""CPR numbers, for arbitrary text: a valid normalised number with a consistent birth date, or
a ValidationError with a Danish message; never another exception (core/cpr.py; docs/domain.md)."""

import datetime as dt
import re
import string
import unicodedata
from urllib.parse import quote, quote_plus

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from core.cpr import (
    birth_date_from_cpr,
    contains_cpr,
    format_cpr,
    looks_like_cpr,
    mask_cpr,
    normalise_cpr,
    validate_cpr,
)
from core.redaction import REDACTED, redact_cpr
from tests.core.test_cpr import DATE_MESSAGE, FORMAT_MESSAGE

digits = st.text(alphabet=string.digits, min_size=10, max_size=10)
FULL_WIDTH = str.maketrans(string.digits, "０１２３４５６７８９")
# Text near a CPR number: digits (ASCII and full-width), separators (dashes and spaces of
# several kinds), look-alike digits of other scripts, and NUL bytes, so the examples reach the
# edges of the format rather than only noise.
near_cpr = st.text(
    alphabet=st.sampled_from([*string.digits, *" -\t\n\x00_/.", *"０１９－–\u3000\xa0", *"٠१①Ol"]),
    max_size=14,
)
anything = st.one_of(st.text(), near_cpr, digits, digits.map(format_cpr))
# A CPR number as someone might write it: each digit ASCII or full-width, then one of the
# separators, or none.
SEPARATORS = ["", "-", " ", "\t", "\xa0", "\u3000", "－", "–", "−"]


@st.composite
def written_cpr(draw):
    cpr = draw(digits)
    written = "".join(d.translate(FULL_WIDTH) if draw(st.booleans()) else d for d in cpr)
    separator = draw(st.sampled_from(SEPARATORS))
    return cpr, written[:6] + separator + written[6:]


def century_oracle(year: int, seventh: int) -> int:
    """The seventh digit's century rule, written out from the CPR office's table independently
    of the app."""
    if seventh in (0, 1, 2, 3):
        return 1900
    if seventh in (4, 9):
        return 2000 if year <= 36 else 1900
    return 2000 if year <= 57 else 1800


@settings(max_examples=200)
@given(anything)
def test_normalise_returns_ten_ascii_digits_or_a_danish_format_error(text):
    try:
        cpr = normalise_cpr(text)
    except ValidationError as error:
        assert error.code == "cpr_format"
        assert error.messages == [FORMAT_MESSAGE]
        assert not looks_like_cpr(text)
    else:
        assert len(cpr) == 10 and set(cpr) <= set(string.digits)
        assert looks_like_cpr(text)
        # The digits typed (full-width ones as ASCII), in order, and nothing else but
        # whitespace and one dash.
        typed = unicodedata.normalize("NFKC", text)
        assert "".join(c for c in typed if c in string.digits) == cpr
        assert normalise_cpr(cpr) == cpr
        # What the validator takes, the guard refuses in a filter and the log redactor hides.
        assert contains_cpr(text)
        assert redact_cpr(text).strip() == REDACTED


@settings(max_examples=200)
@given(anything)
def test_birth_date_is_consistent_or_a_danish_error(text):
    try:
        born = birth_date_from_cpr(text)
    except ValidationError as error:
        assert (error.code, error.messages) in [
            ("cpr_format", [FORMAT_MESSAGE]),
            ("cpr_date", [DATE_MESSAGE]),
        ]
        if error.code == "cpr_date":
            cpr = normalise_cpr(text)  # the format was fine: only the date is impossible
            day, month, year = int(cpr[0:2]), int(cpr[2:4]), int(cpr[4:6])
            century = century_oracle(year, int(cpr[6]))
            try:
                dt.date(century + year, month, day)
            except ValueError:
                pass
            else:
                raise AssertionError(f"{cpr} holds a real date but was refused") from None
    else:
        cpr = normalise_cpr(text)
        assert (born.day, born.month, born.year % 100) == (
            int(cpr[0:2]),
            int(cpr[2:4]),
            int(cpr[4:6]),
        )
        assert born.year - born.year % 100 == century_oracle(born.year % 100, int(cpr[6]))
        assert 1858 <= born.year <= 2057
        validate_cpr(text)  # the validator agrees


@settings(max_examples=150)
@given(digits)
def test_every_ten_digits_are_either_a_birth_date_or_the_date_error(cpr):
    try:
        birth_date_from_cpr(cpr)
    except ValidationError as error:
        assert error.code == "cpr_date"
        assert error.messages == [DATE_MESSAGE]


@st.composite
def cpr_for_a_date(draw):
    """A birth date the CPR system can express, with a serial whose seventh digit fits it."""
    born = draw(st.dates(min_value=dt.date(1858, 1, 1), max_value=dt.date(2036, 12, 31)))
    yy = born.year % 100
    fitting = [d for d in range(10) if century_oracle(yy, d) == born.year - yy]
    seventh = draw(st.sampled_from(fitting))
    rest = draw(st.text(alphabet=string.digits, min_size=3, max_size=3))
    return born, f"{born:%d%m}{yy:02d}{seventh}{rest}"


@settings(max_examples=150)
@given(cpr_for_a_date(), st.sampled_from(["{}-{}", "{}{}", "{} {}", " {}-{}\t", "\n{}{} "]))
def test_round_trip_date_format_parse(case, typing):
    born, cpr = case
    typed = typing.format(cpr[:6], cpr[6:])
    assert normalise_cpr(typed) == cpr
    assert normalise_cpr(format_cpr(cpr)) == cpr
    assert format_cpr(normalise_cpr(typed)) == f"{cpr[:6]}-{cpr[6:]}"
    assert birth_date_from_cpr(typed) == born
    assert birth_date_from_cpr(format_cpr(cpr)) == born
    assert mask_cpr(cpr) == f"{cpr[:6]}-xxxx" and cpr[6:] not in mask_cpr(cpr)[6:]


@settings(max_examples=200)
@given(written_cpr(), st.sampled_from(["{}", "Anna {} Hansen", "cpr={}&sag=1", "({})."]))
def test_every_written_cpr_is_read_refused_in_a_filter_and_hidden_in_logs(case, context):
    """Finding 5 of issue 14: one pattern for the validator, the filter guard and the log
    redactor, catching dash, space, no separator and full-width digits."""
    cpr, written = case
    assert normalise_cpr(written) == cpr
    text = context.format(written)
    assert contains_cpr(text)
    assert redact_cpr(text) == context.format(REDACTED)
    # In a logged request line, URL-encoded as a form or a typed address would send it.
    for encoded in (quote_plus(text), quote(text)):
        line = f"GET /sager/?q={encoded}&sort=name HTTP/1.1"
        redacted = redact_cpr(line)
        assert REDACTED in redacted
        assert not re.search(r"\d{4}", redacted.replace("%20", " ")), (line, redacted)


@settings(max_examples=300)
@given(st.one_of(st.text(), near_cpr))
def test_the_guard_refuses_whatever_the_redactor_hides(text):
    """User input (no URL encoding): if a log line would lose something as a CPR number, the
    filter guard has refused it already, so it never reaches a URL or a log unredacted."""
    if "%" in text or "+" in text or "/familie/invitation/" in text:
        return  # read URL-decoded by the redactor (or a token): not what a user types
    if redact_cpr(text) != text:
        assert contains_cpr(text)
