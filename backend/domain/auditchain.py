"""The audit hash chain: canonical bytes of an audit entry, the link hash, and the walk that
finds a chain's first broken link.

Each hall's chain is a sequence of seals numbered 1, 2, 3, … in the order they were sealed;
seal ``n`` holds ``SHA-256(prefix, hash of seal n-1, n, canonical entry)``, seal 1 chains to
``GENESIS``. Changing, removing or re-ordering a sealed entry breaks every later link unless the
whole rest of the chain is recomputed, which a head hash written down elsewhere exposes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
NO_HALL = 0  # the chain of entries without a hall (command-line actions)
_PREFIX = b"onestop-audit-v1\n"

FIELDS = (
    "id",
    "hall_id",
    "at",
    "actor",
    "user_id",
    "device_id",
    "action",
    "entity",
    "entity_id",
    "request_id",
    "details",
)

PROBLEMS = {
    "row_missing": ("审计记录已不存在", "the sealed audit entry is missing"),
    "row_changed": ("审计记录在封印后被改动", "the audit entry was changed after it was sealed"),
    "seal_changed": ("封印哈希被改动", "the seal's hash was changed"),
    "hash_mismatch": (
        "审计记录或其封印被改动",
        "the audit entry or its seal was changed",
    ),
    "seal_missing": ("封印缺失（链序号不连续）", "a seal is missing (gap in the chain)"),
    "seal_duplicated": ("封印重复", "a chain number or an audit entry is sealed twice"),
    "unsealed": ("审计记录长时间未封印", "an audit entry has not been sealed in time"),
}


def hall_key(hall_id: int | None) -> int:
    return NO_HALL if hall_id is None else hall_id


def canonical_time(at: datetime) -> str:
    """ISO 8601 in UTC with microseconds: the same text whatever the database returned."""
    if at.tzinfo is None:
        raise ValueError("audit time without a time zone")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(entry: dict[str, Any]) -> bytes:
    """The entry's content as canonical JSON (sorted keys, no spaces, UTF-8)."""
    content = {name: entry[name] for name in FIELDS}
    content["at"] = canonical_time(entry["at"])
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def link_hash(previous: str, seq: int, entry: dict[str, Any]) -> str:
    digest = hashlib.sha256(_PREFIX)
    digest.update(f"{previous}\n{seq}\n".encode("ascii"))
    digest.update(canonical(entry))
    return digest.hexdigest()


def extend(head: tuple[int, str], entries: Iterable[dict[str, Any]]) -> Iterator[tuple[int, str]]:
    """The links (seq, hash) that append ``entries``, in order, to a chain whose last link is
    ``head`` (``(0, GENESIS)`` for an empty chain)."""
    seq, previous = head
    for entry in entries:
        seq += 1
        previous = link_hash(previous, seq, entry)
        yield seq, previous


@dataclass(frozen=True)
class Seal:
    seq: int
    audit_id: int
    hash: str


@dataclass(frozen=True)
class Break:
    """The first link that does not hold, and why (a key of ``PROBLEMS``)."""

    seq: int | None
    audit_id: int | None
    problem: str
    detail: str = ""

    def describe(self) -> str:
        zh, en = PROBLEMS[self.problem]
        where = f"链序号 / seq {self.seq}" if self.seq is not None else "未封印 / unsealed"
        text = f"{where}, 审计记录 / audit id {self.audit_id}: {zh} / {en}"
        return f"{text} ({self.detail})" if self.detail else text


@dataclass(frozen=True)
class ChainResult:
    count: int  # links verified before the break (all of them when intact)
    head: str  # hash of the last verified link (GENESIS for an empty chain)
    broken: Break | None = None


def verify_chain(links: Iterable[tuple[Seal, dict[str, Any] | None]]) -> ChainResult:
    """Walk one chain in seal order; ``links`` pairs each seal with its live audit row (None
    when the row is gone). Stops at the first broken link."""
    expected_prev, seen = GENESIS, set()
    count = 0
    items: Iterator = iter(links)
    pending = next(items, None)
    while pending is not None:
        seal, row = pending
        pending = next(items, None)
        seq = count + 1
        if seal.seq < seq or seal.audit_id in seen:
            return ChainResult(
                count, expected_prev, Break(seal.seq, seal.audit_id, "seal_duplicated")
            )
        if seal.seq > seq:
            return ChainResult(
                count,
                expected_prev,
                Break(seq, None, "seal_missing", f"next seal is seq {seal.seq}"),
            )
        if row is None:
            return ChainResult(count, expected_prev, Break(seq, seal.audit_id, "row_missing"))
        if row["id"] != seal.audit_id:
            raise ValueError("row paired with the wrong seal")
        expected = link_hash(expected_prev, seq, row)
        if expected != seal.hash:
            problem = _mismatch(expected, pending)
            return ChainResult(count, expected_prev, Break(seq, seal.audit_id, problem))
        seen.add(seal.audit_id)
        expected_prev, count = expected, seq
    return ChainResult(count, expected_prev)


def _mismatch(expected: str, following: tuple[Seal, dict[str, Any] | None] | None) -> str:
    """Tell an edited entry from an edited seal: when the next link still verifies against the
    hash this link should have, the entry is intact and the seal was changed."""
    if following is None:
        return "hash_mismatch"
    seal, row = following
    if row is not None and link_hash(expected, seal.seq, row) == seal.hash:
        return "seal_changed"
    return "row_changed"
