"""One width rule (i18n.textwidth) for receipts, spreadsheet columns and names: its edge cases,
and that the printer, the exports and the name rule all read it."""

from __future__ import annotations

import unicodedata

import pytest

from backend.domain.text import person_name
from clientlib.printing.text import display_width, wrap
from i18n.textwidth import char_width, text_width, wide


@pytest.mark.parametrize(
    ("ch", "columns"),
    [
        ("A", 1),  # ASCII
        (" ", 1),
        ("\n", 0),  # controls take no column
        ("窗", 2),  # W: Han
        ("𠮷", 2),  # W: Han, plane 2
        ("䶮", 2),  # W: CJK Ext. A
        ("ア", 2),  # W: kana
        ("，", 2),  # F: full-width punctuation
        ("！", 2),
        ("Ａ", 2),  # F: full-width Latin
        ("👍", 2),  # W: emoji
        ("·", 2),  # A: ambiguous, full width in Chinese context
        ("—", 2),
        ("“", 2),
        ("①", 2),
        ("é", 2),  # A as well
        ("ئ", 2),  # N outside ASCII: a full-width glyph on a Chinese printer
        ("¥", 1),  # Na outside ASCII
        ("ｶ", 1),  # H: half-width katakana
        ("\u0301", 0),  # combining acute (Mn)
        ("\u20dd", 0),  # combining enclosing circle (Me)
        ("\u200b", 0),  # zero-width space (Cf)
        ("\u200d", 0),  # zero-width joiner (Cf)
    ],
)
def test_char_width(ch, columns):
    assert char_width(ch) == columns, unicodedata.east_asian_width(ch)


def test_text_width_of_mixed_text_and_of_non_strings():
    assert text_width("A012号，请到3号窗口") == 4 + 2 + 2 + 4 + 1 + 6
    assert text_width("e\u0301") == 1  # a decomposed accent adds nothing
    assert text_width("👨\u200d👩") == 4  # ZWJ sequence: its parts, the joiner is zero
    assert text_width(None) == 0
    assert text_width(12.5) == 4


def test_wide_is_only_w_and_f():
    assert wide("张") and wide("，") and wide("👍")
    assert not wide("·") and not wide("é") and not wide("A")


def test_names_join_only_wide_characters():
    assert person_name("张 小三") == "张小三"
    assert person_name("Zoë  Éva") == "Zoë Éva"  # ambiguous letters keep their space
    assert person_name("买买提 · 艾力") == "买买提 · 艾力"


def test_receipts_measure_and_wrap_with_the_same_rule():
    for text in ("A012", "窗口", "·—", "，。", "👍", "e\u0301", "¥5"):
        assert display_width(text) == text_width(text)
    assert wrap("请到“综合窗口”办理", 10) == ["请到“综合", "窗口”办理"]
