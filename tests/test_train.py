"""The training harness: annotated sets as training data, cross-validation, one weights format."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, strategies as st

from kg.errors import ModelError
from kg.extract import weights
from kg.train import gold
from kg.train.cv import Counts, cross_validate, folds
from kg.train.report import replace_section


@given(st.text(alphabet="中国美拜登《》“” 会议", max_size=40),
       st.lists(st.sampled_from(["中国", "美国", "拜登", "会议", "国美", "中国会议"]), max_size=4, unique=True))
def test_gold_find_names_spans_are_the_names(text, names):
    spans = gold.find_names(text, {("Place", n): False for n in names})
    for a, b in zip(spans, spans[1:]):
        assert a.end <= b.start
    for s in spans:
        assert text[s.start:s.end] == s.text
        assert gold.norm(s.text) == gold.norm(s.name)


@pytest.mark.parametrize("text, names, expected", [
    ("中国会议在中国举行", {("Event", "中国会议"): False, ("Place", "中国"): False},
     [("中国会议", "Event"), ("中国", "Place")]),
    ("美国总统", {("Place", "美国"): True, ("Place", "美国总统"): False}, [("美国总统", "Place")]),
    ("签署《巴黎协定》", {("Policy", "巴黎协定"): False}, [("巴黎协定", "Policy")]),
])
def test_gold_find_names_longest_first(text, names, expected):
    assert [(s.text, s.label) for s in gold.find_names(text, names)] == expected


def test_gold_check_set_refused(tmp_path):
    with pytest.raises(ModelError, match=r"\[E027\]"):
        gold.load(["xwlb-dev2b"])
    with pytest.raises(ModelError, match=r"\[E027\]"):
        gold.read_set("mine", tmp_path / "xwlb-dev2b.jsonl", tmp_path / "g.json")


def test_gold_annotation_names_its_texts(tmp_path):
    records = [{"id": "n0", "title": "某会议举行", "date": "2024-01-01", "text": "同名的另一条。"},   # same headline
               {"id": "n1", "title": "某会议举行", "date": "2024-01-02", "text": "某会议2日在北京举行。张三主持会议。"}]
    (tmp_path / "texts.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                          encoding="utf-8")
    ann = tmp_path / "ann"
    ann.mkdir()
    (ann / "mine.gold.json").write_text(json.dumps({
        "texts": "texts.jsonl", "articles": [{"id": "n1", "title": "某会议举行", "authors": []}],
        "entities": {"Person": [{"name": "张三"}], "Event": [{"name": "某会议", "date": "2024-01-02"}]},
        "optional": {"Place": ["北京"]}, "relations": {"speaker": [["某会议", "张三"]]}}, ensure_ascii=False),
        encoding="utf-8")
    shared = tmp_path / "shared"
    (shared / "corpus").mkdir(parents=True)
    (shared / "corpus" / "texts.jsonl").write_bytes((tmp_path / "texts.jsonl").read_bytes())
    [s] = gold.load(shared=shared, annotations=ann)
    [item] = s.items
    assert (item.id, item.date) == ("n1", "2024-01-02")
    spans = s.spans(item.articles[0])
    assert [(x.text, x.label, x.optional) for x in spans] == [
        ("某会议", "Event", False), ("某会议", "Event", False), ("北京", "Place", True), ("张三", "Person", False)]
    assert s.relations["speaker"] == (("某会议", "张三"),)
    assert s.entity("Event", "某会议").date == "2024-01-02"


def test_gold_tune_sets_read_as_the_pipeline_reads(tune_sets):
    assert [s.name for s in tune_sets] == list(gold.TUNE)
    for s in tune_sets:
        assert s.items, s.name
        found = {(x.label, x.name) for i in s.items for a in i.articles for x in s.spans(a)}
        named = [e for e in s.entities if any((e.label, n) in found for n in e.names)]
        assert len(named) >= 0.85 * len(s.entities), s.name   # the rest are bodies named only inside longer names


def test_cv_folds_stratified_and_stable():
    items = [(s, i) for s in "ab" for i in range(7)]
    one = folds(items, 5, seed=3, key=lambda x: x)
    assert one == folds(list(reversed(items)), 5, seed=3, key=lambda x: x)
    assert sorted(x for f in one for x in f) == sorted(items)
    assert [len(f) for f in one] == [3, 3, 3, 3, 2]
    assert all({s for s, _ in f} == {"a", "b"} for f in one[:4])
    assert one != folds(items, 5, seed=4, key=lambda x: x)


def test_cv_cross_validate_scores_held_out_items():
    items = [("s", i) for i in range(20)]
    seen_in_training = []

    def fit(train):
        seen_in_training.append({i for _, i in train})
        return {i % 2 for _, i in train}       # learns which parities occur: generalizes

    def evaluate(model, test):
        return {"parity": Counts(sum(i % 2 in model for _, i in test), 0, 0)}

    r = cross_validate(items, fit, evaluate, k=4, seed=0, key=lambda x: x)
    assert [len(s) for s in seen_in_training] == [15, 15, 15, 15, 20]
    assert r.cv["parity"].tp == 20 and r.train["parity"].tp == 20 and r.sizes == (5, 5, 5, 5)


def test_weights_roundtrip_and_refusals(tmp_path):
    p = weights.write(tmp_path / "toy-2.npz", "toy", "2", {"w": np.ones((2, 3), np.float16), "v": np.array(["甲", "乙"])},
                      {"seed": 7, "figures": {"cv": 0.5}})
    w = weights.read(p, "toy", "2")
    assert w["w"].shape == (2, 3) and w.strings("v") == ["甲", "乙"] and w.meta["seed"] == 7
    with pytest.raises(ValueError):
        w["w"][0, 0] = 2
    with pytest.raises(ModelError, match=r"\[E026\].*version '3'"):
        weights.read(p, "toy", "3")
    with pytest.raises(ModelError, match=r"\[E026\]"):
        weights.read(tmp_path / "missing-1.npz", "missing", "1")
    bad = tmp_path / "obj-1.npz"
    np.savez(bad, model=np.array("obj"), version=np.array("1"), x=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ModelError, match=r"\[E026\]"):     # object arrays would need pickle: refused
        weights.read(bad, "obj", "1")


@pytest.mark.parametrize("doc, expected", [
    ("", "<!-- model:m -->\nnew\n<!-- /model:m -->\n"),
    ("head\n<!-- model:m -->\nold\n<!-- /model:m -->\ntail\n", "head\n<!-- model:m -->\nnew\n<!-- /model:m -->\ntail\n"),
    ("<!-- model:x -->\nx\n<!-- /model:x -->\n",
     "<!-- model:x -->\nx\n<!-- /model:x -->\n<!-- model:m -->\nnew\n<!-- /model:m -->\n"),
])
def test_report_replace_section_keeps_the_rest(doc, expected):
    assert replace_section(doc, "m", "new") == expected


def test_train_ner_learns_the_annotated_news_on_tiny_data(tmp_path):
    """The NER trainer end to end on tiny data (no ../shared): annotated items labelled from their gold
    (optional names keep the public-only model's labels), CRFs trained and exported, counted by 2-fold CV."""
    pytest.importorskip("pycrfsuite")
    from pathlib import Path

    from kg.extract import tagger
    from kg.train import ner
    from kg.train.cv import cross_validate

    records = [
        {"id": f"n{i}", "title": f"第{i}条新闻", "date": "2024-01-0%d" % (i + 1),
         "text": f"新西兰总理史密斯{i}日在北京会见了江苏省代表团。外交部发言人王小红出席。"} for i in range(4)]
    shared = tmp_path / "shared"
    (shared / "corpus").mkdir(parents=True)
    (shared / "corpus" / "news.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                                  encoding="utf-8")
    ann = tmp_path / "annotations"
    ann.mkdir()
    (ann / "tiny.gold.json").write_text(json.dumps({
        "texts": "news.jsonl", "articles": [{"id": r["id"], "title": r["title"]} for r in records],
        "entities": {"Person": [{"name": "史密斯"}, {"name": "王小红"}], "Place": [{"name": "新西兰"}, {"name": "北京"}],
                     "Organization": [{"name": "外交部"}]},
        "optional": {"Organization": ["江苏省代表团"]}, "relations": {}}, ensure_ascii=False), encoding="utf-8")
    sets = gold.load(shared=shared, annotations=ann)
    lex = ner.lexicon()
    patterns = tagger.lexicon_patterns(lex)
    here = Path(__file__).resolve().parent
    public = []
    for text, ents in ner.read_corpus(here / "data" / "ner-tiny.jsonl"):
        from kg.extract.nlp import tag_spans

        words = [(w.start, w.end, w.tag) for w in tag_spans(text, [(0, len(text))])]
        public.append((text, words, ner.bio(len(text), ents, {"PER": "PER", "LOC": "LOC", "ORG": "ORG"})))
    cfg = {"c1": 0.05, "c2": 0.01, "minfreq": 1}

    def fit(items):
        path, _ = ner.train_crf("ent", cfg, public, items, patterns, seed=1, weight=2, iterations=30, workdir=tmp_path,
                                log=lambda _: None)
        return tagger.model_from(ner.export({"ent": path}, lex))

    base = fit(())
    items = ner.annotated_items(sets, base)
    assert len(items) == 4
    piece = next(p for p in items[0].pieces if "史密斯" in p.text)
    text, labels = piece.text, piece.labels
    s = text.index("史密斯")
    assert labels[s:s + 3] == ("B-PER", "I-PER", "I-PER")
    assert all(x == "O" for x in labels[text.index("会见"):text.index("会见") + 2])
    opt = text.index("江苏省代表团")  # optional: what the public-only model reads there, not O by the gold
    assert labels[opt:opt + 6] == tuple(
        ner._labels(len(text), [], [(0, len(text))], [(x.start, x.end, x.type) for x in tagger.tag(
            text, [(0, len(text))], ner.article_words(text, [(0, len(text))]), model=base, types=tagger.NAME_TAGS)])[opt:opt + 6])
    report = cross_validate(items, fit, ner.measure, k=2, seed=0, key=lambda a: (a.set, a.id))
    assert {"PER", "LOC", "ORG", "Person", "Place", "Organization"} <= set(report.cv)
    assert report.cv["PER"].tp + report.cv["PER"].fn == 8  # two gold people in each of the four items
    assert report.train["PER"].tp > 0 and report.train["Person"].tp > 0
