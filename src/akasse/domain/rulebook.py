"""Rulebooks: the versioned data that names each required conversation of a regime.

A rulebook is read from TOML (src/akasse/rulebooks/) into these frozen dataclasses; docs/rules.md gives
the semantics. Window expressions are the anchor U (first day of unemployment) followed by offsets applied
left to right: `+3m` (months, clamped), `+14d` / `-1d` (days). The notice date N is not an anchor: with
`notice_opens_akasse`, requirements held by the a-kasse alone that open at U open at N instead when N < U.
"""

from __future__ import annotations

import datetime as dt
import math
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
    """When the job centre takes over: `after` an offset, or at the first month end past `hours` hours."""

    kind: str
    at: Offset | None = None
    hours: float | None = None
    hours_per_week: float | None = None

    def days_to_exceed_hours(self) -> int:
        """Days from U to the first day on which paid hours exceed `hours`.

        [A] Hours accrue at hours_per_week / 7 every calendar day from U inclusive, so after day U + k the
        member has (k + 1) · hours_per_week / 7 hours; the first k with more than `hours` is ⌊7 · hours /
        hours_per_week⌋ (410 hours at 37 a week: 77 days, 78 days = 412.3 hours).
        """
        assert self.hours is not None and self.hours_per_week is not None
        return math.floor(self.hours * 7 / self.hours_per_week)


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
        """Build a rulebook from parsed TOML, refusing unknown fields, purposes, holders and expressions."""
        rid = str(data.get("id", "?"))
        _known_fields(data, _RULEBOOK_FIELDS, f"rulebook {rid}")
        try:
            valid_from, valid_to = data["valid_from"], data.get("valid_to")
            for name, value in (("valid_from", valid_from), ("valid_to", valid_to)):
                if value is not None and type(value) is not dt.date:
                    raise RulebookError(
                        f"rulebook {rid}, {name}: {value!r} is not a date (write e.g. 2020-01-01)"
                    )
            return cls(
                id=str(data["id"]),
                name_da=str(data["name_da"]),
                name_en=str(data["name_en"]),
                valid_from=valid_from,
                valid_to=valid_to,
                first_in_person=bool(data.get("first_in_person", False)),
                notice_opens_akasse=bool(data.get("notice_opens_akasse", False)),
                handover=_handover(data.get("handover"), rid),
                requirements=_requirements(data["requirement"], rid),
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
        day_reached = unemployed_from + dt.timedelta(days=self.handover.days_to_exceed_hours())
        return add_months(day_reached.replace(day=1), 1) - dt.timedelta(days=1)


_RULEBOOK_FIELDS = frozenset(
    {
        "id",
        "name_da",
        "name_en",
        "valid_from",
        "valid_to",
        "first_in_person",
        "notice_opens_akasse",
        "handover",
        "requirement",
    }
)
_REQUIREMENT_FIELDS = frozenset({"purpose", "held_by", "count", "start", "end", "source"})
_HANDOVER_FIELDS = frozenset({"kind", "at", "hours", "hours_per_week"})


def _known_fields(data: dict[str, Any], known: frozenset[str], where: str) -> None:
    """Refuse a misspelt field rather than silently use a default in its place."""
    unknown = sorted(set(data) - known)
    if unknown:
        raise RulebookError(f"{where}: unknown field {unknown[0]!r} (known: {', '.join(sorted(known))})")


def _requirements(items: list[dict[str, Any]], rid: str) -> tuple[Requirement, ...]:
    """Each [[requirement]] entry, expanded `count` times; `index` counts from 1 within a purpose."""
    requirements: list[Requirement] = []
    per_purpose: dict[Purpose, int] = {}
    for n, item in enumerate(items, start=1):
        where = f"rulebook {rid}, requirement {n}"
        _known_fields(item, _REQUIREMENT_FIELDS, where)
        try:
            purpose = _choice(Purpose, item["purpose"], f"{where}, purpose")
            held_by = _choice(HeldBy, item["held_by"], f"{where}, held_by")
            start = Offset.parse(str(item.get("start", "U")), f"{where}, start")
            end = Offset.parse(str(item["end"]), f"{where}, end")
        except KeyError as missing:
            raise RulebookError(f"{where}: missing field {missing.args[0]!r}") from None
        count = item.get("count", 1)
        if type(count) is not int or count < 1:
            raise RulebookError(f"{where}, count: {count!r} must be a whole number of at least 1")
        for _ in range(count):
            per_purpose[purpose] = per_purpose.get(purpose, 0) + 1
            requirements.append(
                Requirement(purpose, held_by, per_purpose[purpose], start, end, str(item.get("source", "")))
            )
    if not requirements:
        raise RulebookError(f"rulebook {rid}: no [[requirement]] entries")
    return tuple(requirements)


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
    _known_fields(data, _HANDOVER_FIELDS, where)
    try:
        if data.get("kind") == "after":
            return Handover(kind="after", at=Offset.parse(str(data["at"]), f"{where}, at"))
        if data.get("kind") == "month_end_after_hours":
            hours, per_week = data["hours"], data["hours_per_week"]
            if not all(
                isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in (hours, per_week)
            ):
                raise RulebookError(f"{where}: hours and hours_per_week must be positive numbers")
            return Handover(kind=data["kind"], hours=float(hours), hours_per_week=float(per_week))
    except KeyError as missing:
        raise RulebookError(f"{where}: missing field {missing.args[0]!r}") from None
    raise RulebookError(f"{where}: unknown kind {data.get('kind')!r} (allowed: after, month_end_after_hours)")
