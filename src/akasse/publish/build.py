"""One release, built whole in a folder next to SITE and swapped in, so a failure leaves SITE as it was.

`publish` runs the chain events → indicator catalogue → release cut → disclosure control → open data,
manifest, revisions and site; `publish_frame` is the part after the catalogue, for a frame already computed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from akasse.analytics.indicators import COLUMNS as CATALOGUE_COLUMNS
from akasse.publish.metadata import IndicatorInfo
from akasse.publish.opendata import metadata, write_indicator
from akasse.publish.releases import (
    FINAL,
    MANIFEST,
    PROVISIONAL,
    RELEASES,
    Manifest,
    ReleaseError,
    cut_to_release,
    month_status,
    plan_release,
    read_history,
)
from akasse.publish.revisions import COLUMNS, revisions, write_revisions
from akasse.publish.site import SiteContent, render_site

#: Marks a folder as an akasse site: only such a folder (or a new or empty one) is ever replaced.
MARKER = ".akasse-site"
SNAPSHOT = "snapshot.parquet"

Protect = Callable[[pd.DataFrame], pd.DataFrame]


class PublishError(ValueError):
    """Input the publication refuses; the message names the folder, file or column."""


def publish_frame(
    frame: pd.DataFrame,
    infos: dict[str, IndicatorInfo],
    site: Path,
    release_date: dt.date,
    *,
    threshold: int,
    protect: Protect | None = None,
) -> Manifest:
    """Publish the catalogue's long frame as the release dated `release_date` into SITE; returns its manifest.

    `protect` adds disclosure control (columns `flag` and NA values) to the release's rows; without it the
    frame must already carry `flag`.
    """
    _check_target(site)
    history = read_history(site)
    rows = cut_to_release(_normalise(frame, infos), release_date)
    rows = _flagged(protect(rows) if protect else rows)
    months = sorted(pd.Timestamp(m).date() for m in rows["month"].dropna().unique())
    first, previous = plan_release(history, months, release_date)
    rows["status"] = _status(rows, first, release_date)
    manifest_history = [m for m in history if m.release_date < release_date]
    with _staging(site) as stage:
        _copy_history(site, stage, manifest_history)
        folder = stage / RELEASES / release_date.isoformat()
        files = _write_open_data(folder, rows, infos, release_date, threshold)
        rows.to_parquet(folder / SNAPSHOT, index=False)
        changed = revisions(_snapshot(site, previous), rows) if previous else pd.DataFrame(columns=COLUMNS)
        write_revisions(folder / "revisions.csv", changed)
        manifest = Manifest(release_date, first, tuple(infos), files)
        (folder / MANIFEST).write_text(
            manifest.to_json(previous.release_date if previous else None), encoding="utf-8"
        )
        content = SiteContent(
            rows,
            infos,
            release_date,
            [*manifest_history, manifest],
            previous.release_date if previous else None,
            changed,
            threshold,
        )
        render_site(stage, content)
        (stage / MARKER).write_text(
            f"akasse site; latest release {release_date.isoformat()}\n", encoding="utf-8"
        )
    return manifest


def _write_open_data(
    folder: Path, rows: pd.DataFrame, infos: dict[str, IndicatorInfo], release_date: dt.date, threshold: int
) -> dict[str, str]:
    """Every indicator's open-data files in FOLDER/data; returns path (relative to FOLDER) -> sha256."""
    files = {}
    for info in infos.values():
        mine = rows[rows["indicator"] == info.id]
        meta = metadata(info, mine, release_date, threshold)
        for path in write_indicator(folder / "data", info, mine, meta):
            files[path.relative_to(folder).as_posix()] = _sha256(path)
    return files


def _normalise(frame: pd.DataFrame, infos: dict[str, IndicatorInfo]) -> pd.DataFrame:
    """The catalogue frame with the publication's dtypes; refuses missing columns and unknown indicators."""
    for column in CATALOGUE_COLUMNS:
        if column not in frame.columns:
            raise PublishError(f"indicator frame: missing column {column!r}")
    unknown = sorted(set(frame["indicator"]) - set(infos))
    if unknown:
        raise PublishError(f"indicator frame, column 'indicator': {unknown[0]!r} is not in the catalogue")
    out = frame.copy()
    out["month"] = pd.to_datetime(out["month"])
    out["municipality"] = out["municipality"].astype("Int64")
    for column in ("numerator", "denominator", "value"):
        out[column] = out[column].astype("Float64")
    for column in ("akasse", "group"):
        out[column] = out[column].astype("object").where(out[column].notna(), None)
    return out


def _flagged(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with a `flag` for every suppressed cell, whose numbers are then emptied (never published)."""
    if "flag" not in rows.columns:
        raise PublishError("indicator frame: missing column 'flag' (disclosure control was not applied)")
    out = rows.copy()
    out["flag"] = out["flag"].astype("object").where(out["flag"].notna(), None)
    if "suppressed" in out.columns:
        unflagged = out["suppressed"].fillna(False).astype(bool) & out["flag"].isna()
        if unflagged.any():
            raise PublishError(
                f"indicator frame, column 'flag': suppressed row {int(unflagged.idxmax())} has no flag"
            )
        out = out.drop(columns="suppressed")
    hidden = out["flag"].notna()
    for column in ("numerator", "denominator", "value"):
        out[column] = out[column].mask(hidden)
    return out


def _status(rows: pd.DataFrame, first: dict[dt.date, dt.date], release_date: dt.date) -> pd.Series:
    """provisional/final per row; whole-period totals are provisional while any month is."""
    by_month = {pd.Timestamp(m): month_status(f, release_date) for m, f in first.items()}
    status = rows["month"].map(by_month)
    totals = PROVISIONAL if PROVISIONAL in by_month.values() else FINAL
    return status.where(rows["month"].notna(), totals).astype("object")


def _snapshot(site: Path, previous: Manifest) -> pd.DataFrame:
    path = site / RELEASES / previous.release_date.isoformat() / SNAPSHOT
    if not path.exists():
        raise ReleaseError(
            f"{path} not found: cannot compute revisions against release {previous.release_date}"
        )
    return pd.read_parquet(path)


def _check_target(site: Path) -> None:
    if site.exists() and not site.is_dir():
        raise PublishError(f"--out {site}: is a file, not a folder")
    if site.is_dir() and any(site.iterdir()) and not (site / MARKER).exists():
        raise PublishError(
            f"--out {site}: folder exists and is not an akasse site (no {MARKER}); choose a new folder"
        )


def _copy_history(site: Path, stage: Path, history: list[Manifest]) -> None:
    """Earlier releases into the new site as hard links (releases never change once written)."""
    for manifest in history:
        name = manifest.release_date.isoformat()
        shutil.copytree(site / RELEASES / name, stage / RELEASES / name, copy_function=_link)


def _link(source: str, target: str) -> Any:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target


@contextmanager
def _staging(site: Path) -> Iterator[Path]:
    """A fresh folder beside SITE; swapped in for SITE when the block succeeds, removed when it fails."""
    site.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-", dir=site.parent))
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    _swap(stage, site)


def _swap(stage: Path, site: Path) -> None:
    """Replace SITE by the staged folder with two renames (the old site is put back if the second fails)."""
    if not site.exists():
        os.replace(stage, site)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-", dir=site.parent)) / "site"
    os.replace(site, old)
    try:
        os.replace(stage, site)
    except OSError:
        os.replace(old, site)
        shutil.rmtree(stage, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(old.parent, ignore_errors=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
