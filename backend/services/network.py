"""The hall tree as stored (halls.level, halls.parent_id): the halls a supervisor oversees."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Hall
from ..domain import network as rules


@dataclass(frozen=True)
class HallNode:
    id: int
    code: str
    name_zh: str
    name_en: str
    level: str
    parent_id: int | None

    def brief(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": {"zh": self.name_zh, "en": self.name_en},
            "level": self.level,
            "level_zh": rules.LEVEL_ZH[rules.Level(self.level)],
        }


def nodes(session: Session) -> dict[int, HallNode]:
    """Every hall (a county network is tens of rows, read in one statement)."""
    rows = session.execute(
        select(Hall.id, Hall.code, Hall.name_zh, Hall.name_en, Hall.level, Hall.parent_id)
    )
    return {r.id: HallNode(*r) for r in rows}


def parents(tree: dict[int, HallNode]) -> dict[int, int | None]:
    return {n.id: n.parent_id for n in tree.values()}


def below(session: Session, hall_id: int) -> list[HallNode]:
    """``hall_id`` and every hall under it, in tree order (county, town 1, its villages, …)."""
    tree = nodes(session)
    children: dict[int | None, list[HallNode]] = {}
    for node in sorted(tree.values(), key=lambda n: n.code):
        children.setdefault(node.parent_id, []).append(node)
    out: list[HallNode] = []

    def walk(node: HallNode) -> None:
        if node in out:
            return
        out.append(node)
        for child in children.get(node.id, []):
            walk(child)

    if hall_id in tree:
        walk(tree[hall_id])
    return out


def oversees(session: Session, above_id: int, hall_code: str) -> bool:
    """Whether the hall ``above_id`` is the hall ``hall_code`` or sits above it."""
    tree = nodes(session)
    target = next((n.id for n in tree.values() if n.code == hall_code), None)
    return target is not None and rules.oversees(parents(tree), above_id, target)
