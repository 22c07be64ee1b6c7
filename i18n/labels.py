"""The one table of state, step and result names (i18n/labels.toml), Chinese and English.

    labels.label("case_state", "referred")        -> "已移交"
    labels.label("rating", "satisfied", "en")     -> "Satisfied"
    labels.zh("rectification_step")               -> {"callback": "回访群众", ...}

Used by the backend (exports, PDFs, API ``*_zh`` fields), the counter and, through
GET /i18n/labels.json, the staff pages. Standard library only, so the clients import it too.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["LANGUAGES", "PATH", "all_labels", "groups", "label", "pair", "zh"]

PATH = Path(__file__).resolve().parent / "labels.toml"
LANGUAGES = ("zh", "en")


@functools.cache
def all_labels() -> dict[str, dict[str, dict[str, str]]]:
    """Every group: {group: {value: {"zh": …, "en": …}}}, checked to have both languages."""
    data = tomllib.loads(PATH.read_text(encoding="utf-8"))
    for group, table in data.items():
        for value, names in table.items():
            missing = [lang for lang in LANGUAGES if not names.get(lang)]
            if missing or set(names) - set(LANGUAGES):
                raise ValueError(f"{PATH.name}: {group}.{value}: needs exactly zh and en")
    return data


def groups() -> list[str]:
    return list(all_labels())


def label(group: str, value: str, lang: str = "zh") -> str:
    """The name of ``value`` in ``group``; an unknown value is shown as itself (old data),
    an unknown group or language is a programming error (KeyError)."""
    table = all_labels()[group]
    if lang not in LANGUAGES:
        raise KeyError(lang)
    names = table.get(str(value))
    return names[lang] if names else str(value)


def pair(group: str, value: str) -> tuple[str, str]:
    """(Chinese, English), the shape the counter's string table uses."""
    names = all_labels()[group][value]
    return names["zh"], names["en"]


def zh(group: str, keys: Iterable[Any] | None = None) -> dict[Any, str]:
    """{value: Chinese name} of a group; with ``keys`` (e.g. an enum) exactly those, in their
    order, keyed by them (KeyError naming the first without a label)."""
    table = all_labels()[group]
    if keys is None:
        return {value: names["zh"] for value, names in table.items()}
    return {key: table[str(key)]["zh"] for key in keys}
