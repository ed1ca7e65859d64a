"""Requirements met on time, from the vectorised rule interpreter: the bridge between Ibis and NumPy.

The interpreter (`akasse.domain.plan_vector`) runs in NumPy, so the spells and their conversations are
fetched from the backend once, planned with the rulebook of each spell's group, and the requirements go
back to the backend as an in-memory table that the indicators aggregate like any other.
"""

from __future__ import annotations

import datetime as dt

import ibis.expr.types as ir
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from akasse.domain.choices import Group, Purpose
from akasse.domain.plan_vector import plan_matrix
from akasse.domain.rulebook import Rulebook
from akasse.rulebooks import load_rulebook

#: The rulebook each group's requirements are read from.
RULEBOOK_BY_GROUP = {Group.TRIAL.value: "trial-2020", Group.NORMAL.value: "normal-2020"}


def requirement_plans(
    conversations: ir.Table, spells: ir.Table, first: dt.date, last: dt.date, carry: tuple[str, ...] = ()
) -> pa.Table:
    """The requirements due in [first, last] and by the end of each spell's contact period: the spell's
    `carry` columns, purpose, index, deadline, met_by and on_time (met on or before the deadline), by the
    vectorised interpreter and the rulebook of the spell's group.

    `spells` needs spell_id, group, unemployed_from, notice_date and contact_to. Each table is fetched once;
    conversations are matched to their spell by a hash lookup and those after `last` are not seen. The
    purpose comes back dictionary-encoded (not a string copied into each requirement)."""
    names = list(dict.fromkeys(["spell_id", "group", "unemployed_from", "notice_date", "contact_to", *carry]))
    spell_rows = spells.select(*names).to_pyarrow()
    seen = conversations.filter(conversations.date <= last)
    held = seen.select(
        "spell_id", "date", **{p.value: seen.purposes.contains(p.value) for p in Purpose}
    ).to_pyarrow()
    row = pc.index_in(held["spell_id"], value_set=spell_rows["spell_id"].combine_chunks())
    ours = pc.is_valid(row)
    held, row = held.drop_columns("spell_id").filter(ours), pc.filter(row, ours).to_numpy().astype(np.int64)
    carried = spell_rows.select(list(carry))
    dates = spell_rows.select(["unemployed_from", "notice_date", "contact_to"])
    group = spell_rows["group"].to_numpy(zero_copy_only=False)
    parts = []
    for name, rulebook_id in RULEBOOK_BY_GROUP.items():
        members = np.flatnonzero(group == name)
        if not len(members):
            continue
        local = np.full(spell_rows.num_rows, -1, dtype=np.int64)
        local[members] = np.arange(len(members))
        conversation_spell = local[row]
        mine = conversation_spell >= 0
        spell, plans = _plans(
            load_rulebook(rulebook_id),
            dates.take(members),
            conversation_spell[mine],
            held.filter(mine),
            first,
            last,
        )
        parts.append(_beside(carried.take(members[spell]), plans))
    if not parts:  # no spells: the columns all the same
        return _beside(carried, pa.table(_EMPTY_PLAN))
    return pa.concat_tables(parts)


_EMPTY_PLAN = {
    "purpose": pa.array([], pa.string()),
    "index": pa.array([], pa.int64()),
    "deadline": pa.array([], pa.date32()),
    "met_by": pa.array([], pa.date32()),
    "on_time": pa.array([], pa.bool_()),
}


def _plans(
    rulebook: Rulebook,
    spells: pa.Table,
    conversation_spell: npt.NDArray[np.int64],
    held: pa.Table,
    first: dt.date,
    last: dt.date,
) -> tuple[npt.NDArray[np.int64], pa.Table]:
    """The spells' requirements due in [first, last] inside their contact period: each one's spell (row of
    `spells`) and the requirement's columns."""
    n = spells.num_rows
    matrix = plan_matrix(
        rulebook,
        unemployed_from=_days(spells["unemployed_from"]),
        notice_date=_days(spells["notice_date"]),
        as_of=np.full(n, np.datetime64(last, "D")),
        conversation_spell=conversation_spell,
        conversation_date=_days(held["date"]),
        conversation_purposes={p: held[p.value].to_numpy(zero_copy_only=False).astype(bool) for p in Purpose},
    )
    reqs = matrix.requirements
    until = np.minimum(_days(spells["contact_to"]), np.datetime64(last, "D"))[:, None]
    keep = (matrix.deadline >= np.datetime64(first, "D")) & (matrix.deadline <= until)
    rows, columns = np.nonzero(keep)
    deadline, met_by = matrix.deadline[keep], matrix.met_by[keep]
    purposes = pa.array([r.purpose.value for r in reqs], pa.string())
    return rows, pa.table(
        {
            "purpose": pa.DictionaryArray.from_arrays(pa.array(columns.astype(np.int32)), purposes),
            "index": pa.array(np.array([r.index for r in reqs], dtype=np.int64)[columns], pa.int64()),
            "deadline": pa.array(deadline, pa.date32()),
            "met_by": pa.array(met_by, pa.date32(), from_pandas=True),
            "on_time": pa.array(~np.isnat(met_by) & (met_by <= deadline)),
        }
    )


def _beside(left: pa.Table, right: pa.Table) -> pa.Table:
    """The columns of both tables of the same rows, left's first."""
    return pa.table({name: table[name] for table in (left, right) for name in table.column_names})


def _days(column: pa.ChunkedArray) -> npt.NDArray[np.datetime64]:
    days: npt.NDArray[np.datetime64] = column.to_numpy(zero_copy_only=False)
    return days.astype("datetime64[D]", copy=False)
