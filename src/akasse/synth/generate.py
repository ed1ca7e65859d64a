"""`generate`: draw the synthetic population and write its event tables (persons, spells, conversations,
weekly_status) through `akasse.events`.

Each step draws from its own stream of the seed (NumPy SeedSequence), so the same seed and scale give
the same bytes. The tables are written to a temporary folder beside OUT and moved in only when all four
passed validation: a failure leaves OUT as it was. The weekly panel, the largest table, is validated and
written in a second thread while the conversations are drawn (NumPy and PyArrow release the GIL).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from akasse.domain.coverage import ReferralRules
from akasse.domain.plan_vector import NAT
from akasse.events import CORE_TABLES, write_tables
from akasse.reference import trial_config
from akasse.synth.conversations import Conversations, draw_contact_process, draw_notice_only
from akasse.synth.frames import conversations_table, dates, persons_table, spell_codes, weekly_table
from akasse.synth.ids import pseudonyms
from akasse.synth.panel import Panel, base_panel, plant_effect
from akasse.synth.parameters import Effects, Parameters, load_effects, load_parameters
from akasse.synth.population import AKASSER, Spells, draw_population
from akasse.synth.trial import Trial, assign_trial, trial_area

#: National size is 1.0; `small` is 1/50 of it.
SCALES = {"national": 1.0, "small": 1 / 50}
#: One stream of the seed per step: changing one step's draws leaves the others' as they were.
_POPULATION, _TRIAL, _PANEL, _CONVERSATIONS, _IDS = range(5)
_STEPS = (
    "Personer og forløb (persons and spells)",
    "Forsøg, visitation og afgang (trial, visitation, exits)",
    "Beskæftigelsespanel med effekt (weekly panel, planted effect)",
    "Samtaler efter regelsættene (conversations through the rulebooks)",
    "Tabeller valideres og skrives (validating and writing tables)",
)


@dataclass(frozen=True)
class Generated:
    """What was written: rows per table."""

    rows: dict[str, int]


def generate(
    out: str | Path,
    *,
    scale: float,
    seed: int,
    parameters: Parameters | None = None,
    effects: Effects | None = None,
    progress: bool = True,
) -> Generated:
    """Draw a population of `scale` × the national size from `seed` and write its event tables to `out`."""
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    params = parameters or load_parameters()
    planted = effects or load_effects()

    def stream(step: int) -> np.random.Generator:
        return np.random.default_rng([seed, step])

    with _progress(progress) as advance, _jemalloc(), _Staging(Path(out)) as staging:
        persons, spells = draw_population(params, scale, stream(_POPULATION))
        id_stream = stream(_IDS)
        person_ids = pseudonyms(len(persons.birth_date), id_stream)
        spell_ids = pseudonyms(len(spells.person), id_stream)
        spell_person_ids = person_ids.take(pa.array(spells.person))
        staging.write("persons", lambda: persons_table(person_ids, persons))
        advance()
        trial = assign_trial(params, trial_config(), ReferralRules(), persons, spells, stream(_TRIAL))
        advance()
        with_u = np.flatnonzero(~np.isnat(spells.unemployed_from))
        panel = _panel(params, planted, spells, trial, with_u, stream(_PANEL))
        # The panel is the largest table: it is validated and written while the conversations are drawn.
        staging.write(
            "weekly_status",
            lambda: weekly_table(
                panel, spell_ids.take(pa.array(with_u)), spell_person_ids.take(pa.array(with_u))
            ),
            background=True,
        )
        duration = spells.duration_days.copy()
        duration[with_u] = panel.duration_days
        advance()
        conversations = _conversations(params, spells, trial, duration, stream(_CONVERSATIONS))
        advance()
        staging.write(
            "spells", lambda: _spells_table(params, spells, trial, duration, spell_ids, spell_person_ids)
        )
        staging.write(
            "conversations", lambda: conversations_table(conversations, spell_ids, spell_person_ids)
        )
        rows = staging.commit()
        advance()
    return Generated(rows)


def _panel(
    params: Parameters,
    planted: Effects,
    spells: Spells,
    trial: Trial,
    with_u: np.ndarray,
    rng: np.random.Generator,
) -> Panel:
    u = spells.unemployed_from[with_u]
    panel = base_panel(u, spells.duration_days[with_u], rng.random(len(with_u)) < params.other_share)
    in_period = (u >= np.datetime64(planted.period_from)) & (u <= np.datetime64(planted.period_to))
    area = trial_area(trial_config(), spells.akasse[with_u], spells.municipality[with_u])
    for code, points in planted.points.items():
        cell = (spells.akasse[with_u] == AKASSER.index(code)) & area & in_period
        panel = plant_effect(
            panel, u, cell=cell, treated=trial.trial[with_u], points=points, label=code, rng=rng
        )
    return panel


def _conversations(
    params: Parameters, spells: Spells, trial: Trial, duration: np.ndarray, rng: np.random.Generator
) -> Conversations:
    """Trial spells through the trial rulebook within their coverage; the rest through the normal one,
    including trial members still unemployed after their coverage ended."""
    u = spells.unemployed_from
    has_u = ~np.isnat(u)
    last_unemployed = np.minimum(u + (duration - 1).astype("timedelta64[D]"), np.datetime64(params.as_of))
    in_trial = np.flatnonzero(trial.trial & has_u)
    notice_only = np.flatnonzero(trial.trial & ~has_u)
    normal = np.flatnonzero(~trial.trial & has_u)
    # Trial members still unemployed when coverage ends (hand-over, referral, move, switch) go on in the
    # normal effort: its conversations after the last covered day.
    after = np.flatnonzero(trial.trial & has_u & (last_unemployed > trial.covered_to))
    parts = [
        draw_contact_process(
            params.trial,
            unemployed_from=u[in_trial],
            notice_date=spells.notice_date[in_trial],
            first_day=trial.covered_from[in_trial],
            last_day=trial.covered_to[in_trial],
            rng=rng,
        ),
        draw_notice_only(
            params.trial,
            notice_date=spells.notice_date[notice_only],
            last_day=trial.covered_to[notice_only],
            rng=rng,
        ),
        draw_contact_process(
            params.normal,
            unemployed_from=u[normal],
            notice_date=spells.notice_date[normal],
            first_day=u[normal],
            last_day=last_unemployed[normal],
            rng=rng,
        ),
        draw_contact_process(
            params.normal,
            unemployed_from=u[after],
            notice_date=spells.notice_date[after],
            first_day=trial.covered_to[after] + np.timedelta64(1, "D"),
            last_day=last_unemployed[after],
            rng=rng,
        ),
    ]
    return Conversations.concat(parts, [in_trial, notice_only, normal, after])


def _spells_table(
    params: Parameters,
    spells: Spells,
    trial: Trial,
    duration: np.ndarray,
    spell_ids: pa.Array,
    person_ids: pa.Array,
) -> pa.Table:
    u = spells.unemployed_from
    last = u + (duration - 1).astype("timedelta64[D]")
    ended = ~np.isnat(u) & (last <= np.datetime64(params.as_of))
    codes = spell_codes(
        spells.akasse, spells.municipality, trial.trial, trial.exit_reason, trial.referral_reason
    )
    return pa.table(
        {
            "spell_id": spell_ids,
            "person_id": person_ids,
            "akasse": codes["akasse"],
            "municipality": codes["municipality"],
            "notice_date": dates(spells.notice_date),
            "unemployed_from": dates(u),
            "unemployed_to": dates(np.where(ended, last, NAT)),
            "group": codes["group"],
            "covered_from": dates(trial.covered_from),
            "covered_to": dates(trial.covered_to),
            "visited_on": dates(trial.visited_on),
            "exit_reason": codes["exit_reason"],
            "referral_reason": codes["referral_reason"],
        }
    )


class _Staging:
    """Tables validated and written into a temporary folder beside OUT, moved into OUT only by `commit`.

    A failure anywhere leaves OUT as it was (other files in it are never touched).
    """

    def __init__(self, out: Path):
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)  # OUT itself only appears on commit
        self.folder = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.pending: dict[str, Future[int]] = {}

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, *_: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def write(self, name: str, build: Callable[[], pa.Table], *, background: bool = False) -> None:
        """Build, validate and write one table (in the background thread when asked)."""
        self.pending[name] = (
            self.pool.submit(self._write, name, build) if background else _done(self._write(name, build))
        )

    def _write(self, name: str, build: Callable[[], pa.Table]) -> int:
        data = build()
        write_tables(self.folder, {name: data})
        return int(data.num_rows)

    def commit(self) -> dict[str, int]:
        """Wait for every table, then move them all into OUT; rows per table."""
        rows = {name: future.result() for name, future in self.pending.items()}
        self.out.mkdir(exist_ok=True)
        for name in rows:
            os.replace(self.folder / f"{name}.parquet", self.out / f"{name}.parquet")
        return {name: rows[name] for name in CORE_TABLES}


def _done(value: int) -> Future[int]:
    future: Future[int] = Future()
    future.set_result(value)
    return future


@contextmanager
def _jemalloc() -> Iterator[None]:
    """PyArrow's jemalloc pool while generating, when PyArrow has it: the default mimalloc gives the large
    tables' pages back to the OS and faults them in again, which cost a third more system time here."""
    previous = pa.default_memory_pool()
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # a PyArrow built without jemalloc
        yield
        return
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


@contextmanager
def _progress(show: bool) -> Iterator[Callable[[], None]]:
    """A Rich progress bar over the steps (nothing shown when `show` is False)."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        disable=not show,
        transient=False,
    ) as bar:
        task = bar.add_task(_STEPS[0], total=len(_STEPS))
        done = 0

        def advance() -> None:
            nonlocal done
            done += 1
            bar.update(task, completed=done, description=_STEPS[min(done, len(_STEPS) - 1)])

        yield advance
