"""The event tagger (kg.extract.event_spans): the sentences it reads, its features, its spans."""

from __future__ import annotations

import pytest

from kg import extract
from kg.extract.event_spans import TEMPLATES, find, flags, pieces, split, values
from kg.extract.nlp import ProvenWords, Token
from kg.model import Article, Block, Meta, Mention, Relation


def test_event_spans_reads_sentences_with_a_head_word_or_a_candidate():
    t = "今天天气很好。某论坛在京开幕。张三出席。"
    assert pieces(t, [(0, 7), (7, 15), (15, 20)]) == [(7, 15)]
    assert pieces(t, [(0, 7), (7, 15), (15, 20)], [(15, 17, "Talks0")]) == [(7, 15), (15, 20)]


def test_event_spans_values_align_with_the_characters():
    t = "出席第八届某某博览会开幕式"
    toks = [Token(0, 2, "出席", "v"), Token(2, 5, "第八届", "m"), Token(5, 10, "某某博览会", "nz"), Token(10, 13, "开幕式", "n")]
    v = values(t, 0, len(t), toks, [(2, 10, "Meeting1")])
    assert set(v) == set(TEMPLATES)
    assert all(len(x) == len(t) for x in v.values())
    assert v["c0"] == list(t)
    assert v["ed"][2:5] == ["B", "I", "E"]
    assert v["rc"][2] == "B-Meeting1" and v["rc"][9] == "E-Meeting1"
    assert v["hd"][7:10] == ["B", "I", "E"]
    assert v["w0"][5] == "nz-B" and v["wt"][5] == "某某博览会"


def test_event_spans_flags():
    assert flags(5, [(0, 1), (2, 5)]) == ["S", "", "B", "I", "E"]


@pytest.mark.parametrize("text, spans", [
    ("出席甲论坛和乙会议", ["甲论坛", "乙会议"]),
    ("出席甲论坛、乙峰会", ["甲论坛", "乙峰会"]),
    ("中美经贸会谈", ["中美经贸会谈"]),
    ("某某与某某会谈", ["某某与某某会谈"]),
    ("某会议，某论坛", ["某会议", "某论坛"]),
])
def test_event_spans_split_joined_names(text, spans):
    start = 2 if text.startswith("出席") else 0
    assert [text[s:e] for s, e in split(text, start, len(text))] == spans


def test_event_spans_shipped_model_reads_the_sample_page_meeting(sample_page):
    """The sample page's report of a 座谈会 (never trained on): the meeting, its organizer and its speakers."""
    found, rels = set(), set()
    for art in sample_page.articles:
        ctx = extract.analyse(art, proven=ProvenWords(()))
        for r in extract.get("event")(ctx):
            if isinstance(r, Mention):
                assert ctx.text[r.start:r.end] == r.text
                found.add(r.name)
            elif isinstance(r, Relation):
                rels.add((r.predicate, r.subject.name, r.role, r.obj if isinstance(r.obj, str) else r.obj.name))
    meeting = [n for n in found if n.endswith("座谈会")]
    assert len(meeting) == 1
    assert any(p == "organizer" and s == meeting[0] for p, s, _, _ in rels)
    assert len({o for p, s, role, o in rels if p == "attendee" and s == meeting[0] and role in ("speaker", "chair")}) >= 5


def test_event_spans_find_on_own_text():
    t = "第九届中国—东盟博览会今天在南宁开幕。"
    ctx = extract.analyse(Article.build("t", "", (Block("paragraph", t, tuple(range(len(t)))),), meta=Meta(date="2024-09-24")),
                          proven=ProvenWords(()))
    spans = find(ctx.text, ctx.read, ctx.tokens)
    assert all(ctx.text[s:e] for s, e in spans)
    recs = list(extract.get("event")(ctx))
    names = {r.name for r in recs if isinstance(r, Mention)}
    assert "第九届中国—东盟博览会" in names
    assert ("startDate", "第九届中国—东盟博览会", "2024-09-24") in {
        (r.predicate, r.subject.name, r.obj) for r in recs if isinstance(r, Relation) and isinstance(r.obj, str)}
