"""Extraction stays linear in the length of an article: counted work, not timed."""

from __future__ import annotations

import itertools
import json
import sys
import unicodedata
from pathlib import Path

import pytest

from kg.extract.context import analyse
from kg.extract.extraction import extract_page, page_words
from kg.extract.spans import SpanIndex
from kg.model import Article, Block, Document
from kg.segment.layout import segment

ROOT = Path(__file__).resolve().parents[1]
KG = ROOT / "kg"
COUNTED = (KG / "extract", KG / "lexicon")
NOT_COUNTED = (KG / "extract" / "nlp.py",)  # the model's runner: batched, measured elsewhere


def _flat_text(n: int) -> str:
    """``n`` characters of the bench's news with punctuation and line breaks removed: one run LAC reads in windows."""
    from conftest import shared_data

    out, size = [], 0
    with shared_data("corpus", "bench", "xwlb-2000.jsonl").open(encoding="utf-8") as f:
        for line in f:
            t = "".join(c for c in json.loads(line)["text"] if not (unicodedata.category(c).startswith("P") or c.isspace()))
            out.append(t)
            size += len(t)
            if size >= n:
                break
    return "".join(out)[:n]


def _lines_run(fn, within=COUNTED) -> int:
    """Lines of kg/extract and kg/lexicon (not the model's runner), or of the files and folders ``within``,
    that ``fn()`` executes."""
    counted = tuple(str(p) for p in within)
    skipped = tuple(str(p) for p in NOT_COUNTED)
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, arg):
        name = frame.f_code.co_filename
        if name.startswith(counted) and not name.startswith(skipped):
            return local
        return None

    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(old)
    return count


def test_linear_extraction_work_grows_with_the_article_not_its_square():
    counts = {}
    for n in (10_000, 100_000):
        page = segment(Document("flat", "page", "长文\n\n" + _flat_text(n)))
        assert page.articles and len(page.articles[0].text) >= n
        words = page_words([page])[0]  # the model, outside the count
        counts[n] = _lines_run(lambda: extract_page(page, words=words))
    assert counts[10_000] > 10_000  # the count sees the extractors' work
    assert counts[100_000] < 1.5 * 10 * counts[10_000], counts


def _context(text: str):
    return analyse(Article.build("x", "T", (Block("paragraph", text, tuple(range(len(text)))),)))


@pytest.mark.parametrize("text", [
    "张三在北京工作。李四到上海出差，王五留在杭州。",
    "某某市人民政府召开常务会议研究部署有关工作会议由市长主持" * 30,
    "甲。乙。丙。",
])
def test_linear_context_bisection_gives_the_scans_answers(text):
    ctx = _context(text)
    toks = ctx.tokens
    assert all(t.start < t.end for t in toks)  # no empty token
    assert all(a.start <= b.start for a, b in zip(toks, toks[1:]))  # sorted by start: what bisection needs
    assert ctx.token_starts is not None
    n = len(ctx.text)
    for s in range(0, n + 2, 3):
        for e in range(s, n + 3, 7):
            assert ctx.tokens_in(s, e) == [t for t in toks if s <= t.start and t.end <= e]
            assert set(ctx.token_range(s, e)) >= {i for i, t in enumerate(toks) if s <= t.start and t.end <= e}
    for i in range(-1, n + 2):
        scan = next(((s, e) for s, e in ctx.sentences if s <= i < e), (i, i + 1))
        assert ctx.sentence_of(i) == scan
    for o in ctx.org_spans:
        assert o in ctx.org_spans_at[o.start]


_SPAN_SETS = [(), ((3, 3),), ((0, 2), (5, 8)), ((1, 4), (2, 3), (2, 6), (7, 7), (6, 9)), ((0, 9), (4, 5), (4, 5))]


@pytest.mark.parametrize("spans", _SPAN_SETS)
def test_linear_span_index_answers_as_any(spans):
    ix = SpanIndex(spans)
    for a, b in itertools.product(range(-1, 11), repeat=2):
        assert ix.overlaps(a, b) == any(s < b and a < e for s, e in spans)
        assert ix.contains(a, b) == any(s <= a and b <= e for s, e in spans)
        assert ix.contains(a, b, strict=True) == any(s <= a and b <= e and (s, e) != (a, b) for s, e in spans)
    for i in range(-1, 11):
        assert ix.holds(i) == any(s <= i < e for s, e in spans)
