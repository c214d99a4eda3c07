"""The lexicons as data (kg/lexicon/data/*.tsv read by kg.lexicon.table): well-formed, sourced, shipped."""

from __future__ import annotations

import pytest

from kg.errors import LexiconError
from kg.lexicon import orgs, places, posts, state, table

FILES = sorted(p.name for p in table.DATA.glob("*.tsv"))


def test_lexicon_table_files_are_there():
    assert {"state.tsv", "names.tsv", "posts.tsv", "orgs.tsv", "policies.tsv", "places.tsv"} <= set(FILES)


@pytest.mark.parametrize("file", FILES)
def test_lexicon_table_entries_are_sourced_and_unique(file):
    rows, sources = table.read(file)
    assert rows and sources
    assert all(e.source in sources and sources[e.source] for e in rows)
    keys = [(e.name, e.kind) for e in rows]
    assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]
    assert all(e.name == e.name.strip() and "|" not in e.name for e in rows)


def test_lexicon_table_parents_name_bodies_of_the_table():
    names = {n for b in state.BODIES for n in b.names}
    assert all(not b.parent or b.parent in names for b in state.BODIES)


def test_lexicon_table_inverses_derived_in_code():
    assert orgs.PROVINCES["山东"] == "山东省" and "鲁" in places.PROVINCE_ABBREVIATIONS
    assert state.body("国办").name == "国务院办公厅" and state.body("国务院办公厅").parent == "国务院"
    assert posts.implied_body("国家主席") == ("Place", "中国", "主席")


@pytest.mark.parametrize("text, why", [
    ("name\tkind\n", "header"),
    ("name\tkind\tother\tparent\tsource\n甲\tx\t\t\tnowhere\n", "source 'nowhere'"),
    ("#@source s: somewhere\nname\tkind\tother\tparent\tsource\n甲\tx\t\t\n", "4 columns"),
    ("#@source s: somewhere\nname\tkind\tother\tparent\tsource\n\tx\t\t\ts\n", "empty name"),
])
def test_lexicon_table_refuses_malformed_files(tmp_path, monkeypatch, text, why):
    (tmp_path / "bad.tsv").write_text(text, encoding="utf-8")
    monkeypatch.setattr(table, "DATA", tmp_path)
    table.read.cache_clear()
    try:
        with pytest.raises(LexiconError, match=r"\[E220\].*" + why):
            table.read("bad.tsv")
    finally:
        table.read.cache_clear()
