"""CPR numbers: validation and the facts the trial reads from them (birth date, sex)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stdnum import exceptions as stdnum_errors
from stdnum.dk import cpr as stdnum_cpr

from akasse.domain.choices import Sex

#: DDMMYY-SSSS, DDMMYY SSSS or DDMMYYSSSS, ASCII digits only (str.isdigit would accept other scripts' digits).
_FORMAT = re.compile(r"[0-9]{6}[- ]?[0-9]{4}")


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


def parse_cpr(value: str, *, today: dt.date | None = None) -> Cpr:
    """Validate a CPR number (DDMMYY-SSSS or ten digits) and read its birth date and sex.

    The century comes from the 7th digit with the year (python-stdnum, which follows the CPR office's table:
    0–3 → 1900s; 4 and 9 → 2000s for years 00–36, else 1900s; 5–8 → 2000s for 00–57, else 1800s).
    Modulus 11 is not checked: numbers issued after 2007 need not satisfy it (DOMAIN.md §3). With `today`,
    a birth date after it is refused too (the domain has no clock: the caller passes the day).
    """
    raw = value.strip()
    if not _FORMAT.fullmatch(raw):
        digits = "".join(c for c in raw if c in "0123456789")
        if any(c not in "0123456789- " for c in raw):
            raise InvalidCpr(f"CPR {raw!r}: must contain only digits (DDMMYY-SSSS)")
        if len(digits) != 10:
            raise InvalidCpr(f"CPR {raw!r}: must have 10 digits, has {len(digits)}")
        raise InvalidCpr(f"CPR {raw!r}: must be written DDMMYY-SSSS or as ten digits")
    digits = raw.replace("-", "").replace(" ", "")
    try:
        birth_date = stdnum_cpr.get_birth_date(digits)
    except stdnum_errors.InvalidComponent:
        raise InvalidCpr(
            f"CPR {raw!r}: day {digits[:2]}, month {digits[2:4]} of year {digits[4:6]} "
            f"(7th digit {digits[6]}) is not a valid birth date"
        ) from None
    if today is not None and birth_date > today:
        raise InvalidCpr(f"CPR {raw!r}: birth date {birth_date:%d-%m-%Y} is after {today:%d-%m-%Y}")
    sex = Sex.MALE if int(digits[9]) % 2 else Sex.FEMALE
    return Cpr(number=digits, birth_date=birth_date, sex=sex)


def is_valid_cpr(value: str) -> bool:
    """Whether `parse_cpr` accepts the value (for filters; use parse_cpr to tell the user what is wrong)."""
    try:
        parse_cpr(value)
    except InvalidCpr:
        return False
    return True
