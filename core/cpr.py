"""CPR numbers (det centrale personregister).

Ten digits, DDMMYY-SSSS; the seventh digit together with the year gives the century.
The old modulus-11 check is deliberately *not* enforced: numbers without it have been
issued since 2007.
"""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A CPR number written out: DDMMYY, at most one separator, SSSS, and not part of a longer run
# of digits (timestamps, account numbers). The separator is a dash (hyphen-minus, full-width
# "－" or another dash such as "–" or "−") or one whitespace character (space, tab, no-break or
# ideographic space). ``\d`` is any script's decimal digit, so full-width digits
# ("０１０１９０－１２３４") are caught as well.
#
# The one pattern of the project: the validator (``normalise_cpr``), the guard that keeps CPR
# numbers out of URLs and list filters (``contains_cpr``) and the log redactor
# (core.redaction) all match with it, so none of them can miss a form the others catch.
CPR_PATTERN = re.compile(
    r"(?<!\d)(?P<birth>\d{6})[-\s\u2010-\u2015\u2212\ufe63\uff0d]?(?P<serial>\d{4})(?!\d)"
)


def _digits_of_typed_cpr(value: str | None) -> str | None:
    """The ten ASCII digits of ``value`` if it is a CPR number alone (whitespace around it
    aside), else None.

    Full-width digits are normalised to ASCII (NFKC); digits of other scripts (٠١٠١…), which
    NFKC leaves as they are, are refused: they would be stored as a different "same" number
    and slip past the unique CPR constraint."""
    match = CPR_PATTERN.fullmatch((value or "").strip())
    if match is None:
        return None
    digits = unicodedata.normalize("NFKC", match["birth"] + match["serial"])
    return digits if len(digits) == 10 and digits.isascii() and digits.isdigit() else None


def normalise_cpr(value: str) -> str:
    """Return the ten digits of a CPR number typed as DDMMYY-SSSS, DDMMYYSSSS, with a space or
    in full-width digits."""
    digits = _digits_of_typed_cpr(value)
    if digits is None:
        raise ValidationError(
            _("Et CPR-nummer består af 10 cifre, fx 010190-1234."), code="cpr_format"
        )
    return digits


def looks_like_cpr(value: str) -> bool:
    """Whether ``value`` is a CPR number alone, as ``normalise_cpr`` accepts it."""
    return _digits_of_typed_cpr(value) is not None


def contains_cpr(value: str) -> bool:
    """Whether user input holds a CPR number anywhere, in any form ``CPR_PATTERN`` catches; the
    input is also checked in its NFKC form, so no compatibility character hides a digit."""
    value = value or ""
    return bool(
        CPR_PATTERN.search(value) or CPR_PATTERN.search(unicodedata.normalize("NFKC", value))
    )


def century_for(year_two_digits: int, seventh_digit: int) -> int:
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if year_two_digits <= 36 else 1900
    # 5–8
    return 2000 if year_two_digits <= 57 else 1800


def birth_date_from_cpr(cpr: str) -> dt.date:
    digits = normalise_cpr(cpr)
    day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    century = century_for(year, int(digits[6]))
    try:
        return dt.date(century + year, month, day)
    except ValueError:
        raise ValidationError(
            _("CPR-nummeret indeholder ikke en gyldig fødselsdato."), code="cpr_date"
        ) from None


def validate_cpr(value: str) -> None:
    birth_date_from_cpr(value)


def format_cpr(cpr: str) -> str:
    return f"{cpr[:6]}-{cpr[6:]}"


def mask_cpr(cpr: str) -> str:
    """Birth date part only, as shown in lists: 010190-xxxx."""
    return f"{cpr[:6]}-xxxx"
