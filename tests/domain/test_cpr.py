"""CPR numbers (domain/cpr.py): format, century from the 7th digit, impossible dates, clear errors.

The century table of the CPR office (also python-stdnum's rule), by 7th digit and year YY:
0–3 → 19YY; 4 and 9 → 20YY when YY ≤ 36, else 19YY; 5–8 → 20YY when YY ≤ 57, else 18YY.
"""

from __future__ import annotations

import datetime as dt

import pytest

from akasse.domain.choices import Sex
from akasse.domain.cpr import InvalidCpr, is_valid_cpr, parse_cpr

D = dt.date


@pytest.mark.parametrize(
    ("number", "birth_date", "sex"),
    [
        ("010190-1234", D(1990, 1, 1), Sex.FEMALE),  # 7th digit 1 → 1900s; last digit 4 even → female
        ("0101901235", D(1990, 1, 1), Sex.MALE),  # no dash; last digit odd → male
        ("010190 1233", D(1990, 1, 1), Sex.MALE),  # a space as separator
        (" 311299-0001 ", D(1999, 12, 31), Sex.MALE),  # surrounding blanks are ignored
        ("290200-4002", D(2000, 2, 29), Sex.FEMALE),  # 7th digit 4, YY 00 ≤ 36 → 2000 (a leap year)
        ("010136-4000", D(2036, 1, 1), Sex.FEMALE),  # 7th digit 4, YY 36 → 2036 (the table, as stdnum)
        ("010137-4000", D(1937, 1, 1), Sex.FEMALE),  # 7th digit 4, YY 37 → 1937
        ("150557-5000", D(2057, 5, 15), Sex.FEMALE),  # 7th digit 5, YY 57 → 2057
        ("150558-5000", D(1858, 5, 15), Sex.FEMALE),  # 7th digit 5, YY 58 → 1858
        ("010199-8001", D(1899, 1, 1), Sex.MALE),  # 7th digit 8, YY 99 → 1899
        ("010110-9000", D(2010, 1, 1), Sex.FEMALE),  # 7th digit 9, YY 10 → 2010
        ("010170-9000", D(1970, 1, 1), Sex.FEMALE),  # 7th digit 9, YY 70 → 1970
        ("010105-3000", D(1905, 1, 1), Sex.FEMALE),  # 7th digit 0–3 → always 1900s
        ("070761-1111", D(1961, 7, 7), Sex.MALE),  # modulus 11 fails; not required after 2007 → accepted
    ],
)
def test_valid_numbers(number: str, birth_date: dt.date, sex: Sex) -> None:
    cpr = parse_cpr(number)
    assert (cpr.birth_date, cpr.sex) == (birth_date, sex)
    assert cpr.number == number.strip().replace("-", "").replace(" ", "")
    assert cpr.formatted == f"{cpr.number[:6]}-{cpr.number[6:]}"
    assert is_valid_cpr(number)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("310299-1234", "day 31, month 02 of year 99 (7th digit 1) is not a valid birth date"),  # 31 Feb
        (
            "290201-1234",
            "day 29, month 02 of year 01 (7th digit 1) is not a valid birth date",
        ),  # 1901: no leap
        (
            "290200-1234",
            "day 29, month 02 of year 00 (7th digit 1) is not a valid birth date",
        ),  # 1900: no leap
        ("011390-1234", "day 01, month 13"),  # month 13
        ("000190-1234", "day 00, month 01"),  # day 0
        ("010190-123", "must have 10 digits, has 9"),
        ("010190-12345", "must have 10 digits, has 11"),
        ("", "must have 10 digits, has 0"),
        ("01O190-1234", "must contain only digits"),  # a letter O for a zero
        ("abcdef-ghij", "must contain only digits"),
        ("٠١٠١٩٠١٢٣٤", "must contain only digits"),  # Arabic-Indic digits are not CPR digits
        ("0101-901234", "must be written DDMMYY-SSSS"),  # the dash in the wrong place
        ("010190--1234", "must be written DDMMYY-SSSS"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(number: str, message: str) -> None:
    with pytest.raises(InvalidCpr) as caught:
        parse_cpr(number)
    assert str(caught.value).startswith(f"CPR {number.strip()!r}: ")
    assert message in str(caught.value)
    assert not is_valid_cpr(number)


def test_birth_date_after_today_is_refused_when_today_is_given() -> None:
    # 7th digit 4 and YY 26 → 2026; born 1 Dec 2026 is fine on that day, not the day before.
    assert parse_cpr("011226-4000", today=D(2026, 12, 1)).birth_date == D(2026, 12, 1)
    with pytest.raises(InvalidCpr, match=r"birth date 01-12-2026 is after 30-11-2026"):
        parse_cpr("011226-4000", today=D(2026, 11, 30))
