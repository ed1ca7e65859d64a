"""The planted trial effect: exact in the effect cell, zero in weeks 0–25, recovered by a simple DiD."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akasse.events import read_table
from akasse.reference import trial_config
from akasse.synth.generate import generate
from akasse.synth.panel import (
    BENEFIT,
    EFFECT_FROM_WEEK,
    EMPLOYED,
    WEEKS,
    EffectError,
    base_panel,
    plant_effect,
)
from akasse.synth.parameters import Effects, load_effects

SIX = ("3F", "FTFA", "BUPLA", "HK", "MA", "MINAKASSE")
SCALE = 0.05


def _toy(n: int = 4_000) -> tuple[np.ndarray, np.ndarray, np.ndarray, object]:
    rng = np.random.default_rng(5)
    u = np.datetime64("2021-01-01") + rng.integers(0, 700, n).astype("timedelta64[D]")
    duration = np.ceil(90 * np.exp(rng.standard_normal(n))).astype(np.int64)
    cell, treated = rng.random(n) < 0.5, rng.random(n) < 0.9
    return u, cell, treated, base_panel(u, duration, rng.random(n) < 0.1)


@pytest.mark.parametrize("points", [-4.0, -0.5, 0.8])
def test_the_cells_52_week_rate_moves_by_the_points(points: float) -> None:
    u, cell, treated, panel = _toy()
    planted = plant_effect(
        panel, u, cell=cell, treated=treated, points=points, label="X", rng=np.random.default_rng(1)
    )
    employed = lambda p: (p.status[cell] == EMPLOYED).mean()  # noqa: E731
    step = 100 * (WEEKS - EFFECT_FROM_WEEK) / (cell.sum() * WEEKS)  # one spell's largest change
    assert abs(100 * (employed(planted) - employed(panel)) - points) <= step
    assert (planted.status[:, :EFFECT_FROM_WEEK] == panel.status[:, :EFFECT_FROM_WEEK]).all()
    assert (planted.status[~(cell & treated)] == panel.status[~(cell & treated)]).all()


def test_a_positive_effect_ends_unemployment_at_week_26() -> None:
    u, cell, treated, panel = _toy()
    planted = plant_effect(
        panel, u, cell=cell, treated=treated, points=1.0, label="X", rng=np.random.default_rng(1)
    )
    changed = planted.duration_days != panel.duration_days
    assert changed.any() and (planted.duration_days[changed] < panel.duration_days[changed]).all()
    week_26 = planted.first_monday[changed] + np.timedelta64(7 * EFFECT_FROM_WEEK, "D")
    assert (u[changed] + planted.duration_days[changed].astype("timedelta64[D]") == week_26).all()
    assert (planted.status[changed, EFFECT_FROM_WEEK - 1] == BENEFIT).all()
    assert (planted.status[changed, EFFECT_FROM_WEEK] == EMPLOYED).all()


def test_an_effect_beyond_the_model_names_the_akasse() -> None:
    u, cell, treated, panel = _toy()
    with pytest.raises(EffectError, match="BUPLA"):
        plant_effect(
            panel, u, cell=cell, treated=treated, points=-60, label="BUPLA", rng=np.random.default_rng(1)
        )


def test_default_effects_pool_to_about_minus_one_point() -> None:
    """The shipped defaults, weighted by each a-kasse's expected treated spells, pool to ≈ −1 point."""
    from akasse.reference import akasser
    from akasse.synth.parameters import load_parameters

    params, effects, config = load_parameters(), load_effects(), trial_config()
    total = sum(params.population.values())
    weight = {
        a: akasser()[a].member_share
        * sum(params.population[m] for m in config.municipalities_by_akasse[a])
        / total
        for a in SIX
    }
    pooled = sum(weight[a] * effects.points[a] for a in SIX) / sum(weight.values())
    assert -1.3 <= pooled <= -0.7
    assert effects.points["FTFA"] < -2 and effects.points["BUPLA"] < -2 and effects.points["3F"] > 0


