"""Rulebooks: the versioned data that names each required conversation of a regime.

A rulebook is read from TOML (src/akasse/rulebooks/) into these frozen dataclasses; docs/rules.md gives
the semantics. Window expressions are an anchor (U = first day of unemployment, N = notice date) followed
by offsets applied left to right: `+3m` (months, clamped), `+14d` / `-1d` (days).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from akasse.domain.calendar import add_months
from akasse.domain.choices import HeldBy, Purpose


class RulebookError(ValueError):
    """A rulebook file that does not follow the format; the message names the rulebook and field."""


_OFFSET = re.compile(r"([+-])(\d+)([dm])")


@dataclass(frozen=True)
class Offset:
    """A window bound relative to U: months first as written, then days (`U+3m-1d`)."""

    steps: tuple[tuple[str, int], ...]  # (unit, signed amount) in the order written
    text: str

    @classmethod
    def parse(cls, text: str, where: str) -> Offset:
        if not text.startswith("U"):
            raise RulebookError(f"{where}: {text!r} must start with the anchor U")
        rest = text[1:]
        steps = []
        pos = 0
        for match in _OFFSET.finditer(rest):
            if match.start() != pos:
                break
            sign, amount, unit = match.groups()
            steps.append((unit, int(amount) * (1 if sign == "+" else -1)))
            pos = match.end()
        if pos != len(rest):
            raise RulebookError(f"{where}: cannot read {text!r} (expected e.g. U, U+14d, U+3m-1d)")
        return cls(steps=tuple(steps), text=text)

    def apply(self, unemployed_from: dt.date) -> dt.date:
        day = unemployed_from
        for unit, amount in self.steps:
            day = add_months(day, amount) if unit == "m" else day + dt.timedelta(days=amount)
        return day


@dataclass(frozen=True)
class Requirement:
    """One required conversation: the `index`-th (from 1) of its purpose in the rulebook."""

    purpose: Purpose
    held_by: HeldBy
    index: int
    start: Offset
    end: Offset
    source: str


@dataclass(frozen=True)
class Handover:
    """When the job centre takes over: `after` an offset, or at the first month end past `hours` paid hours."""

    kind: str
    at: Offset | None = None
    hours: float | None = None
    hours_per_week: float | None = None


@dataclass(frozen=True)
class Rulebook:
    id: str
    name_da: str
    name_en: str
    valid_from: dt.date
    valid_to: dt.date | None
    first_in_person: bool
    notice_opens_akasse: bool
    handover: Handover | None
    requirements: tuple[Requirement, ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rulebook:
        """Build a rulebook from parsed TOML, refusing unknown purposes, holders and expressions."""
        rid = str(data.get("id", "?"))
        try:
            requirements: list[Requirement] = []
            per_purpose: dict[Purpose, int] = {}
            for n, item in enumerate(data["requirement"], start=1):
                where = f"rulebook {rid}, requirement {n}"
                purpose = _choice(Purpose, item["purpose"], f"{where}, purpose")
                held_by = _choice(HeldBy, item["held_by"], f"{where}, held_by")
                start = Offset.parse(item.get("start", "U"), f"{where}, start")
                end = Offset.parse(item["end"], f"{where}, end")
                count = int(item.get("count", 1))
                if count < 1:
                    raise RulebookError(f"{where}, count: must be at least 1")
                for _ in range(count):
                    per_purpose[purpose] = per_purpose.get(purpose, 0) + 1
                    requirements.append(
                        Requirement(purpose, held_by, per_purpose[purpose], start, end, str(item.get("source", "")))
                    )
            handover = _handover(data.get("handover"), rid)
            return cls(
                id=rid,
                name_da=str(data["name_da"]),
                name_en=str(data["name_en"]),
                valid_from=data["valid_from"],
                valid_to=data.get("valid_to"),
                first_in_person=bool(data.get("first_in_person", False)),
                notice_opens_akasse=bool(data.get("notice_opens_akasse", False)),
                handover=handover,
                requirements=tuple(requirements),
            )
        except KeyError as missing:
            raise RulebookError(f"rulebook {rid}: missing field {missing.args[0]!r}") from None

    def handover_date(self, unemployed_from: dt.date) -> dt.date | None:
        """The day the job centre takes over, or None when the regime has no hand-over."""
        if self.handover is None:
            return None
        if self.handover.kind == "after":
            assert self.handover.at is not None
            return self.handover.at.apply(unemployed_from)
        assert self.handover.hours is not None and self.handover.hours_per_week is not None
        # Paid hours accrue at hours_per_week / 7 each calendar day from U (inclusive).
        day_reached = unemployed_from + dt.timedelta(
            days=int(self.handover.hours / (self.handover.hours_per_week / 7))
        )
        return add_months(day_reached.replace(day=1), 1) - dt.timedelta(days=1)


def _choice(kind: Any, value: str, where: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise RulebookError(f"{where}: unknown value {value!r} (allowed: {allowed})") from None


def _handover(data: dict[str, Any] | None, rid: str) -> Handover | None:
    if data is None:
        return None
    where = f"rulebook {rid}, handover"
    if data.get("kind") == "after":
        return Handover(kind="after", at=Offset.parse(data["at"], where))
    if data.get("kind") == "month_end_after_hours":
        return Handover(kind=data["kind"], hours=float(data["hours"]), hours_per_week=float(data["hours_per_week"]))
    raise RulebookError(f"{where}: unknown kind {data.get('kind')!r} (allowed: after, month_end_after_hours)")
