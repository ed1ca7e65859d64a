"""The catalogue's declarations (rules, SUMS, SAME) are accepted by disclosure control on the fixture, whose
relations are checked before anything is hidden, and no person count of 1–4 stays visible."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from akasse.analytics.disclosure import protect
from akasse.analytics.indicators import BY_ID, CATALOGUE, SAME, SUMS, compute, rules


def test_protected_catalogue_hides_every_small_person_count(events_dir: Path) -> None:
    frame = compute(events_dir, as_of=dt.date(2022, 1, 31))
    published = protect(frame, rules(CATALOGUE), sums=SUMS, same=SAME).frame
    visible = published[~published.suppressed]
    persons = visible.indicator.map(lambda i: BY_ID[i].numerator_persons).astype(bool)
    small = visible.numerator.between(1, 4).fillna(False).astype(bool)
    assert not (persons & small).any()
    assert published.suppressed.sum() > len(published) // 2  # the fixture is tiny: most cells are small
    assert (published[published.suppressed].numerator.isna()).all()
