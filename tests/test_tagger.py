"""The shipped character CRF (kg.extract.tagger): its weights, its tags, its offsets, its bounds."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import ModelError
from kg.extract import tagger
from kg.extract.nlp import sentences, tag_spans


def _tag(text: str) -> list[tagger.Span]:
    spans = sentences(text)
    return tagger.tag(text, spans, tag_spans(text, spans))


def _found(text: str) -> set[tuple[str, str]]:
    return {(text[s.start : s.end], s.type) for s in _tag(text)}


def test_tagger_shipped_weights_carry_the_code_version():
    path = tagger.model_path()
    assert path.is_file(), path
    with np.load(path, allow_pickle=False) as z:
        assert str(z["version"]) == tagger.MODEL_VERSION
    m = tagger.load()
    assert m.version == tagger.MODEL_VERSION
    assert path.stat().st_size < 8 * 2**20


def test_tagger_loads_once_per_process():
    assert tagger.load() is tagger.load()


def test_tagger_refuses_weights_of_another_version(tmp_path):
    with np.load(tagger.model_path(), allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["version"] = np.array("0")
    other = tmp_path / "ner-0.npz"
    np.savez(other, **arrays)
    with pytest.raises(ModelError, match=r"\[E026\]"):
        tagger.read_model(other)
    with pytest.raises(ModelError, match=r"\[E026\]"):
        tagger.read_model(tmp_path / "missing.npz")


@pytest.mark.parametrize(
    "text, name, typ",
    [
        ("记者王小红报道，村里新修了一条公路。", "王小红", "PER"),
        ("张建国说，今年的收成比去年好。", "张建国", "PER"),
        ("教育部近日发布通知，要求各地做好招生工作。", "教育部", "ORG"),
        ("国家统计局今天公布了上月的数据。", "国家统计局", "ORG"),
        ("代表团一行抵达四川省成都市。", "四川省", "LOC"),
        ("这家企业的产品远销日本和韩国。", "日本", "LOC"),
        ("公司董事长在会上作了报告。", "董事长", "TITLE"),
        ("副市长主持召开专题会议。", "副市长", "TITLE"),
    ],
)
def test_tagger_tags_made_up_sentences(text, name, typ):
    found = _found(text)
    # a title may come with the verb glued to it (副市长主持): it is read there all the same
    assert (name, typ) in found or (typ == "TITLE" and any(s.startswith(name) and t == typ for s, t in found))


def test_tagger_offsets_point_into_the_text():
    text = "一是甲。\n  记者王小红报道：教育部近日在河北省召开会议。"
    spans = _tag(text)
    assert spans
    for sp in spans:
        assert 0 <= sp.start < sp.end <= len(text)
        assert text[sp.start : sp.end].strip() == text[sp.start : sp.end]
    assert ("教育部", "ORG") in {(text[s.start : s.end], s.type) for s in spans}


def test_tagger_reads_only_the_spans_it_is_given():
    text = "王小红在北京工作。李大明在上海工作。"
    first = (0, text.index("。") + 1)
    spans = tagger.tag(text, [first], tag_spans(text, [first]))
    assert spans and all(s.end <= first[1] for s in spans)


@pytest.mark.parametrize("text", ["", "。", "\n\n"])
def test_tagger_empty_text(text):
    assert tagger.tag(text, sentences(text), []) == []
    assert tagger.tag(text, [], []) == []


def test_tagger_long_run_without_punctuation_in_bounded_time():
    text = "张建国在北京市教育部工作" * 417  # 5,004 characters, no sentence end
    spans = [(0, len(text))]
    tokens = tag_spans(text, spans)
    t0 = time.perf_counter()
    found = tagger.tag(text, spans, tokens)
    assert time.perf_counter() - t0 < 5.0
    assert found and all(0 <= s.start < s.end <= len(text) for s in found)


_CHARS = st.sampled_from(list("王李张国家省市部委会长书记主席北京河南教育工作发展在了和的，。；、 \n·1a") + ["中国", "人民", "政府"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CHARS, max_size=80).map("".join))
def test_tagger_spans_lie_inside_the_text_and_never_overlap(text):
    spans = _tag(text)
    for sp in spans:
        assert 0 <= sp.start < sp.end <= len(text)
        assert sp.type in tagger.TYPES
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    for a, b in zip(ordered, ordered[1:]):
        assert a.end <= b.start


def test_tagger_numpy_viterbi_agrees_with_crfsuite(tmp_path):
    """Two tiny CRFs trained by crfsuite on tests/data/ner-tiny.jsonl and exported as the tagger's arrays
    give, run by numpy, the labels crfsuite's own Viterbi gives, on every sentence of the sample page."""
    pycrfsuite = pytest.importorskip("pycrfsuite")
    from pathlib import Path

    from kg.extract.context import reading
    from kg.segment.layout import segment
    from kg.sources import iter_documents
    from kg.train import ner

    here = Path(__file__).resolve().parent
    recs = ner.read_corpus(here / "data" / "ner-tiny.jsonl")
    lex = ner.lexicon()
    patterns = tagger.lexicon_patterns(lex)
    words = [tag_spans(t, [(0, len(t))]) for t, _ in recs]
    files = {}
    for name, types in (("ent", {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}), ("title", {"TITLE": "TITLE"})):
        seqs = [(t, [(w.start, w.end, w.tag) for w in ws], ner.bio(len(t), ents, types)) for (t, ents), ws in zip(recs, words)]
        files[name], _ = ner.train_crf(name, {"c1": 0.05, "c2": 0.01, "minfreq": 1}, seqs, (), patterns, seed=1, weight=0,
                                       iterations=40, workdir=tmp_path, log=lambda _: None)
    model = tagger.model_from(ner.export(files, lex))
    crfs = {}
    for name, path in files.items():
        crfs[name] = pycrfsuite.Tagger()
        crfs[name].open(str(path))
    sents = []
    for doc in iter_documents([here.parent / "source" / "workers-daily-2022-11-theory.txt"]):
        for art in segment(doc).articles:
            sents += [art.text[s:e] for s, e in reading(art)[1] if 0 < e - s <= tagger.WINDOW]
    assert len(sents) > 100
    differ = []
    for text in sents:
        toks = tag_spans(text, [(0, len(text))])
        att = tagger.attributes(text, [(t.start, t.end, t.tag) for t in toks], patterns)
        spans = []
        for name in ("ent", "title"):
            labels = crfs[name].tag(att)
            order = ("O", *sorted({*crfs[name].labels()} - {"O"}))
            spans.append(tagger.decode([order.index(x) for x in labels], order, 0))
        expected = tagger.merge(*spans)
        got = tagger.tag(text, [(0, len(text))], toks, model=model)
        if got != expected:
            differ.append((text, got, expected))
    assert any(spans for spans in [tagger.tag(t, [(0, len(t))], tag_spans(t, [(0, len(t))]), model=model) for t in sents[:40]])
    assert not differ, differ[:3]
