"""Dated releases: which months a release publishes, whether each is provisional or final, and the history.

A release dated D publishes the complete months before D's month. A month is provisional in the release that
first publishes it and in any release less than one month after that; from the release dated at least one
month (akasse.domain.calendar.add_months) after its first publication it is final. The history is the
manifests under SITE/releases/<date>/manifest.json, which each run copies forward.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from akasse.domain.calendar import add_months

RELEASES = "releases"
MANIFEST = "manifest.json"
PROVISIONAL, FINAL = "provisional", "final"


class ReleaseError(ValueError):
    """A release that cannot be made (a date before the latest release, a broken manifest); names the file."""


@dataclass(frozen=True)
class Manifest:
    """What one release published: its date, the months with their first publication, the indicators."""

    release_date: dt.date
    first_published: dict[
        dt.date, dt.date
    ]  # month (first day) -> date of the release that first published it
    indicators: tuple[str, ...]
    files: dict[str, str]  # path relative to the release folder -> sha256

    def status(self, month: dt.date) -> str:
        return month_status(self.first_published[month], self.release_date)

    def to_json(self, previous: dt.date | None) -> str:
        months = {
            m.isoformat(): {"first_published": first.isoformat(), "status": self.status(m)}
            for m, first in sorted(self.first_published.items())
        }
        body = {
            "release_date": self.release_date.isoformat(),
            "previous_release": previous.isoformat() if previous else None,
            "months": months,
            "indicators": list(self.indicators),
            "files": self.files,
        }
        return json.dumps(body, indent=2, ensure_ascii=False)


def month_status(first_published: dt.date, release_date: dt.date) -> str:
    """`final` once a release is dated at least one month after the month's first publication."""
    return FINAL if add_months(first_published, 1) <= release_date else PROVISIONAL


def cut_to_release(frame: pd.DataFrame, release_date: dt.date) -> pd.DataFrame:
    """The rows a release publishes: complete months before the release month, and the whole-period totals
    only when no later month exists in the data (they would otherwise contain unpublished months)."""
    cutoff = pd.Timestamp(release_date.replace(day=1))
    monthly = frame["month"].notna()
    keep = monthly & (frame["month"] < cutoff)
    if not (frame.loc[monthly, "month"] >= cutoff).any():
        keep |= ~monthly
    return frame.loc[keep].reset_index(drop=True)


def read_history(site: Path) -> list[Manifest]:
    """The releases already in SITE, oldest first; a broken manifest raises ReleaseError naming it."""
    folder = site / RELEASES
    if not folder.is_dir():
        return []
    return sorted(
        (_read_manifest(path) for path in folder.glob(f"*/{MANIFEST}")), key=lambda m: m.release_date
    )


def plan_release(
    history: list[Manifest], months: list[dt.date], release_date: dt.date
) -> tuple[dict[dt.date, dt.date], Manifest | None]:
    """First publication date of each month in the new release, and the release it revises (or None).

    A release dated on the day of an existing one replaces it; an earlier date than the latest is refused.
    """
    earlier = [m for m in history if m.release_date < release_date]
    if history and history[-1].release_date > release_date:
        raise ReleaseError(
            f"release date {release_date.isoformat()} is before the latest release "
            f"{history[-1].release_date.isoformat()} in {RELEASES}/"
        )
    first: dict[dt.date, dt.date] = {}
    for manifest in earlier:
        for month, published in manifest.first_published.items():
            first.setdefault(month, published)
    return {m: first.get(m, release_date) for m in months}, (earlier[-1] if earlier else None)


def _read_manifest(path: Path) -> Manifest:
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(
            release_date=dt.date.fromisoformat(body["release_date"]),
            first_published={
                dt.date.fromisoformat(m): dt.date.fromisoformat(v["first_published"])
                for m, v in body["months"].items()
            },
            indicators=tuple(body["indicators"]),
            files=dict(body["files"]),
        )
    except json.JSONDecodeError as error:
        raise ReleaseError(f"{path}: not JSON ({error})") from None
    except KeyError as error:
        raise ReleaseError(f"{path}: missing field {error.args[0]}") from None
    except (TypeError, ValueError, AttributeError) as error:
        raise ReleaseError(f"{path}: malformed manifest ({error})") from None
