"""How many columns text takes in Chinese context: receipts, spreadsheet columns, names.

One rule, from ``unicodedata.east_asian_width`` (UAX #11) read in East Asian context, which is
where every one of these texts is shown (a GB18030 thermal printer in Chinese mode, CJK fonts):

* 0 columns: combining marks (Mn, Me: they sit on the character before; NFC first, so most
  accents are already composed), format characters (Cf: zero-width space/joiners, bidi
  marks) and controls (Cc).
* 1 column: what Unicode calls Narrow or Halfwidth (``Na``, ``H``): ASCII, ¥ ¢ £, half-width
  katakana ｶ.
* 2 columns: everything else —
  Wide and Fullwidth (``W``, ``F``): Han characters of every plane (窗 𠮷 䶮), kana, Hangul,
  full-width punctuation ，。！（）, emoji 👍;
  Ambiguous (``A``): · — … “ ” ① α é, full width in Chinese fonts and printed from their
  GB18030 double-byte codes as full-width glyphs;
  Neutral (``N``) outside ASCII: letters of scripts without a place in the legacy Chinese
  sets (Uyghur ئ, Thai, Hebrew), which a Chinese printer draws as one full-width glyph.

``wide`` asks the narrower question names need: W or F only, two columns in every context
(so 张 小三 joins, while Zoë Éva keeps its space: é and É are only ambiguous).
Importable by the backend and the Qt clients alike (standard library only).
"""

from __future__ import annotations

import unicodedata

__all__ = ["char_width", "text_width", "wide"]

_ZERO = frozenset({"Mn", "Me", "Cf", "Cc"})


def char_width(ch: str) -> int:
    """Columns of one character (see the module's rule)."""
    if ch.isascii():
        return 1 if ch.isprintable() else 0
    if unicodedata.category(ch) in _ZERO:
        return 0
    return 1 if unicodedata.east_asian_width(ch) in ("Na", "H") else 2


def text_width(text: object) -> int:
    """Columns of a text (None counts as empty; other values as their ``str``)."""
    return 0 if text is None else sum(char_width(ch) for ch in str(text))


def wide(ch: str) -> bool:
    """True for East Asian Wide or Fullwidth characters (Han, kana, Hangul, full-width forms,
    emoji): two columns in any context, and written without spaces between words."""
    return unicodedata.east_asian_width(ch) in ("W", "F")
