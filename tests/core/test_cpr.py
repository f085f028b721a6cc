"""CPR numbers: normalisation, birth date and century, no modulus-11 check (docs/domain.md)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.cpr import (
    birth_date_from_cpr,
    century_for,
    format_cpr,
    looks_like_cpr,
    mask_cpr,
    normalise_cpr,
    validate_cpr,
)

FORMAT_MESSAGE = "Et CPR-nummer består af 10 cifre, fx 010190-1234."
DATE_MESSAGE = "CPR-nummeret indeholder ikke en gyldig fødselsdato."


def passes_modulus_11(cpr: str) -> bool:
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    return sum(int(d) * w for d, w in zip(cpr, weights, strict=True)) % 11 == 0


@pytest.mark.parametrize(
    "typed",
    ["010190-1234", "0101901234", "010190 1234", " 010190-1234 ", "\t0101901234\n"],
)
def test_normalise_accepts_the_usual_ways_of_typing(typed):
    assert normalise_cpr(typed) == "0101901234"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "010190-123",  # nine digits
        "01019-1234",
        "010190-12345",  # eleven digits
        "01019012345",
        "010190123",
        "0101-90-1234",  # dash in the wrong place
        "010190--1234",
        "010190_1234",
        "010190-12a4",  # letters
        "O10190-1234",  # a capital o, not a zero
        "abcdefghij",
        "010190-1234x",
        # Digits that are not ASCII must not slip through as a different "same" number.
        "０１０１９０－１２３４",
        "０１０１９０１２３４",
        "٠١٠١٩٠١٢٣٤",
    ],
)
def test_normalise_rejects_anything_but_ten_digits(typed):
    with pytest.raises(ValidationError) as exc:
        normalise_cpr(typed)
    assert exc.value.messages == [FORMAT_MESSAGE]
    assert exc.value.code == "cpr_format"
    assert not looks_like_cpr(typed)


def test_normalise_rejects_none():
    with pytest.raises(ValidationError):
        normalise_cpr(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["010190-1234", "0101901234", "010190 1234"])
def test_looks_like_cpr(typed):
    assert looks_like_cpr(typed)


@pytest.mark.parametrize(
    "cpr",
    [
        "310290-1234",  # 31 February
        "300290-1234",
        "290290-1234",  # 1990 is not a leap year
        "320190-1234",
        "000190-1234",  # day 0
        "011390-1234",  # month 13
        "010090-1234",  # month 0
        "310490-1234",  # 31 April
        "290200-0234",  # 29.02.1900: 1900 was not a leap year
    ],
)
def test_impossible_dates_are_rejected(cpr):
    with pytest.raises(ValidationError) as exc:
        validate_cpr(cpr)
    assert exc.value.messages == [DATE_MESSAGE]
    assert exc.value.code == "cpr_date"


def test_format_errors_come_before_date_errors():
    with pytest.raises(ValidationError) as exc:
        validate_cpr("310290-12")
    assert exc.value.code == "cpr_format"


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        # 7th digit 0–3: always the 1900s.
        ("010100-0123", dt.date(1900, 1, 1)),
        ("311299-3123", dt.date(1999, 12, 31)),
        ("150636-2123", dt.date(1936, 6, 15)),
        ("150637-1123", dt.date(1937, 6, 15)),
        ("150658-3123", dt.date(1958, 6, 15)),
        # 7th digit 4 and 9: 00–36 → 2000s, 37–99 → 1900s.
        ("010100-4123", dt.date(2000, 1, 1)),
        ("311236-4123", dt.date(2036, 12, 31)),
        ("010137-4123", dt.date(1937, 1, 1)),
        ("311299-4123", dt.date(1999, 12, 31)),
        ("311236-9123", dt.date(2036, 12, 31)),
        ("010137-9123", dt.date(1937, 1, 1)),
        ("290200-4123", dt.date(2000, 2, 29)),
        # 7th digit 5–8: 00–57 → 2000s, 58–99 → 1858–1899.
        ("010100-5123", dt.date(2000, 1, 1)),
        ("311257-5123", dt.date(2057, 12, 31)),
        ("010158-5123", dt.date(1858, 1, 1)),
        ("311299-8123", dt.date(1899, 12, 31)),
        ("150612-6123", dt.date(2012, 6, 15)),
        ("150612-7123", dt.date(2012, 6, 15)),
        ("150612-8123", dt.date(2012, 6, 15)),
        ("150675-6123", dt.date(1875, 6, 15)),
        ("290260-5123", dt.date(1860, 2, 29)),  # 1860 was a leap year
    ],
)
def test_birth_date_and_century(cpr, born):
    assert birth_date_from_cpr(cpr) == born
    assert birth_date_from_cpr(cpr.replace("-", "")) == born
    validate_cpr(cpr)


@pytest.mark.parametrize(
    ("year", "seventh", "century"),
    [
        (0, 0, 1900),
        (99, 3, 1900),
        (36, 4, 2000),
        (37, 4, 1900),
        (36, 9, 2000),
        (37, 9, 1900),
        (57, 5, 2000),
        (58, 5, 1800),
        (57, 8, 2000),
        (58, 8, 1800),
    ],
)
def test_century_boundaries(year, seventh, century):
    assert century_for(year, seventh) == century


def test_modulus_11_is_not_enforced():
    # Numbers without the old check digit have been issued since 2007.
    assert not passes_modulus_11("0101901234")
    assert normalise_cpr("010190-1234") == "0101901234"
    assert birth_date_from_cpr("010190-1234") == dt.date(1990, 1, 1)
    validate_cpr("010190-1234")
    # A number that does pass the old check is of course fine as well.
    assert passes_modulus_11("0707614285")
    validate_cpr("070761-4285")


def test_format_and_mask():
    assert format_cpr("0101901234") == "010190-1234"
    assert mask_cpr("0101901234") == "010190-xxxx"
