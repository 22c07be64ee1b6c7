"""Resident-screen languages: gettext catalogues read with Babel, Chinese first.

Layout::

    i18n/messages/<domain>.pot                       msgctxt = key, msgid = the Chinese text
    i18n/messages/<lang>/LC_MESSAGES/<domain>.po     msgctxt = key, msgid = Chinese, msgstr

A language is a directory: adding ``messages/kk/LC_MESSAGES/kiosk.po`` adds Kazakh, no code.
Missing, empty, fuzzy or stale (msgid no longer the .pot's) translations fall back to Chinese.
Importable by the backend and the Qt clients alike (no Flask, no Qt).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

MESSAGES = Path(__file__).resolve().parent / "messages"
SOURCE = "zh"  # the msgid language: always offered, always first
DOMAINS = ("kiosk", "display", "status", "booking", "staff")

__all__ = [
    "DOMAINS",
    "MESSAGES",
    "SOURCE",
    "Catalogues",
    "default",
    "direction",
    "languages",
    "normalize",
    "text",
    "texts",
]


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    dir: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "dir": self.dir}


def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def normalize(lang: str | None) -> str:
    """'zh-CN' -> 'zh_CN'; '' / None -> the source language."""
    return (lang or SOURCE).strip().replace("-", "_") or SOURCE


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return None


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def _entries(catalog: Catalog) -> dict[str, tuple[str, str, bool]]:
    """key (msgctxt) -> (msgid, msgstr, fuzzy)."""
    out: dict[str, tuple[str, str, bool]] = {}
    for message in catalog:
        if not message.id or message.context is None:
            continue  # the header entry, or an entry without a key
        msgstr = message.string if isinstance(message.string, str) else ""
        out[message.context] = (str(message.id), msgstr, message.fuzzy)
    return out


class Catalogues:
    """All catalogues under one base directory (injectable for tests); re-read on change."""

    def __init__(self, base: Path | str = MESSAGES):
        self.base = Path(base)
        self._lock = threading.Lock()
        self._cache: dict[Path, tuple[float, dict[str, tuple[str, str, bool]]]] = {}
        self._codes: tuple = (None, (), [])  # language dirs, their mtimes, the codes found
        self._built: dict[tuple[str, str], tuple[tuple[float | None, ...], dict[str, str]]] = {}

    # --- files -----------------------------------------------------------------------------
    def template_path(self, domain: str) -> Path:
        return self.base / f"{domain}.pot"

    def po_path(self, lang: str, domain: str) -> Path:
        return self.base / lang / "LC_MESSAGES" / f"{domain}.po"

    def domains(self) -> list[str]:
        return sorted(p.stem for p in self.base.glob("*.pot"))

    def _load(self, path: Path) -> dict[str, tuple[str, str, bool]]:
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            return {}
        with self._lock:
            hit = self._cache.get(path)
            if hit and hit[0] == mtime:
                return hit[1]
        entries = _entries(_read(path))
        with self._lock:
            self._cache[path] = (mtime, entries)
        return entries

    # --- languages -------------------------------------------------------------------------
    def language_codes(self) -> list[str]:
        if not self.base.is_dir():
            return [SOURCE]
        with self._lock:
            dirs, stamp, codes = self._codes
        if dirs is not None and stamp == self._dirs_stamp(dirs):
            return list(codes)  # no directory added, removed or given a .po since the last look
        dirs = tuple(d for d in self.base.iterdir() if d.is_dir() and d.name != SOURCE)
        stamp = self._dirs_stamp(dirs)
        found = sorted(d.name for d in dirs if any((d / "LC_MESSAGES").glob("*.po")))
        with self._lock:
            self._codes = (dirs, stamp, [SOURCE, *found])
        return [SOURCE, *found]

    def _dirs_stamp(self, dirs: tuple[Path, ...]) -> tuple[float | None, ...]:
        return (
            _mtime(self.base),
            *(_mtime(d) for d in dirs),
            *(_mtime(d / "LC_MESSAGES") for d in dirs),
        )

    def languages(self) -> list[dict[str, str]]:
        return [self.language(code).as_dict() for code in self.language_codes()]

    def language(self, code: str) -> Language:
        loc = _locale(code)
        name = loc.display_name if loc is not None and loc.display_name else code
        return Language(code, name, self.direction(code))

    def resolve(self, lang: str | None) -> str | None:
        """The offered language for ``lang`` ('zh-CN' -> 'zh', 'ug_CN' -> 'ug'), else None."""
        codes = self.language_codes()
        wanted = normalize(lang)
        for candidate in (wanted, wanted.split("_")[0]):
            for code in codes:
                if code.lower() == candidate.lower():
                    return code
        return None

    @staticmethod
    def direction(lang: str) -> str:
        loc = _locale(normalize(lang))
        return "rtl" if loc is not None and loc.character_order == "right-to-left" else "ltr"

    # --- texts -----------------------------------------------------------------------------
    def texts(self, domain: str, lang: str) -> dict[str, str]:
        """Every key of ``domain`` in ``lang``; Chinese where there is no usable translation.
        An unknown domain raises LookupError; an unknown language gives the Chinese."""
        return dict(self._texts(domain, lang))

    def _texts(self, domain: str, lang: str) -> dict[str, str]:
        """``texts`` shared, not copied: cached per (domain, language), rebuilt when the .pot's
        or the .po's mtime changes (a kiosk screen formats ~100 strings per render)."""
        code = self.resolve(lang) or SOURCE
        paths = (self.template_path(domain), self.po_path(code, domain))
        stamp = tuple(_mtime(path) for path in paths)
        with self._lock:
            hit = self._built.get((domain, code))
        if hit and hit[0] == stamp:
            return hit[1]
        built = self._build(domain, code)
        with self._lock:
            self._built[(domain, code)] = (stamp, built)
        return built

    def _build(self, domain: str, code: str) -> dict[str, str]:
        template = self._load(self.template_path(domain))
        if not template:
            raise LookupError(f"no catalogue template {domain}.pot under {self.base}")
        translated = {} if code == SOURCE else self._load(self.po_path(code, domain))
        out: dict[str, str] = {}
        for key, (chinese, _, _) in template.items():
            hit = translated.get(key)
            if hit is not None and hit[0] == chinese and hit[1] and not hit[2]:
                out[key] = hit[1]  # translated for this very source text, not fuzzy
            else:
                out[key] = chinese
        return out

    def text(self, domain: str, key: str, lang: str, **values: object) -> str:
        """One string, formatted with ``values``; a translation that does not format falls
        back to the Chinese. An unknown key raises KeyError."""
        found = self._texts(domain, lang)
        if key not in found:
            raise KeyError(f"{domain}: no key {key!r}")
        if not values:
            return found[key]
        try:
            return found[key].format(**values)
        except (KeyError, IndexError, ValueError):
            return self._texts(domain, SOURCE)[key].format(**values)


default = Catalogues()


def text(domain: str, key: str, lang: str, **values: object) -> str:
    return default.text(domain, key, lang, **values)


def texts(domain: str, lang: str) -> dict[str, str]:
    return default.texts(domain, lang)


def languages() -> list[dict[str, str]]:
    return default.languages()


def direction(lang: str) -> str:
    return default.direction(lang)
