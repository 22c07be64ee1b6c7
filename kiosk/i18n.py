"""Every kiosk string, from the gettext catalogues of domain "kiosk" (i18n/messages/): Chinese
first (the msgids), English, Uyghur and whatever language a translator adds as a directory.

Right-to-left languages: every value put into a sentence that has no right-to-left letter of its
own (a ticket number, a time 09:30–10:00, a count, a Chinese item name) is put between two
left-to-right marks (U+200E), so the bidi algorithm never reorders it (10:00–09:30). Marks, not
isolates (U+2066 … U+2069): Qt measures isolates wrongly when it wraps a line.
"""

from __future__ import annotations

import string
import unicodedata

import i18n

DOMAIN = "kiosk"
LRM = "\u200e"  # left-to-right mark
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f"))


def languages() -> list[dict[str, str]]:
    """The kiosk's languages (code, native name, dir), discovered from the catalogues."""
    return i18n.languages()


def direction(lang: str) -> str:
    return i18n.direction(lang)


def is_rtl(lang: str) -> bool:
    return i18n.direction(lang) == "rtl"


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def ltr(text: str) -> str:
    """``text`` kept left to right inside a right-to-left sentence."""
    return f"{LRM}{text}{LRM}" if text and not has_rtl(text) else text


def plain(text: str) -> str:
    """``text`` without bidi controls (for the voice, logs and comparisons)."""
    return text.translate(BIDI_CONTROLS)


class _Isolating(string.Formatter):
    """str.format that isolates each formatted value (format spec applied first)."""

    def format_field(self, value, format_spec: str) -> str:
        return ltr(super().format_field(value, format_spec))


_ISOLATING = _Isolating()


def tr(key: str, lang: str, **values) -> str:
    """The text of ``key`` in ``lang`` (Chinese where there is no translation), formatted."""
    if not values or not is_rtl(lang):
        return i18n.text(DOMAIN, key, lang, **values)
    try:
        return _ISOLATING.format(i18n.text(DOMAIN, key, lang), **values)
    except (KeyError, IndexError, ValueError):  # a broken translation: the Chinese
        return i18n.text(DOMAIN, key, i18n.SOURCE, **values)


def pair(texts: tuple[str, str], lang: str) -> str:
    """One of a (Chinese, English) pair, as the backend and the printer give them: English
    for en, Chinese for every other language (they have no other)."""
    return texts[1] if lang == "en" and texts[1] else texts[0]


def pick(message: str, lang: str) -> str:
    """The part of a bilingual backend message ("中文 / English") in `lang`; Chinese for a
    language the backend does not write (ug)."""
    if " / " not in message:
        return message
    zh, en = message.split(" / ", 1)
    return pair((zh.strip(), en.strip()), lang)


def names(value: dict | None, lang: str) -> str:
    """A name from the backend ({"zh": …, "en": …}, perhaps more) in ``lang``, else Chinese."""
    value = value or {}
    return str(value.get(lang) or value.get("zh") or "")


def join(parts, lang: str) -> str:
    """A list in running text: 甲、乙 · A, B · ئا، ب."""
    return tr("list_separator", lang).join(parts)


def sentences(parts, lang: str) -> str:
    """Sentences one after the other: 甲。乙 · A. B"""
    return tr("sentence_separator", lang).join(parts)


def wait_text(minutes: int, lang: str) -> str:
    if minutes <= 0:
        return tr("wait_none", lang)
    hours, mins = divmod(int(minutes), 60)
    if not hours:
        return tr("wait_minutes", lang, m=mins)
    if not mins:
        return tr("wait_whole_hours", lang, h=hours)
    return tr("wait_hours", lang, h=hours, m=mins)
