"""Item search by pinyin initials (prefix, substring, in-order abbreviation) and Chinese text,\non the demo hall's catalog as the real app sends it."""

from __future__ import annotations

import pytest

from kiosk.catalog import Catalog, is_subsequence, match_rank


@pytest.fixture
def catalog(demo_catalog) -> Catalog:
    return Catalog.from_api(demo_catalog)


def test_subsequence():
    assert is_subsequence("dbsq", "zdshbzsq")  # z-D-s-h-B-z-S-Q
    assert not is_subsequence("qsbd", "zdshbzsq")
    assert is_subsequence("", "abc")


def test_ranks(catalog):
    dibao = catalog.item("MZ-01")
    assert match_rank("zdsh", dibao) == 0  # prefix of the initials
    assert match_rank("shbz", dibao) == 1  # inside the initials
    assert match_rank("dbsq", dibao) == 2  # the common abbreviation 低保申请
    assert match_rank("dibao", dibao) == 3  # the English name
    assert match_rank("最低", dibao) == 0 and match_rank("保障", dibao) == 1
    assert match_rank("低保", dibao) == 2
    assert match_rank("xyz", dibao) is None and match_rank("  ", dibao) is None


def test_search_orders_best_first(catalog):
    codes = [i.code for i in catalog.search("cjr")]
    assert codes[:3] == ["MZ-05", "CL-01", "CL-02"]  # 残疾人… items, in catalog order
    assert [i.code for i in catalog.search("hjzm")] == ["HJ-02"]
    assert catalog.search("") == []


def test_next_letters_only_lead_somewhere(catalog):
    letters = catalog.next_letters("dbs")
    assert "q" in letters
    assert all(catalog.search("dbs" + c) for c in letters)
    assert not any(catalog.search("dbs" + c) for c in set("abcdefghijklmnopqrstuvwxyz") - letters)
