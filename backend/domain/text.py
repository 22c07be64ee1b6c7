"""Which characters a resident's or clerk's text may hold: nothing that can hide or reorder
what a screen, a receipt or a masked form shows (controls, bidi overrides, byte-order marks)."""

from __future__ import annotations

import unicodedata

from i18n.textwidth import wide

# Tab, newline and carriage return are text; every other C0/C1 control is not.
_ALLOWED_CONTROLS = frozenset("\t\n\r")
# Embeddings, overrides and isolates reorder what follows them (U+202E turns "三******" into a
# spoofed masked name); U+FEFF and U+FFFE are byte-order marks, U+FFF9-U+FFFB annotations.
_REORDERING = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\ufffe\ufff9\ufffa\ufffb"
)
# Letters joined by a dot or hyphen in names: 买买提·艾力, Jean-Luc, O'Neil, 欧阳 小明.
_NAME_PUNCTUATION = frozenset("·•・.-'’ ")


def bad_character(text: str) -> str | None:
    """The first character free text may not hold, as ``U+XXXX``, or None."""
    for ch in text:
        if ch in _REORDERING or (unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS):
            return f"U+{ord(ch):04X}"
    return None


def person_name(name: str) -> str:
    """A resident's name in NFC with single spaces between Latin words and none between Chinese
    characters (张 小三 is 张小三, masked 张*三); ``ValueError`` naming the first character
    that is not a letter, a combining mark or name punctuation (digits, controls, zero-width
    and every format character included, so the masked form shows what was typed)."""
    words = unicodedata.normalize("NFC", name).split()
    name = "".join(
        (" " if i and not (wide(words[i - 1][-1]) and wide(word[0])) else "") + word
        for i, word in enumerate(words)
    )
    for ch in name:
        category = unicodedata.category(ch)
        if not (category[0] in "LM" or ch in _NAME_PUNCTUATION):
            raise ValueError(f"U+{ord(ch):04X}")
    return name
