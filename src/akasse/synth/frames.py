"""The drawn arrays as PyArrow tables with the event tables' columns (akasse.events validates, writes).

Repeated strings (a-kasse codes, statuses, ids in the weekly panel) are built as dictionary arrays over
their few values; the contract's validation turns them into plain strings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from akasse.domain.choices import Sex
from akasse.domain.plan_vector import Dates
from akasse.synth.conversations import HOLDERS, MODES, PURPOSES, Conversations
from akasse.synth.ids import numbered
from akasse.synth.panel import STATUSES, WEEKS, Panel
from akasse.synth.population import AKASSER, EDUCATIONS, MUNICIPALITIES, Ints, Persons
from akasse.synth.trial import EXIT_REASONS, NONE, REFERRAL_REASONS


def coded(codes: Ints, values: Sequence[str]) -> pa.DictionaryArray:
    """Integer codes into `values` as a dictionary array; NONE (-1) is null."""
    indices = pa.array(codes.astype(np.int32), mask=codes == NONE)
    return pa.DictionaryArray.from_arrays(indices, pa.array([str(v) for v in values]))


def dates(days: Dates) -> pa.Array:
    """datetime64[D] (NaT = null) as date32: days since 1970 as int32, one copy, no per-value conversion."""
    values = days.astype("datetime64[D]", copy=False)
    missing = np.isnat(values)
    number = pa.array(values.view(np.int64).astype(np.int32), mask=missing if missing.any() else None)
    return number.view(pa.date32())


def persons_table(ids: pa.Array, persons: Persons) -> pa.Table:
    return pa.table(
        {
            "person_id": ids,
            "birth_date": dates(persons.birth_date),
            "sex": coded(np.where(persons.female, 0, 1), [Sex.FEMALE, Sex.MALE]),
            "education": coded(persons.education, EDUCATIONS),
        }
    )


def spell_codes(
    akasse: Ints, municipality: Ints, trial: npt.NDArray[np.bool_], exit_reason: Ints, referral_reason: Ints
) -> dict[str, pa.Array]:
    return {
        "akasse": coded(akasse, AKASSER),
        "municipality": pa.array(np.array(MUNICIPALITIES, dtype=np.int16)[municipality]),
        "group": coded(np.where(trial, 0, 1), ["trial", "normal"]),
        "exit_reason": coded(exit_reason, EXIT_REASONS),
        "referral_reason": coded(referral_reason, REFERRAL_REASONS),
    }


def conversations_table(conv: Conversations, spell_ids: pa.Array, person_ids: pa.Array) -> pa.Table:
    """Conversations with ids `SPELL-NN` numbered in date order within their spell."""
    n = len(conv.spell)
    first = np.r_[True, conv.spell[1:] != conv.spell[:-1]] if n else np.zeros(0, bool)
    start = np.maximum.accumulate(np.where(first, np.arange(n), 0)) if n else np.zeros(0, np.int64)
    number = np.arange(n) - start + 1
    rows, cols = np.nonzero(conv.purposes)
    offsets = np.r_[0, np.cumsum(conv.purposes.sum(axis=1))].astype(np.int32)
    names = pc.take(pa.array([p.value for p in PURPOSES]), pa.array(cols))
    spell = pa.array(conv.spell)
    return pa.table(
        {
            "conversation_id": numbered(pc.take(spell_ids, spell), number),
            "spell_id": pc.take(spell_ids, spell),
            "person_id": pc.take(person_ids, spell),
            "date": dates(conv.date),
            "held_by": coded(conv.held_by, HOLDERS),
            "purposes": pa.ListArray.from_arrays(pa.array(offsets), names),
            "mode": coded(conv.mode, MODES),
            "jobs_presented": pa.array(conv.jobs_presented.astype(np.int16)),
        }
    )


def weekly_table(panel: Panel, spell_ids: pa.Array, person_ids: pa.Array) -> pa.Table:
    """One row per spell and week (52 weeks from the Monday of U's week); ids as dictionary arrays."""
    n = len(panel.first_monday)
    row = np.repeat(np.arange(n, dtype=np.int32), WEEKS)
    first = panel.first_monday.astype("datetime64[D]", copy=False).view(np.int64).astype(np.int32)
    week = (first[:, None] + np.arange(0, 7 * WEEKS, 7, dtype=np.int32)[None, :]).ravel()  # days since 1970
    return pa.table(
        {
            "person_id": pa.DictionaryArray.from_arrays(pa.array(row), person_ids),
            "spell_id": pa.DictionaryArray.from_arrays(pa.array(row), spell_ids),
            "week": pa.array(week).view(pa.date32()),
            "status": pa.DictionaryArray.from_arrays(
                pa.array(panel.status.ravel()), pa.array([s.value for s in STATUSES])
            ),
        }
    )
