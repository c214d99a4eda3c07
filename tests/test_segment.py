"""Page segmentation on the sample page and on pages rebuilt from its own pieces."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.model import Document
from kg.segment.layout import heading_like, split_lines, segment, segment_page
from pages import page, pieces

GOLD_IDS = ("A", "B", "C", "D")


def _gold(gold, gid):
    return next(a for a in gold["articles"] if a["id"] == gid)


def test_segment_finds_the_four_articles_of_the_sample(sample_page, gold):
    assert len(sample_page.articles) == len(gold["articles"])
    assert sample_page.meta.column == gold["page"]["column"]


@pytest.mark.parametrize("gid", GOLD_IDS)
def test_segment_titles_and_authors_match_gold(gold_by_title, gold, gid):
    g, art = _gold(gold, gid), gold_by_title[gid]
    assert art is not None, f"no article titled {g['title']}"
    assert art.authors == tuple(g["authors"])
    assert art.compilers == tuple(g.get("compiled_by", []))


@pytest.mark.parametrize("gid", GOLD_IDS)
def test_segment_opinion_box_goes_to_its_article(gold_by_title, gold, gid):
    assert gold_by_title[gid].abstract == (_gold(gold, gid)["opinion"] or "")


@pytest.mark.parametrize("gid", GOLD_IDS)
def test_segment_section_headings_match_gold(gold_by_title, gold, gid):
    assert list(gold_by_title[gid].sections) == _gold(gold, gid)["sections"]


@pytest.mark.parametrize("gid", GOLD_IDS)
def test_segment_body_starts_and_ends_as_gold(gold_by_title, gold, gid):
    g, body = _gold(gold, gid), gold_by_title[gid].body
    assert body.startswith(g["body_starts_with"])
    assert body.endswith(g["body_ends_with"])


@pytest.mark.parametrize("gid", ("A", "B", "C"))
def test_segment_author_note_closes_its_article(gold_by_title, gold, gid):
    notes = [b.text for b in gold_by_title[gid].blocks if b.role == "note"]
    assert notes == [_gold(gold, gid)["author_note"]]


def test_segment_attributions_are_speaker_lines_of_the_compiled_article(gold_by_title, gold):
    lines = [b.text for b in gold_by_title["D"].blocks if b.role == "attribution"]
    assert [l.rsplit(" ", 1)[-1] for l in lines] == _gold(gold, "D")["speakers"]


def test_segment_paragraphs_rejoin_lines_without_spaces_or_losses(sample_page, sample_text):
    for art in sample_page.articles:
        for b in art.blocks:
            assert "\n" not in b.text
            assert b.text == "".join(sample_text[i] for i in b.offsets)
            raw = sample_text[b.source_start:b.source_end]
            assert re.sub(r"\s", "", raw) == re.sub(r"\s", "", b.text), b.role
    a = next(a for a in sample_page.articles if a.abstract.startswith("在共建共治共享"))
    assert " " not in a.abstract  # the letter-spaced first line is closed up
    d = next(a for a in sample_page.articles if a.compilers)
    assert d.body.startswith("11月 10日")  # a real space in the text is kept


def test_segment_article_text_is_its_blocks(sample_page):
    for art in sample_page.articles:
        for start, block in zip(art.starts, art.blocks):
            assert art.text[start:start + len(block.text)] == block.text
            if block.text:
                assert art.source_offset(start) == block.offsets[0]


def _expect(art_by_title, sample_page):
    for ref in sample_page.articles:
        got = art_by_title.get(ref.title.replace(" ", ""))
        assert got is not None, f"lost article {ref.title}"
        assert got.authors == ref.authors
        assert got.compilers == ref.compilers
        assert got.abstract == ref.abstract
        assert got.sections == ref.sections
        # paragraph breaks are ambiguous when a wrapped line happens to end a sentence
        assert got.body.replace("\n", "") == ref.body.replace("\n", "")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_segment_shuffled_pieces_of_the_sample_are_reassembled(sample_page, seed):
    parts = [pieces(a) for a in sample_page.articles]
    rng = random.Random(seed)
    floating = [p["title"] for p in parts] + [p["opinion"] for p in parts if "opinion" in p]
    rng.shuffle(floating)
    bodies = [page([p.get("byline", ""), p["body"], p.get("closers", "")]) for p in parts]
    rng.shuffle(bodies)
    # titles and opinion boxes come first, then the bodies, as a column export may give them
    text = page(floating + bodies)
    got = segment_page(text)
    assert len(got.articles) == len(sample_page.articles)
    _expect({a.title.replace(" ", ""): a for a in got.articles}, sample_page)


def test_segment_titles_interleaved_between_bodies(sample_page):
    parts = [pieces(a) for a in sample_page.articles]
    seq = []
    for p in reversed(parts):
        seq += [p.get("opinion", ""), p["title"], p.get("byline", ""), p["body"], p.get("closers", "")]
    got = segment_page(page(seq))
    _expect({a.title.replace(" ", ""): a for a in got.articles}, sample_page)


def test_segment_two_pages_concatenated(sample_text, sample_page):
    got = segment_page(sample_text + "\n\n" + sample_text)
    assert len(got.articles) == 2 * len(sample_page.articles)
    titles = sorted(a.title for a in got.articles)
    assert titles == sorted(2 * [a.title for a in sample_page.articles])
    for art in got.articles:
        for b in art.blocks:
            assert b.text == "".join(got.text[i] for i in b.offsets)


def test_segment_article_without_opinion_box(sample_page):
    parts = [pieces(a) for a in sample_page.articles]
    seq = []
    for p in parts:
        seq += [p["title"], p.get("byline", ""), p["body"], p.get("closers", "")]  # no opinion at all
    got = segment_page(page(seq))
    assert [a.abstract for a in got.articles] == [""] * len(parts)
    assert [a.title.replace(" ", "") for a in got.articles] == [a.title.replace(" ", "") for a in sample_page.articles]


def test_segment_byline_with_three_names(sample_page):
    art = next(a for a in sample_page.articles if len(a.authors) == 2)
    p = pieces(art)
    three = "苏炜 刘景芝 张冬梅"
    got = segment_page(page([p["title"], p["opinion"], three, p["body"], p["closers"]]))
    assert got.articles[0].authors == ("苏炜", "刘景芝", "张冬梅")
    assert got.articles[0].title == art.title.replace(" ", "")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("加强职业教育与培训", True),
        ("坚持育用结合 激发产业工人技术创新活力", True),
        ("一是深化创新创效活动", False),
        ("劳动法律法规的执行和落实直接关系", True),  # shape alone; the column width decides
        ("工会劳动法律监督能够推动源头治理，", False),
        ("第一，切实提高基层工会建会率", False),
    ],
)
def test_segment_heading_like_table(text, expected):
    assert heading_like(text) is expected


def test_segment_letter_spaced_line_is_closed_up():
    (line,) = split_lines("在 共 建 共 治 共 享 的 社")
    assert line.text == "在共建共治共享的社"
    assert line.offsets == tuple(range(0, 17, 2))


def test_segment_article_file_keeps_metadata_title_and_authors():
    doc = Document("x", "article", "正文第一段。\n\n——某某大学教授 张三\n\n（作者单位：某某大学）", title="标题", authors=("李四",), format="jsonl")
    page_ = segment(doc)
    (art,) = page_.articles
    assert art.title == "标题" and art.authors == ("李四",)
    assert [b.role for b in art.blocks] == ["title", "byline", "paragraph", "attribution", "note"]
    assert all(i == -1 for b in art.blocks[:2] for i in b.offsets)  # from metadata, not read from the text


_cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80)
_line = st.one_of(
    st.text(_cjk, min_size=1, max_size=20),
    st.text(_cjk, min_size=2, max_size=18).map(lambda s: s + "。"),
    st.sampled_from(["●观 点", "（作者单位：某某大学）", "（张三 整理）", "——某某大学教授 李四", "张三 李四", "", "（作者为", "“", "《"]),
    st.text(min_size=0, max_size=12),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_line, max_size=40), st.sampled_from(["\n", "\n\n"]))
def test_segment_never_fails_and_keeps_offsets_on_page_like_text(lines, sep):
    text = sep.join(lines)
    got = segment_page(text)
    for art in got.articles:
        assert art.title
        for start, b in zip(art.starts, art.blocks):
            assert len(b.text) == len(b.offsets)
            assert b.text == "".join(text[i] for i in b.offsets)
            assert art.text[start:start + len(b.text)] == b.text


def test_segment_title_broken_over_two_blank_separated_lines(sample_page):
    parts = [pieces(a) for a in sample_page.articles]
    seq = [sample_page.meta.column]  # the page opens with its column heading
    for a, p in zip(sample_page.articles, parts):
        title = a.title.replace(" ", "")
        if len(title) > 20:  # set in two lines with a blank line between them
            p["title"] = title[:12] + "\n\n" + title[12:]
        seq += [p["title"], p.get("opinion", ""), p.get("byline", ""), p["body"], p.get("closers", "")]
    got = segment_page(page(seq))
    assert [a.title.replace(" ", "") for a in got.articles] == [a.title.replace(" ", "") for a in sample_page.articles]
    assert got.meta.column == sample_page.meta.column


def test_segment_interview_subtitle_stays_with_its_title_not_a_speaker(sample_page):
    art = next(a for a in sample_page.articles if a.authors == ("张冬梅",))
    p = pieces(art)
    text = page([sample_page.meta.column, p["title"] + "\n——访中国劳动关系学院教授张冬梅", p["opinion"], p["body"], p["closers"]])
    (got,) = segment_page(text).articles
    assert got.title.replace(" ", "") == art.title.replace(" ", "")
    assert [b.text for b in got.blocks if b.role == "subtitle"] == ["——访中国劳动关系学院教授张冬梅"]
    assert not [b for b in got.blocks if b.role == "attribution"]


def test_segment_titles_matched_as_a_whole_not_best_pair_first(sample_page):
    # ten titles over ten bodies (the sample's four articles twice, and two more): "电动汽车充电桩建设" shares
    # more with the second body than with its own, whose title shares nothing with the first; taking the best
    # pair first (as a greedy match does) gives the second body the wrong title and leaves the first without one
    parts = [pieces(a) for a in sample_page.articles] * 2
    titles = [p["title"] for p in parts] + ["电动汽车充电桩建设", "老旧小区物业协调难"]
    titles += [p["opinion"] for p in parts if "opinion" in p]
    bodies = [page([p.get("byline", ""), p["body"], p.get("closers", "")]) for p in parts] + [
        "本报记者 李明\n\n今年以来，本市电动汽车销量上升，新装充电桩三千个。\n",
        "本报记者 王芳\n\n老旧小区电动汽车充电桩建设滞后，物业协调困难。\n"]
    got = segment_page(page(titles + bodies))
    by_title = {a.title.replace(" ", ""): a.text for a in got.articles}
    assert len(got.articles) == 10
    assert "新装充电桩三千个" in by_title["电动汽车充电桩建设"]
    assert "物业协调困难" in by_title["老旧小区物业协调难"]
    _expect({t: a for a in got.articles if (t := a.title.replace(" ", "")) in by_title}, sample_page)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5).flatmap(lambda rows: st.lists(
    st.lists(st.integers(0, 100).map(lambda n: n / 100), min_size=rows, max_size=rows), min_size=1, max_size=5)))
def test_segment_assignment_has_the_best_total_score(scores):
    from itertools import permutations

    from kg.segment.layout import _assign

    threshold = 0.15
    rows, cols = len(scores), len(scores[0])
    best = max(sum(scores[r][c] for r, c in enumerate(perm) if c is not None and scores[r][c] >= threshold)
               for perm in permutations(list(range(cols)) + [None] * rows, rows))
    got = _assign(scores, threshold)
    assert len(set(got.values())) == len(got) and all(scores[r][c] >= threshold for r, c in got.items())
    assert abs(sum(scores[r][c] for r, c in got.items()) - best) < 1e-9
