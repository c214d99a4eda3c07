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
    with pytest.raises(ModelError, match=r"\[E025\]"):
        tagger.read_model(other)
    with pytest.raises(ModelError, match=r"\[E025\]"):
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
    assert (name, typ) in _found(text)


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
