"""The gettext catalogues of the resident screens (i18n/): consistency of every shipped .po with
its .pot, the loader's fallbacks, languages discovered from directories, and the JSON endpoint."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

import i18n
from i18n import labels
from i18n.check import placeholders, problems

POT = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

msgctxt "hello"
msgid "你好"
msgstr ""

#, python-brace-format
msgctxt "wait"
msgid "约 {m} 分钟"
msgstr ""

msgctxt "bye"
msgid "再见"
msgstr ""
"""


def po(entries: str, lang: str = "en") -> str:
    return (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
        f'"Language: {lang}\\n"\n\n{entries}'
    )


EN = po(
    'msgctxt "hello"\nmsgid "你好"\nmsgstr "Hello"\n\n'
    '#, python-brace-format\nmsgctxt "wait"\nmsgid "约 {m} 分钟"\nmsgstr "about {m} min"\n\n'
    '#, fuzzy\nmsgctxt "bye"\nmsgid "再见"\nmsgstr "Bye (unchecked)"\n'
)


@pytest.fixture
def base(tmp_path) -> Path:
    (tmp_path / "demo.pot").write_text(POT, encoding="utf-8")
    (tmp_path / "en" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "en" / "LC_MESSAGES" / "demo.po").write_text(EN, encoding="utf-8")
    return tmp_path


# ------------------------------------------------------------------ the shipped catalogues
def test_every_shipped_catalogue_is_consistent_with_its_template():
    assert problems() == []
    assert {"zh", "en", "ug"} <= {lang["code"] for lang in i18n.languages()}
    assert "display" in i18n.default.domains()


@pytest.mark.parametrize("domain", sorted(p.stem for p in i18n.MESSAGES.glob("*.pot")))
def test_every_shipped_key_has_english_and_uyghur(domain):
    # The staff pages offer 中文 / English only (i18n.js STAFF_LANGS): Uyghur is optional there.
    for lang in ("en",) if domain == "staff" else ("en", "ug"):
        path = i18n.default.po_path(lang, domain)
        assert path.exists(), f"{domain}: no {lang} catalogue"
        template = i18n.texts(domain, "zh")
        translated = i18n.texts(domain, lang)
        missing = [k for k in template if translated[k] == template[k] and _has_han(template[k])]
        assert missing == [], f"{lang}/{domain}: untranslated {missing}"


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


DISPLAY = Path(__file__).resolve().parent.parent / "display"


def test_every_staff_key_is_used_by_a_page():
    """A key no page asks for is a translation nobody sees, kept up to date for nothing (states,
    ratings and steps come from i18n/labels.toml now). A key a page builds (``"state_" + s``)
    counts as used when its prefix is built."""
    pages = [*DISPLAY.glob("*.js"), *DISPLAY.glob("*.html"), *DISPLAY.glob("parts/*.html")]
    source = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    built = set(re.findall(r"[\"']([a-z_]+_)[\"']\s*\+", source))
    pot = (Path(i18n.__file__).parent / "messages" / "staff.pot").read_text(encoding="utf-8")
    keys = re.findall(r'^msgctxt "([^"]+)"', pot, re.M)
    unused = [
        k
        for k in keys
        if not re.search(rf"[\"'`]{re.escape(k)}[\"'`]", source)
        and not any(k.startswith(prefix) for prefix in built)
    ]
    assert len(keys) > 300 and unused == []


def test_the_kiosks_case_states_are_the_labels_in_chinese():
    """The kiosk's catalogue translates the case states (for ug and en); its Chinese is the one
    name of i18n/labels.toml, so a resident reads what the counter and the reports say."""
    kiosk = i18n.texts("kiosk", "zh")
    shown = {key.removeprefix("case_state_"): text for key, text in kiosk.items()
             if key.startswith("case_state_")}  # fmt: skip
    assert shown and all(labels.label("case_state", state) == text for state, text in shown.items())


# ------------------------------------------------------------------ the checker
def test_the_checker_passes_a_good_catalogue(base):
    assert problems(base) == []


def test_a_po_key_missing_from_the_template_is_reported(base):
    extra = 'msgctxt "ghost"\nmsgid "幽灵"\nmsgstr "Ghost"\n'
    (base / "en" / "LC_MESSAGES" / "demo.po").write_text(EN + "\n" + extra, encoding="utf-8")
    assert problems(base) == [f"{base}/en/LC_MESSAGES/demo.po: key 'ghost' is not in demo.pot"]


def test_a_placeholder_that_differs_from_the_chinese_is_reported(base):
    bad = EN.replace("about {m} min", "about {minutes} min")
    (base / "en" / "LC_MESSAGES" / "demo.po").write_text(bad, encoding="utf-8")
    [problem] = problems(base)
    assert "'wait' placeholders ['minutes'] differ from the Chinese ['m']" in problem


def test_a_duplicate_key_is_reported(base):
    dup = 'msgctxt "hello"\nmsgid "您好"\nmsgstr "Hi"\n'
    (base / "en" / "LC_MESSAGES" / "demo.po").write_text(EN + "\n" + dup, encoding="utf-8")
    found = problems(base)
    assert any("duplicate key 'hello'" in p for p in found), found


