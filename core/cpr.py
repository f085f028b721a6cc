"""CPR numbers (det centrale personregister).

Ten digits, DDMMYY-SSSS; the seventh digit together with the year gives the century.
The old modulus-11 check is deliberately *not* enforced: numbers without it have been
issued since 2007.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# [0-9], not \d: \d also matches other scripts' digits (０１０１…), which would be stored
# as a different "same" number and slip past the unique CPR constraint.
_CPR_INPUT = re.compile(r"^\s*([0-9]{6})[\s-]?([0-9]{4})\s*$")


def normalise_cpr(value: str) -> str:
    """Return the ten digits of a CPR number typed as DDMMYY-SSSS, DDMMYYSSSS or with a space."""
    match = _CPR_INPUT.match(value or "")
    if not match:
        raise ValidationError(
            _("Et CPR-nummer består af 10 cifre, fx 010190-1234."), code="cpr_format"
        )
    return match.group(1) + match.group(2)


def looks_like_cpr(value: str) -> bool:
    return bool(_CPR_INPUT.match(value or ""))


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
