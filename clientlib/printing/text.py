"""Text handling for Chinese thermal printers: GB18030 bytes, column widths, wrapping, masking.

In Chinese (FS &) mode a printer prints ASCII one column wide and a Han character, full-width
punctuation or an ambiguous-width sign (· — “”) from its GB18030 code as one glyph two columns
wide; widths on paper follow ``i18n.textwidth`` (one rule for receipts, exports and names).
"""

import re
import unicodedata

from i18n.textwidth import char_width, text_width

ENCODING = "gb18030"

# Characters that must not start a line (closing punctuation); the previous character moves
# down with them instead.
_NO_LINE_START = set("，。、；：！？）》」』】〕’”…,.;:!?)]}%")

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


__all__ = ["char_width", "clean", "display_width", "encode", "labelled", "mask_personal", "wrap"]


def display_width(text: str) -> int:
    """Columns a text takes on paper (``i18n.textwidth.text_width``)."""
    return text_width(text)


def clean(text: str) -> str:
    """NFC-normalise and drop control/format characters (they could inject ESC/POS commands)."""
    text = unicodedata.normalize("NFC", str(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return "".join(
        ch for ch in text if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )


def encode(text: str) -> bytes:
    """Printer bytes for text: GB18030 covers all of Unicode, so nothing becomes '?'."""
    return clean(text).encode(ENCODING)


def mask_personal(text: str) -> str:
    """Mask ID card and mobile numbers that slipped into free text (1101**********1234)."""
    text = _ID_NUMBER.sub(lambda m: m[1][:4] + "*" * 10 + m[3][-4:], text)
    return _MOBILE.sub(lambda m: m[1] + "****" + m[3], text)


def _tokens(paragraph: str) -> list[str]:
    """Split into unbreakable pieces: runs of ASCII non-space, single spaces, single wide chars."""
    return re.findall(r"[\x21-\x7e]+| |[^\x00-\x7f]", paragraph)


def wrap(text: str, columns: int, indent: int = 0, lead: str = "") -> list[str]:
    """Wrap text to `columns` printer columns, never splitting a character.

    `lead` starts the first line (e.g. a label); continuation lines start with `indent` spaces.
    ASCII runs (numbers, words, URLs) are split only when longer than a whole line.
    """
    if columns - indent < 2 or display_width(lead) >= columns:
        raise ValueError(f"no room to wrap: columns={columns}, indent={indent}, lead={lead!r}")
    lines: list[str] = []
    for i, paragraph in enumerate(clean(text).split("\n")):
        first = clean(lead) if i == 0 else " " * indent
        lines.extend(_wrap_paragraph(paragraph, columns, " " * indent, first))
    return lines


def _wrap_paragraph(paragraph: str, columns: int, indent: str, first: str) -> list[str]:
    lines: list[str] = []
    prefix, line = first, ""

    def room() -> int:
        return columns - display_width(prefix + line)

    def break_line() -> None:
        nonlocal line, prefix
        lines.append((prefix + line).rstrip())
        prefix, line = indent, ""

    for token in _tokens(paragraph):
        if token == " " and not line:
            continue  # no leading spaces on a line
        if display_width(token) <= room():
            line += token
            continue
        if _carry_down(line, token) and columns - len(indent) >= 4:
            carried, line = line[-1], line[:-1]
            break_line()
            line = carried + token
            continue
        if line:
            break_line()
        if token == " ":
            continue
        while display_width(token) > room():  # an ASCII run longer than a whole line
            cut = room()
            line, token = token[:cut], token[cut:]
            break_line()
        line = token
    lines.append((prefix + line).rstrip())
    return lines


def _carry_down(line: str, token: str) -> bool:
    """True if `token` may not start a line, so the last character of `line` goes with it."""
    return (
        token in _NO_LINE_START
        and len(line) > 1
        and line[-1] != " "
        and line[-1] not in _NO_LINE_START
    )


def labelled(label: str, value: str, columns: int) -> list[str]:
    """`label` then `value`, wrapped with a hanging indent under the value."""
    indent = display_width(clean(label))
    if indent > columns // 2:
        return wrap(value, columns, lead=label)
    return wrap(clean(value).replace("\n", " "), columns, indent=indent, lead=label)
