"""Shipped reference data (municipalities, a-kasser, trial configuration), read once."""

from __future__ import annotations

import csv
import io
import tomllib
from functools import lru_cache
from importlib import resources

from akasse.domain.reference import Akasse, Municipality, TrialConfig


def _text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def municipalities() -> dict[int, Municipality]:
    """The 98 municipalities by code."""
    rows = csv.DictReader(io.StringIO(_text("municipalities.csv")))
    return {int(r["code"]): Municipality(int(r["code"]), r["name"], r["region"]) for r in rows}


@lru_cache(maxsize=1)
def akasser() -> dict[str, Akasse]:
    """The a-kasser by short code, in file order."""
    data = tomllib.loads(_text("akasser.toml"))
    return {
        a["code"]: Akasse(a["code"], a["name"], bool(a["trial"]), float(a["member_share"]))
        for a in data["akasse"]
    }


@lru_cache(maxsize=1)
def trial_config() -> TrialConfig:
    """The trial's period and, per trial a-kasse, its trial municipalities."""
    data = tomllib.loads(_text("trial.toml"))
    frikommuner = frozenset(int(m) for m in data["frikommuner"]["municipalities"])
    everywhere = frozenset(municipalities())
    by_akasse, scope, assumed = {}, {}, set()
    for entry in data["akasse"]:
        scope[entry["code"]] = entry["scope"]
        by_akasse[entry["code"]] = (
            everywhere - frikommuner if entry["scope"] == "nationwide" else frozenset(entry["municipalities"])
        )
        if entry.get("status") == "assumed":
            assumed.add(entry["code"])
    return TrialConfig(
        start=data["period"]["start"],
        end=data["period"]["end"],
        frikommuner=frikommuner,
        municipalities_by_akasse=by_akasse,
        scope_by_akasse=scope,
        assumed=frozenset(assumed),
    )
