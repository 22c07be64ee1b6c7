"""The hall's catalog as the kiosk sees it, and item search by pinyin initials or Chinese text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Department:
    code: str
    name_zh: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class Item:
    code: str
    name_zh: str
    name_en: str
    department: str
    kind: str  # immediate | promised
    promised_days: int | None
    pinyin: str  # initials of the Chinese name, e.g. zdshbzsq
    guide: dict[str, Any] = field(default_factory=dict, compare=False)
    windows: tuple[int, ...] = ()
    available: bool = True  # a ticket can be taken now (False: 暂停取号)
    window_open: bool = True  # a staffed window serves it now
    reason: tuple[str, str] = ("", "")  # why not (zh, en), e.g. 当前无窗口办理
    hours: tuple[str, str] = ("", "")  # when it is served (zh, en), shown with the reason
    waiting: int | None = None  # people waiting now (None: the backend did not say)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class Catalog:
    hall_code: str
    hall_name_zh: str
    hall_name_en: str
    timezone: str
    supervision_phone: str
    departments: tuple[Department, ...]
    items: tuple[Item, ...]
    window_names: dict[int, tuple[str, str]] = field(default_factory=dict, compare=False)
    frequent: tuple[str, ...] = ()  # 常办事项: item codes, most issued first
    public_url: str = ""  # the hall's address for residents' phones ([hall] public_url)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Catalog:
        """Build from GET /catalog."""
        hall = data["hall"]
        return cls(
            hall_code=hall["code"],
            hall_name_zh=hall["name"]["zh"],
            hall_name_en=hall["name"]["en"],
            timezone=hall.get("timezone") or "Asia/Shanghai",
            supervision_phone=hall.get("supervision_phone") or "",
            public_url=hall.get("public_url") or "",
            departments=tuple(
                Department(d["code"], d["name"]["zh"], d["name"]["en"]) for d in data["departments"]
            ),
            items=tuple(
                Item(
                    code=i["code"],
                    name_zh=i["name"]["zh"],
                    name_en=i["name"]["en"],
                    department=i["department"],
                    kind=i["kind"],
                    promised_days=i.get("promised_days"),
                    pinyin=(i.get("pinyin") or "").lower(),
                    guide=i.get("guide") or {},
                    windows=tuple(i.get("windows") or ()),
                    available=i.get("available", True) is not False,
                    window_open=i.get("window_open", True) is not False,
                    reason=_words(i.get("unavailable_reason")),
                    hours=_words(i.get("service_hours")),
                    waiting=_count(i.get("waiting")),
                )
                for i in data["items"]
            ),
            window_names={
                w["number"]: (w["name"]["zh"], w["name"]["en"]) for w in data.get("windows", [])
            },
            frequent=tuple(str(c) for c in data.get("frequent") or ()),
        )

    def hall_name(self, lang: str) -> str:
        return self.hall_name_en if lang == "en" else self.hall_name_zh

    def department(self, code: str) -> Department | None:
        return next((d for d in self.departments if d.code == code), None)

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)

    def frequent_items(self) -> list[Item]:
        """常办事项 still in the catalog, most issued first."""
        return [item for code in self.frequent if (item := self.item(code)) is not None]

    def items_of(self, department: str) -> list[Item]:
        return [i for i in self.items if i.department == department]

    def search(self, query: str) -> list[Item]:
        """Items matching `query`, best first (see `match_rank`)."""
        ranked = [(match_rank(query, item), n, item) for n, item in enumerate(self.items)]
        found = [(rank, n, item) for rank, n, item in ranked if rank is not None]
        return [item for _, _, item in sorted(found, key=lambda r: r[:2])]

    def next_letters(self, query: str) -> set[str]:
        """Letters that, typed after `query`, still find at least one item."""
        letters = "abcdefghijklmnopqrstuvwxyz"
        return {c for c in letters if any(match_rank(query + c, i) is not None for i in self.items)}


def _words(value: Any) -> tuple[str, str]:
    """({"zh": …, "en": …} or None) as (zh, en)."""
    if not isinstance(value, dict):
        return ("", "")
    return (str(value.get("zh") or ""), str(value.get("en") or value.get("zh") or ""))


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def is_subsequence(needle: str, haystack: str) -> bool:
    """True if the characters of `needle` appear in `haystack` in order (dbsq in zdshbzsq)."""
    rest = iter(haystack)
    return all(ch in rest for ch in needle)


def match_rank(query: str, item: Item) -> int | None:
    """How well `query` matches `item` (lower is better), or None.

    Latin letters are pinyin initials: a prefix of the item's initials ranks first, then a
    substring, then a subsequence (so the common abbreviation "dbsq" finds 最低生活保障申请,
    initials zdshbzsq), then a word in the English name. Chinese text matches the name as a
    substring, or in order with gaps (低保 finds 最低生活保障申请).
    """
    q = "".join(query.split()).lower()
    if not q:
        return None
    if q.isascii():
        initials = item.pinyin
        if initials.startswith(q):
            return 0
        if q in initials:
            return 1
        if is_subsequence(q, initials):
            return 2
        return 3 if len(q) >= 3 and q in item.name_en.lower() else None
    name = item.name_zh
    if name.startswith(q):
        return 0
    if q in name:
        return 1
    return 2 if is_subsequence(q, name) else None
