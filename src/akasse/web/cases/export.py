"""`akasse export events --out DIR`: the case database as the pseudonymised event tables (akasse.events).

person_id is HMAC-SHA256 of the CPR number under settings.AKASSE_PSEUDONYM_KEY (from the environment, never in
the repository); spell and conversation ids are keyed hashes of the database ids, so no database id, CPR
number or name leaves the database. Without a key the export is refused, except under DEBUG, where a random
one-off key is used (its ids then link to no other export).
weekly_status is written empty: weekly employment comes from the registers, not from the case system.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from django.conf import settings

from akasse.events import CONVERSATIONS, PERSONS, SPELLS, WEEKLY_STATUS, write_tables
from akasse.web.cases import clock
from akasse.web.cases.choices import AuditAction
from akasse.web.cases.models import AuditEntry, Conversation, Member, Spell

MIN_KEY_LENGTH = 32  # characters; a shorter key makes the hash guessable over the small space of CPR numbers


class ExportRefused(RuntimeError):
    """The export cannot run safely (no or too short pseudonym key); nothing was written."""


@dataclass(frozen=True)
class ExportResult:
    paths: dict[str, Path]
    rows: dict[str, int]
    one_off_key: bool  # True when DEBUG made up a random key


def pseudonym_key() -> tuple[bytes, bool]:
    """(key, one-off): the configured key, or under DEBUG a random one; ExportRefused otherwise."""
    key = getattr(settings, "AKASSE_PSEUDONYM_KEY", "")
    if key:
        if len(key) < MIN_KEY_LENGTH:
            raise ExportRefused(
                f"AKASSE_PSEUDONYM_KEY is {len(key)} characters; at least {MIN_KEY_LENGTH} are needed"
            )
        return key.encode(), False
    if settings.DEBUG:
        return secrets.token_bytes(32), True
    raise ExportRefused(
        "AKASSE_PSEUDONYM_KEY is not set: export refused (set it in the environment, e.g. "
        "`export AKASSE_PSEUDONYM_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')`)"
    )


def pseudonym(key: bytes, value: str) -> str:
    """The keyed hash (HMAC-SHA256, hex) that stands in for `value` in every exported table."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def export_events(out: Path) -> ExportResult:
    """Write persons, spells, conversations (and an empty weekly_status) to OUT through akasse.events."""
    key, one_off = pseudonym_key()
    person_of_member: dict[object, str] = {}
    persons: dict[str, tuple[object, ...]] = {}
    for pk, cpr, birth_date, sex, education in (
        Member.objects.order_by("updated_at", "pk")
        .values_list("pk", "cpr", "birth_date", "sex", "education")
        .iterator(chunk_size=10_000)
    ):
        person = pseudonym(key, cpr)
        person_of_member[pk] = person
        persons[person] = (person, birth_date, sex, education)  # one row per person: the latest record wins
    spells = [
        (pseudonym(key, f"spell:{pk}"), person_of_member[member], *rest)
        for pk, member, *rest in Spell.objects.order_by("pk")
        .values_list(
            "pk",
            "member_id",
            "member__akasse__code",
            "member__municipality",
            "notice_date",
            "unemployed_from",
            "unemployed_to",
            "group",
            "covered_from",
            "covered_to",
            "visited_on",
            "exit_reason",
            "referral_reason",
        )
        .iterator(chunk_size=10_000)
    ]
    conversations = [
        (
            pseudonym(key, f"conversation:{pk}"),
            pseudonym(key, f"spell:{spell}"),
            person_of_member[member],
            *rest,
        )
        for pk, spell, member, *rest in Conversation.objects.order_by("pk")
        .values_list(
            "pk", "spell_id", "spell__member_id", "date", "held_by", "purposes", "mode", "jobs_presented"
        )
        .iterator(chunk_size=10_000)
    ]
    frames = {
        "persons": _frame(PERSONS.schema, list(persons.values())),
        "spells": _frame(SPELLS.schema, spells),
        "conversations": _frame(CONVERSATIONS.schema, conversations),
        "weekly_status": _frame(WEEKLY_STATUS.schema, []),
    }
    paths = write_tables(out, frames)
    AuditEntry.objects.create(
        actor=None,
        organisation=None,
        role="",
        member=None,
        action=AuditAction.EXPORT,
        reason=f"events to {out}"[:200],
        at=clock.now(),
    )
    return ExportResult(paths, {name: frame.num_rows for name, frame in frames.items()}, one_off)


def _frame(schema: pa.Schema, rows: list[tuple[object, ...]]) -> pa.Table:
    """Rows (tuples in the schema's column order) as a PyArrow table of that schema."""
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
    return pa.Table.from_arrays(
        [pa.array(list(c), type=f.type) for c, f in zip(columns, schema, strict=True)], schema=schema
    )