def test_a_stale_translation_and_a_po_without_template_are_reported(base):
    stale = EN.replace('msgid "你好"', 'msgid "您好"')
    (base / "en" / "LC_MESSAGES" / "demo.po").write_text(stale, encoding="utf-8")
    (base / "en" / "LC_MESSAGES" / "orphan.po").write_text(po(""), encoding="utf-8")
    found = problems(base)
    assert any("'hello' translates '您好', the .pot now says '你好'" in p for p in found), found
    assert any("orphan.po: no template orphan.pot" in p for p in found), found


def test_placeholders_ignore_escaped_braces():
    assert placeholders("{n}号 {{literal}}") == {"n"}


# ------------------------------------------------------------------ the loader
def test_texts_fall_back_to_chinese_for_missing_empty_fuzzy_and_unknown(base):
    cats = i18n.Catalogues(base)
    assert cats.texts("demo", "en") == {"hello": "Hello", "wait": "about {m} min", "bye": "再见"}
    assert cats.text("demo", "wait", "en", m=5) == "about 5 min"
    assert cats.text("demo", "wait", "zh", m=5) == "约 5 分钟"
    assert cats.text("demo", "hello", "fr") == "你好"  # a language we do not have
    assert cats.text("demo", "hello", "en-GB") == "Hello"  # the primary subtag matches
    with pytest.raises(KeyError):
        cats.text("demo", "nope", "en")
    with pytest.raises(LookupError):
        cats.texts("nope", "en")


def test_a_translation_that_does_not_format_falls_back_to_the_chinese(base):
    bad = EN.replace("about {m} min", "about {x} min")
    (base / "en" / "LC_MESSAGES" / "demo.po").write_text(bad, encoding="utf-8")
    assert i18n.Catalogues(base).text("demo", "wait", "en", m=3) == "约 3 分钟"


def test_a_new_language_directory_appears_without_code(base):
    cats = i18n.Catalogues(base)
    assert [lang["code"] for lang in cats.languages()] == ["zh", "en"]
    kk = base / "kk" / "LC_MESSAGES"
    kk.mkdir(parents=True)
    (kk / "demo.po").write_text(
        po('msgctxt "hello"\nmsgid "你好"\nmsgstr "Сәлем"\n', "kk"), encoding="utf-8"
    )
    (base / "xx-empty").mkdir()  # a directory without catalogues is no language
    assert cats.languages() == [
        {"code": "zh", "name": "中文", "dir": "ltr"},
        {"code": "en", "name": "English", "dir": "ltr"},
        {"code": "kk", "name": "қазақ тілі", "dir": "ltr"},
    ]
    assert cats.text("demo", "hello", "kk") == "Сәлем"
    assert cats.text("demo", "bye", "kk") == "再见"


def test_uyghur_is_right_to_left_and_named_in_uyghur(base):
    ug = base / "ug" / "LC_MESSAGES"
    ug.mkdir(parents=True)
    shutil.copy(base / "en" / "LC_MESSAGES" / "demo.po", ug / "demo.po")
    cats = i18n.Catalogues(base)
    assert {"code": "ug", "name": "ئۇيغۇرچە", "dir": "rtl"} in cats.languages()
    assert i18n.direction("ug") == "rtl"
    assert i18n.direction("zh") == i18n.direction("en") == "ltr"


def test_an_edited_po_is_read_again(base):
    cats = i18n.Catalogues(base)
    assert cats.text("demo", "hello", "en") == "Hello"
    path = base / "en" / "LC_MESSAGES" / "demo.po"
    path.write_text(EN.replace('"Hello"', '"Hello there"'), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert cats.text("demo", "hello", "en") == "Hello there"


# ------------------------------------------------------------------ GET /i18n/<domain>/<lang>.json
def test_the_endpoint_serves_a_catalogue_with_languages_and_direction(app):
    client = app.test_client()
    r = client.get("/i18n/display/ug.json")
    assert r.status_code == 200
    body = r.get_json()
    assert (body["lang"], body["dir"], body["name"]) == ("ug", "rtl", "ئۇيغۇرچە")
    assert body["texts"] == i18n.texts("display", "ug")
    assert [lang["code"] for lang in body["languages"]][:1] == ["zh"]
    assert "max-age=300" in r.headers["Cache-Control"]
    assert "Content-Security-Policy" in r.headers
    again = client.get("/i18n/display/ug.json", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    zh = client.get("/i18n/display/zh.json").get_json()
    assert zh["texts"]["now_calling"] == "正在叫号" and zh["dir"] == "ltr"


@pytest.mark.parametrize(
    "path", ["/i18n/nope/en.json", "/i18n/display/fr.json", "/i18n/display/en-GB.json"]
)
def test_the_endpoint_answers_404_for_an_unknown_domain_or_language(app, path):
    assert app.test_client().get(path).status_code == 404
