"""CPR numbers, for arbitrary text: a valid normalised number with a consistent birth date, or
a ValidationError with a Danish message; never another exception (core/cpr.py; docs/domain.md)."""

import datetime as dt
import string

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from core.cpr import (
    birth_date_from_cpr,
    format_cpr,
    looks_like_cpr,
    mask_cpr,
    normalise_cpr,
    validate_cpr,
)
from tests.core.test_cpr import DATE_MESSAGE, FORMAT_MESSAGE

digits = st.text(alphabet=string.digits, min_size=10, max_size=10)
# Text near a CPR number: digits, separators, whitespace, look-alike digits of other scripts,
# and NUL bytes, so the examples reach the edges of the format rather than only noise.
near_cpr = st.text(
    alphabet=st.sampled_from([*string.digits, *" -\t\n\x00_/.", "０", "٠", "१", "O", "l"]),
    max_size=14,
)
anything = st.one_of(st.text(), near_cpr, digits, digits.map(format_cpr))


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
        # The digits typed, in order, and nothing else but whitespace and one dash.
        assert "".join(c for c in text if c in string.digits) == cpr
        assert normalise_cpr(cpr) == cpr


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
