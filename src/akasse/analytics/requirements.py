"""Requirements met on time, from the vectorised rule interpreter: the bridge between Ibis and NumPy.

The interpreter (`akasse.domain.plan_vector`) runs in NumPy, so the spells and their conversations are
fetched from the backend once, planned with the rulebook of each spell's group, and the requirements go
back to the backend as an in-memory table that the indicators aggregate like any other.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from akasse.domain.choices import Group, Purpose
from akasse.domain.plan_vector import plan_matrix
from akasse.domain.rulebook import Rulebook
from akasse.rulebooks import load_rulebook

#: The rulebook each group's requirements are read from.
RULEBOOK_BY_GROUP = {Group.TRIAL.value: "trial-2020", Group.NORMAL.value: "normal-2020"}


def requirement_plans(conversations: ir.Table, spells: ir.Table, first: dt.date, last: dt.date) -> pa.Table:
    """spell_id, purpose, index, deadline, met_by, on_time of the requirements due in [first, last] and by
    the end of the spell's contact period, by the vectorised interpreter and the group's rulebook.

    `spells` needs spell_id, group, unemployed_from, notice_date and contact_to; conversations after
    `last` are not seen."""
    parts = []
    for group, rulebook_id in RULEBOOK_BY_GROUP.items():
        members = spells.filter(spells.group == group).select(
            "spell_id", "unemployed_from", "notice_date", "contact_to"
        )
        numbered = members.mutate(row=ibis.row_number().over(order_by=members.spell_id))
        held = conversations.inner_join(numbered.select("spell_id", "row"), "spell_id").select(
            "row", "date", **{p.value: conversations.purposes.contains(p.value) for p in Purpose}
        )
        spell_rows = numbered.order_by("row").to_pyarrow()
        if not spell_rows.num_rows:
            continue
        parts.append(_plans(load_rulebook(rulebook_id), spell_rows, held.to_pyarrow(), first, last))
    if not parts:
        return pa.table({"spell_id": pa.array([], pa.string()), **_EMPTY_PLAN})
    return pa.concat_tables(parts)


_EMPTY_PLAN = {
    "purpose": pa.array([], pa.string()),
    "index": pa.array([], pa.int64()),
    "deadline": pa.array([], pa.date32()),
    "met_by": pa.array([], pa.date32()),
    "on_time": pa.array([], pa.bool_()),
}


def _plans(rulebook: Rulebook, spells: pa.Table, held: pa.Table, first: dt.date, last: dt.date) -> pa.Table:
    n = spells.num_rows
    matrix = plan_matrix(
        rulebook,
        unemployed_from=_days(spells["unemployed_from"]),
        notice_date=_days(spells["notice_date"]),
        as_of=np.full(n, np.datetime64(last, "D")),
        conversation_spell=held["row"].to_numpy().astype(np.int64),
        conversation_date=_days(held["date"]),
        conversation_purposes={p: held[p.value].to_numpy(zero_copy_only=False).astype(bool) for p in Purpose},
    )
    reqs = matrix.requirements
    until = np.minimum(_days(spells["contact_to"]), np.datetime64(last, "D"))[:, None]
    keep = (matrix.deadline >= np.datetime64(first, "D")) & (matrix.deadline <= until)
    rows, columns = np.nonzero(keep)
    deadline, met_by = matrix.deadline[keep], matrix.met_by[keep]
    return pa.table(
        {
            "spell_id": spells["spell_id"].combine_chunks().take(pa.array(rows)),
            "purpose": pa.array(
                np.array([r.purpose.value for r in reqs], dtype=object)[columns], pa.string()
            ),
            "index": pa.array(np.array([r.index for r in reqs], dtype=np.int64)[columns], pa.int64()),
            "deadline": pa.array(deadline, pa.date32()),
            "met_by": pa.array(met_by, pa.date32(), from_pandas=True),
            "on_time": pa.array(~np.isnat(met_by) & (met_by <= deadline)),
        }
    )


def _days(column: pa.ChunkedArray) -> npt.NDArray[np.datetime64]:
    return column.to_numpy(zero_copy_only=False).astype("datetime64[D]")