def _did(directory: Path) -> dict[str, tuple[float, float]]:
    """DiD pooled over the six: trial vs other municipalities, Sep 2020–Jan 2023 vs Sep 2017–Jan 2020.

    Returns {"52": (estimate, se), "26": (…)} in points of the employment rate over the first 52/26 weeks.
    """
    spells = read_table(directory, "spells").to_pandas(date_as_object=False)
    panel = read_table(directory, "weekly_status").to_pandas(date_as_object=False)
    panel["n"] = panel.groupby("spell_id").cumcount()
    panel["employed"] = panel.status == "employed"
    outcome = pd.DataFrame(
        {
            "52": panel.groupby("spell_id").employed.mean(),
            "26": panel[panel.n < 26].groupby("spell_id").employed.mean(),
        }
    )
    data = spells.join(outcome, on="spell_id", how="inner")
    data["post"] = data.unemployed_from.between(pd.Timestamp("2020-09-01"), pd.Timestamp("2023-01-31"))
    data["pre"] = data.unemployed_from.between(pd.Timestamp("2017-09-01"), pd.Timestamp("2020-01-31"))
    data = data[data.akasse.isin(SIX) & (data.post | data.pre)]
    config = trial_config()
    data["treat"] = [
        m in config.municipalities_by_akasse[a] for a, m in zip(data.akasse, data.municipality, strict=True)
    ]
    result = {}
    for horizon in ("52", "26"):
        estimates, variances, weights = [], [], []
        for _, one in data.groupby("akasse"):
            cells = one.groupby(["treat", "post"])[horizon].agg(["mean", "var", "count"])
            m = cells["mean"]
            estimates.append((m[True, True] - m[True, False]) - (m[False, True] - m[False, False]))
            variances.append((cells["var"] / cells["count"]).sum())
            weights.append(cells["count"][True, True])
        w = np.array(weights) / sum(weights)
        result[horizon] = (100 * float(w @ estimates), 100 * float(np.sqrt(w**2 @ variances)))
    return result


@pytest.mark.parametrize("points", [-8.0, 0.0])
def test_a_simple_did_recovers_the_planted_effect(tmp_path: Path, points: float) -> None:
    effects = load_effects()
    generate(
        tmp_path,
        scale=SCALE,
        seed=17,
        effects=Effects(effects.period_from, effects.period_to, dict.fromkeys(SIX, points)),
        progress=False,
    )
    did = _did(tmp_path)
    estimate, se = did["52"]
    assert abs(estimate - points) <= 4 * se
    if points:
        assert estimate + 3 * se < 0  # clearly negative
    assert abs(did["26"][0]) <= 4 * did["26"][1]  # no effect over the first 26 weeks


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(150, 600),
    points=st.floats(-3.0, 0.5).filter(lambda p: abs(p) > 0.01),
)
def test_planting_invariants(seed: int, n: int, points: float) -> None:
    """Any feasible effect: weeks 0–25 and untreated spells unchanged, the cell's rate moved by the points."""
    rng = np.random.default_rng(seed)
    u = np.datetime64("2021-01-01") + rng.integers(0, 700, n).astype("timedelta64[D]")
    duration = np.ceil(90 * np.exp(rng.standard_normal(n))).astype(np.int64)
    cell, treated = rng.random(n) < 0.7, rng.random(n) < 0.9
    panel = base_panel(u, duration, rng.random(n) < 0.1)
    planted = plant_effect(panel, u, cell=cell, treated=treated, points=points, label="X", rng=rng)
    assert (planted.status[:, :EFFECT_FROM_WEEK] == panel.status[:, :EFFECT_FROM_WEEK]).all()
    assert (planted.status[~(cell & treated)] == panel.status[~(cell & treated)]).all()
    moved = 100 * ((planted.status[cell] == EMPLOYED).mean() - (panel.status[cell] == EMPLOYED).mean())
    assert abs(moved - points) <= 100 * (WEEKS - EFFECT_FROM_WEEK) / (cell.sum() * WEEKS)
