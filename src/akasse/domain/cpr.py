"""CPR numbers: validation and the facts the trial reads from them (birth date, sex)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdnum import exceptions as stdnum_errors
from stdnum.dk import cpr as stdnum_cpr

from akasse.domain.choices import Sex


class InvalidCpr(ValueError):
    """A CPR number that is malformed or names no real birth date; the message says which."""


@dataclass(frozen=True)
class Cpr:
    number: str  # ten digits, no dash
    birth_date: dt.date
    sex: Sex

    @property
    def formatted(self) -> str:
        """DDMMYY-SSSS."""
        return f"{self.number[:6]}-{self.number[6:]}"


def parse_cpr(value: str) -> Cpr:
    """Validate a CPR number (DDMMYY-SSSS or ten digits) and read its birth date and sex.

    The century comes from the 7th digit with the year (python-stdnum). Modulus 11 is not checked:
    numbers issued after 2007 need not satisfy it (DOMAIN.md §3).
    """
    raw = value.strip()
    digits = raw.replace("-", "").replace(" ", "")
    if not digits.isdigit():
        raise InvalidCpr(f"CPR {raw!r}: must contain only digits (DDMMYY-SSSS)")
    if len(digits) != 10:
        raise InvalidCpr(f"CPR {raw!r}: must have 10 digits, has {len(digits)}")
    try:
        birth_date = stdnum_cpr.get_birth_date(digits)
    except stdnum_errors.InvalidComponent:
        raise InvalidCpr(
            f"CPR {raw!r}: {digits[:2]}-{digits[2:4]} with year {digits[4:6]} and 7th digit {digits[6]} "
            "is not a valid birth date"
        ) from None
    sex = Sex.MALE if int(digits[9]) % 2 else Sex.FEMALE
    return Cpr(number=digits, birth_date=birth_date, sex=sex)


def is_valid_cpr(value: str) -> bool:
    try:
        parse_cpr(value)
    except InvalidCpr:
        return False
    return True
