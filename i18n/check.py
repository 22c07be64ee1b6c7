"""Catalogue consistency: every .po key is in its .pot, placeholders match, no duplicate keys."""

from __future__ import annotations

import re
import string
from pathlib import Path

from babel.messages.pofile import read_po

from . import MESSAGES, SOURCE

_CONTEXT = re.compile(r'^msgctxt\s+"((?:[^"\\]|\\.)*)"', re.MULTILINE)


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a python-brace-format string (``{{`` is not one)."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return {"<unparsable braces>"}


def _keys(path: Path) -> tuple[dict[str, tuple[str, str]], list[str]]:
    problems = []
    raw = path.read_text(encoding="utf-8")
    seen: set[str] = set()
    for key in _CONTEXT.findall(raw):
        if key in seen:
            problems.append(f"{path}: duplicate key {key!r}")
        seen.add(key)
    with path.open("rb") as f:
        catalog = read_po(f, abort_invalid=True)
    entries: dict[str, tuple[str, str]] = {}
    for message in catalog:
        if not message.id:
            continue
        if message.context is None:
            problems.append(f"{path}: entry {message.id!r} has no msgctxt key")
            continue
        msgstr = message.string if isinstance(message.string, str) else ""
        entries[message.context] = (str(message.id), msgstr)
    return entries, problems


def problems(base: Path | str = MESSAGES) -> list[str]:
    """Every inconsistency under ``base``, as readable lines (empty: all good)."""
    base = Path(base)
    out: list[str] = []
    templates: dict[str, dict[str, tuple[str, str]]] = {}
    for pot in sorted(base.glob("*.pot")):
        entries, found = _keys(pot)
        out += found
        templates[pot.stem] = entries
    for po in sorted(base.glob("*/LC_MESSAGES/*.po")):
        lang, domain = po.parent.parent.name, po.stem
        if lang == SOURCE:
            out.append(f"{po}: {SOURCE} is the source language (the .pot's msgids)")
        template = templates.get(domain)
        if template is None:
            out.append(f"{po}: no template {domain}.pot")
            continue
        entries, found = _keys(po)
        out += found
        for key, (msgid, msgstr) in entries.items():
            if key not in template:
                out.append(f"{po}: key {key!r} is not in {domain}.pot")
                continue
            if msgid != template[key][0]:
                out.append(
                    f"{po}: {key!r} translates {msgid!r}, the .pot now says {template[key][0]!r}"
                )
            if msgstr and placeholders(msgstr) != placeholders(template[key][0]):
                out.append(
                    f"{po}: {key!r} placeholders {sorted(placeholders(msgstr))} differ from "
                    f"the Chinese {sorted(placeholders(template[key][0]))}"
                )
    return out


def untranslated(base: Path | str = MESSAGES) -> dict[str, list[str]]:
    """'lang/domain' -> the .pot keys with no translation there (for reports, not a failure)."""
    base = Path(base)
    out: dict[str, list[str]] = {}
    for po in sorted(base.glob("*/LC_MESSAGES/*.po")):
        pot = base / f"{po.stem}.pot"
        if not pot.exists():
            continue
        template, _ = _keys(pot)
        entries, _ = _keys(po)
        missing = [k for k in template if not entries.get(k, ("", ""))[1]]
        if missing:
            out[f"{po.parent.parent.name}/{po.stem}"] = missing
    return out
