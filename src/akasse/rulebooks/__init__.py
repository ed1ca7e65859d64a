"""The shipped rulebooks (TOML), one per regime; `load_rulebook("trial-2020")` reads one."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from akasse.domain.rulebook import Rulebook, RulebookError


def available_rulebooks() -> list[str]:
    """Ids of the shipped rulebooks, sorted."""
    return sorted(
        p.name.removesuffix(".toml") for p in resources.files(__name__).iterdir() if p.name.endswith(".toml")
    )


@cache
def load_rulebook(rulebook_id: str) -> Rulebook:
    """The shipped rulebook `rulebook_id`; RulebookError names the known ones when it does not exist."""
    if rulebook_id not in available_rulebooks():
        raise RulebookError(f"unknown rulebook {rulebook_id!r} (known: {', '.join(available_rulebooks())})")
    text = resources.files(__name__).joinpath(f"{rulebook_id}.toml").read_text(encoding="utf-8")
    return Rulebook.from_dict(tomllib.loads(text))
