import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientlib.printing.text import (
    clean,
    display_width,
    encode,
    labelled,
    mask_personal,
    wrap,
)

from .escpos_stream import columns

RARE = {  # GB18030 bytes from the standard's tables: GBK two-byte, and four-byte
    "堃": b"\x88\xd2",  # U+5803, GBK
    "喆": b"\x86\xb4",  # U+5586, GBK
    "䶮": b"\xfe\x9f",  # U+4DAE, CJK Ext. A, two-byte since GB18030-2005
    "𠮷": b"\x95\x34\xb2\x35",  # U+20BB7, CJK Ext. B, four-byte
}


@pytest.mark.parametrize(("char", "expected"), RARE.items())
def test_rare_characters_encode_to_gb18030_not_question_mark(char, expected):
    assert encode(char) == expected
    assert b"?" not in encode(f"王{char}")


def test_common_text_encodes_as_gb2312_compatible_bytes():
    assert encode("中心A1") == b"\xd6\xd0\xd0\xc4A1"


def test_display_width_counts_multibyte_as_two_columns():
    assert display_width("A012") == 4
    assert display_width("窗口") == 4
    assert display_width("𠮷䶮") == 4  # one glyph each, however many bytes
    assert display_width("·—") == 4  # GB18030 double-byte: full width in Chinese mode


def test_clean_strips_control_characters_that_could_inject_commands():
    assert clean("低保\x1dV\x00申请\x1b@\u200b") == "低保V申请@"
    assert clean("a\r\nb\tc") == "a\nb c"


def test_wrap_keeps_ascii_words_and_splits_only_overlong_runs():
    assert wrap("请到 3号窗口 办理 https://example.cn/q/A012", 18) == [
        "请到 3号窗口 办理",
        "https://example.cn",
        "/q/A012",
    ]
    assert wrap("第 3 号 A012 窗口", 12) == ["第 3 号 A012", "窗口"]


def test_wrap_never_starts_a_line_with_closing_punctuation():
    lines = wrap("请妥善保管本票过号请重新取号，谢谢", 28)
    assert lines == ["请妥善保管本票过号请重新取", "号，谢谢"]


def test_wrap_hanging_indent_and_explicit_newlines():
    assert wrap("一二三四五六七八", 10, indent=4, lead="注：") == [
        "注：一二三",
        "    四五六",
        "    七八",
    ]
    assert wrap("甲\n\n乙", 10) == ["甲", "", "乙"]
    assert labelled("办理事项：", "最低生活保障申请", 20) == [
        "办理事项：最低生活保",
        "          障申请",
    ]


def test_wrap_rejects_impossible_widths():
    with pytest.raises(ValueError):
        wrap("abc", 4, indent=3)


TEXT = st.lists(
    st.sampled_from(list("ab1-/ 。，（）中文窗口办理堃喆䶮𠮷·\n") + ["https://x.cn/q?t=1"]),
    max_size=60,
).map("".join)


@given(text=TEXT, width=st.integers(min_value=6, max_value=48), indent=st.integers(0, 4))
def test_wrap_fits_width_and_loses_no_character(text, width, indent):
    lines = wrap(text, width, indent=indent)
    assert all(columns(line) <= width for line in lines)
    squeeze = str.maketrans("", "", " \n")
    assert "".join(lines).translate(squeeze) == text.translate(squeeze)


def test_mask_personal_masks_id_and_mobile_numbers_only():
    text = "身份证110101199003071234，手机13812345678，监督电话0571-88888888，热线12345"
    assert mask_personal(text) == (
        "身份证1101**********1234，手机138****5678，监督电话0571-88888888，热线12345"
    )
    assert mask_personal("11010119900307123X") == "1101**********123X"
