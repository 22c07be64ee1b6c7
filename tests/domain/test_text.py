"""Characters text may hold: names that mask honestly, free text without hidden reordering."""

from __future__ import annotations

import pytest

from backend.domain.privacy import mask_name
from backend.domain.text import bad_character, person_name


@pytest.mark.parametrize(
    "name", ["张小三", "欧阳小明", "买买提·艾力", "Jean-Luc O'Neil", "ئابدۇرېھىم", "Zoë"]
)
def test_real_names_pass_normalised(name):
    assert person_name(f"  {name}  ") == name


def test_spaces_collapse_and_composed_forms_agree():
    assert person_name("欧阳\u3000\u3000小明") == person_name("欧阳 小明") == "欧阳小明"
    assert person_name("Li   Xiaoming") == "Li Xiaoming"
    assert person_name("Li 小明") == "Li 小明"
    assert person_name("Zoe\u0308") == "Zoë"  # NFC: one code point, masks as one letter


@pytest.mark.parametrize(
    ("name", "char"),
    [
        ("\u202e******三", "U+202E"),  # right-to-left override: a spoofed masked form
        ("张\u200b三", "U+200B"),  # zero-width space
        ("张\u200d三", "U+200D"),  # zero-width joiner
        ("张\u2066三", "U+2066"),  # isolate
        ("张\x07三", "U+0007"),  # bell
        ("张三\n", None),  # trailing whitespace is stripped, not refused
        ("张3", "U+0033"),
        ("张*三", "U+002A"),  # a masked form is not a name
    ],
)
def test_names_refuse_hidden_and_non_name_characters(name, char):
    if char is None:
        assert person_name(name) == "张三"
        return
    with pytest.raises(ValueError, match=char.replace("+", r"\+")):
        person_name(name)


def test_masked_form_shows_what_was_accepted():
    assert mask_name(person_name("张小三")) == "张*三"


def test_free_text_refuses_controls_and_reordering_but_keeps_lines():
    assert bad_character("第一行\n第二行\t完") is None
    assert bad_character("ok\u200d👍") is None  # joiners are part of emoji and some scripts
    assert bad_character("a\x00b") == "U+0000"
    assert bad_character("a\x1bb") == "U+001B"
    assert bad_character("a\x85b") == "U+0085"
    assert bad_character("note \u202eevil") == "U+202E"
    assert bad_character("\ufeffx") == "U+FEFF"
