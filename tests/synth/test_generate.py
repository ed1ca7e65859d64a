"""The generator's output: same seed → same bytes, the event-table contract, references between tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from akasse.events import CORE_TABLES, check_directory
from akasse.synth.generate import SCALES, generate
from akasse.synth.panel import WEEKS, EffectError
from akasse.synth.parameters import load_effects
from tests.synth.conftest import SMALL_SEED


def _bytes(directory: Path) -> dict[str, bytes]:
    return {name: (directory / f"{name}.parquet").read_bytes() for name in CORE_TABLES}


def test_same_seed_gives_the_same_bytes(small_dir: Path, tmp_path: Path) -> None:
    generate(tmp_path, scale=SCALES["small"], seed=SMALL_SEED, progress=False)
    assert _bytes(tmp_path) == _bytes(small_dir)


def test_another_seed_gives_other_data(small_dir: Path, tmp_path: Path) -> None:
    generate(tmp_path, scale=SCALES["small"], seed=SMALL_SEED + 1, progress=False)
    assert all(a != b for a, b in zip(_bytes(tmp_path).values(), _bytes(small_dir).values(), strict=True))


def test_tables_keep_the_contract(small_dir: Path, small: dict[str, pd.DataFrame]) -> None:
    assert set(check_directory(small_dir)) == set(CORE_TABLES)
    # `small` was read through events.read_table, which validates every value; the sizes are plausible.
    assert 25_000 < len(small["persons"]) < 45_000
    assert len(small["spells"]) > len(small["persons"])


def test_ids_are_unique_and_references_resolve(small: dict[str, pd.DataFrame]) -> None:
    persons, spells, conversations = small["persons"], small["spells"], small["conversations"]
    assert (
        persons.person_id.is_unique and spells.spell_id.is_unique and conversations.conversation_id.is_unique
    )
    assert spells.person_id.isin(persons.person_id).all()
    assert persons.person_id.isin(spells.person_id).all()
    owner = spells.set_index("spell_id").person_id
    assert (conversations.person_id.to_numpy() == owner.loc[conversations.spell_id].to_numpy()).all()
    assert persons.person_id.str.fullmatch(r"[0-9a-f]{16}").all()


def test_spells_of_one_person_do_not_overlap(small: dict[str, pd.DataFrame]) -> None:
    spells = small["spells"].copy()
    spells["start"] = spells.notice_date.fillna(spells.unemployed_from)
    spells["end"] = spells.unemployed_to.fillna(spells.start)
    spells = spells.sort_values(["person_id", "start"])
    same = spells.person_id.to_numpy()[1:] == spells.person_id.to_numpy()[:-1]
    assert same.sum() > 100  # some persons have two spells
    assert (spells.start.to_numpy()[1:][same] > spells.end.to_numpy()[:-1][same]).all()


def test_panel_has_52_consecutive_mondays_from_the_week_of_u(small: dict[str, pd.DataFrame]) -> None:
    spells, panel = small["spells"], small["weekly_status"]
    with_u = spells[spells.unemployed_from.notna()].set_index("spell_id")
    counts = panel.groupby("spell_id").size()
    assert set(counts.index) == set(with_u.index) and (counts == WEEKS).all()
    first = panel.groupby("spell_id").week.min()
    u = with_u.unemployed_from.loc[first.index]
    assert ((u - first).dt.days.between(0, 6)).all() and (first.dt.day_of_week == 0).all()
    span = panel.groupby("spell_id").week.max() - first
    assert (span.dt.days == 7 * (WEEKS - 1)).all()


def test_starts_fall_in_the_window(small: dict[str, pd.DataFrame]) -> None:
    spells = small["spells"]
    start = spells.notice_date.fillna(spells.unemployed_from)
    assert start.notna().all()
    assert start.min() >= pd.Timestamp("2017-09-01") and start.max() <= pd.Timestamp("2023-01-31")


def test_an_impossible_effect_is_refused_and_leaves_out_as_it_was(small_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "events"
    generate(out, scale=0.01, seed=1, progress=False)
    (out / "notes.txt").write_text("mine")
    before = _bytes(out)
    effects = load_effects()
    impossible = type(effects)(effects.period_from, effects.period_to, {"3F": -95.0})
    with pytest.raises(EffectError, match="3F"):
        generate(out, scale=0.01, seed=2, effects=impossible, progress=False)
    assert _bytes(out) == before and (out / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events"]  # no staging folder left behind
    with pytest.raises(EffectError):
        generate(tmp_path / "new", scale=0.01, seed=2, effects=impossible, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events"]  # a failed first run creates nothing


def test_scale_sets_the_size(tmp_path: Path) -> None:
    rows = [
        generate(tmp_path / str(s), scale=s, seed=3, progress=False).rows["spells"] for s in (0.002, 0.008)
    ]
    assert rows[1] / rows[0] == pytest.approx(4, rel=0.1)
    assert np.isclose(SCALES["small"], 1 / 50)
