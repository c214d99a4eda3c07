"""Page text -> articles: lines, blocks, and the matching of titles, bylines and opinion boxes to bodies."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from kg.model import Article, Block, Document, Meta, Page
from kg.lexicon.names import NARRATOR, parse_authors

# ---------------------------------------------------------------- lines

_SPACES = " \t\u3000\u00a0\u2002\u2003\u2009\ufeff"
_TERMINAL = re.compile(r"[。！？!?…][”’」』\"）)]*$")
_CLAUSE_PUNCT = re.compile(r"[，。；！？,;!?]")
_MARKER = re.compile(r"^[●■◆▲★◎○•·]?[【\[]?(核心)?(观点|提要|摘要|导读)[】\]]?[：:]?$")
_NOTE = re.compile(r"^[（(](作者|本文作者|笔者)(单位)?[：:为系是]")
_COMPILER = re.compile(r"^[（(]([^（）()]{2,30}?)\s*(采访|记录|摘编|编辑)?整理[）)]$")
_ATTRIBUTION = re.compile(rf"^(——|—|－－|--|{NARRATOR})\s*\S")
_SUBTITLE = re.compile(r"^(——|—|－－|--)\s*(访|专访|记|对话|写在|读|评|谈)")
_ENUMERATOR = re.compile(r"^(一|二|三|四|五|六|七|八|九|十)是|^第[一二三四五六七八九十]+[，,、]|^(首先|其次|再次|最后|另外|此外)[，,]")


@dataclass(frozen=True)
class Line:
    """A non-empty physical line: cleaned text, the source offset of each character, layout facts."""

    text: str
    offsets: tuple[int, ...]
    gap_before: bool  # a blank line stands between this line and the previous one
    index: int  # 0-based index among non-empty lines

    @property
    def width(self) -> float:
        return text_width(self.text)


def text_width(text: str) -> float:
    """Printed width of ``text`` in CJK cells: half-width characters count one half.

    Examples
    --------
    >>> text_width("会员在 25人")
    5.5
    """
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def _letter_spaced(text: str) -> bool:
    """True when most characters are separated by single spaces ("在 共 建 共 治")."""
    gaps = re.findall(r"(?<=[^\s])[ \u3000](?=[^\s])", text)
    chars = len(re.sub(r"\s", "", text))
    return chars >= 3 and len(gaps) >= 2 and len(gaps) >= 0.6 * (chars - 1)


def split_lines(text: str) -> list[Line]:
    """Non-empty lines of ``text``, trimmed and with letter-spacing removed.

    Examples
    --------
    >>> [l.text for l in split_lines(" 在 共 建 共 治\\n\\n会治理中")]
    ['在共建共治', '会治理中']
    >>> split_lines("ab\\n\\ncd")[1].offsets
    (4, 5)
    """
    out: list[Line] = []
    pos, gap = 0, False
    for raw in text.split("\n"):
        start = pos
        pos += len(raw) + 1
        stripped = raw.strip(_SPACES + "\r")
        if not stripped:
            gap = True
            continue
        lead = len(raw) - len(raw.lstrip(_SPACES + "\r"))
        chars = [(c, start + lead + i) for i, c in enumerate(stripped)]
        if _letter_spaced(stripped):
            chars = [(c, i) for c, i in chars if c not in _SPACES]
        chars = [(c, i) for c, i in chars if c != "\r"]
        out.append(Line("".join(c for c, _ in chars), tuple(i for _, i in chars), gap and bool(out), len(out)))
        gap = False
    return out


# ---------------------------------------------------------------- units


@dataclass
class Unit:
    """A run of lines that belong together: a paragraph, a heading, a byline, a note ..."""

    role: str  # paragraph, heading, opinion, byline, note, compiler, attribution, subtitle
    lines: list[Line] = field(default_factory=list)
    subtitles: list["Unit"] = field(default_factory=list)  # of a title: "——访…" lines under it

    @property
    def text(self) -> str:
        return "".join(l.text for l in self.lines)

    @property
    def offsets(self) -> tuple[int, ...]:
        return tuple(i for l in self.lines for i in l.offsets)

    @property
    def terminated(self) -> bool:
        return bool(_TERMINAL.search(self.text))

    def block(self, role: str | None = None) -> Block:
        return Block(role or self.role, self.text, self.offsets)


def heading_like(text: str) -> bool:
    """A line that could be a title or heading: short, no clause punctuation, not an enumeration.

    Examples
    --------
    >>> heading_like("加强职业教育与培训"), heading_like("一是深化创新创效活动"), heading_like("工作。")
    (True, False, False)
    """
    return (
        1 < len(text) <= 40
        and not _CLAUSE_PUNCT.search(text)
        and not _ENUMERATOR.match(text)
        and not text.endswith(("：", ":"))
    )


def _line_kind(line: Line) -> str:
    t = line.text
    if _MARKER.match(re.sub(r"\s", "", t)):
        return "marker"
    if _NOTE.match(t):
        return "note"
    if _COMPILER.match(t):
        return "compiler"
    if _SUBTITLE.match(t):
        return "subtitle"
    if _ATTRIBUTION.match(t):
        return "attribution"
    if parse_authors(t, page=True):
        return "byline"
    return "text"


def _column_width(lines: list[Line], at: int) -> float:
    """Full width of the column the lines after ``at`` are set in."""
    sample = []
    for line in lines[at + 1 : at + 16]:
        if _line_kind(line) != "text":
            break
        sample.append(line)
    if not sample:
        return 0.0
    plain = [l.width for l in sample if not re.search(r"[，。；：、！？“”《》（）]", l.text)]
    if len(plain) >= 2:
        return max(plain)
    widths = sorted(l.width for l in sample)
    return widths[len(widths) // 2] - 1


def _heading_run(lines: list[Line], i: int) -> int:
    """How many lines from ``i`` form one heading: lines set close together (no blank line
    between them in a region where lines are blank-separated), each heading-like."""
    n = 1
    while (
        i + n < len(lines)
        and n < 4
        and not lines[i + n].gap_before
        and _line_kind(lines[i + n]) == "text"
        and (heading_like(lines[i + n].text) or (len(lines[i + n].text) == 1 and not _CLAUSE_PUNCT.search(lines[i + n].text)))
        and (lines[i].gap_before or i == 0 or lines[i - 1].gap_before or _in_gapped_region(lines, i))
    ):
        n += 1
    return n


def _is_heading(lines: list[Line], i: int, n_lines: int, depth: int = 0) -> bool:
    """Whether the heading-like ``lines[i:i+n_lines]`` is a heading rather than a paragraph start.

    A paragraph's first line is followed by its continuation, never by a heading, so a
    line before a heading is a heading too; otherwise a heading is set narrower than
    the column (a first line is indented by two characters only).
    """
    nxt = i + n_lines
    if nxt >= len(lines) or _line_kind(lines[nxt]) != "text":
        return True
    if _ENUMERATOR.match(lines[nxt].text):
        return True  # a heading over an enumeration
    if n_lines > 1:
        return True
    if depth < 3 and heading_like(lines[nxt].text) and lines[nxt].gap_before:
        if _is_heading(lines, nxt, _heading_run(lines, nxt), depth + 1):
            return True
    width = _column_width(lines, i)
    # narrower than an indented first line, or wider than the column: not a line of this column
    return width == 0 or lines[i].width <= width - 3 or lines[i].width > width + 1


def units_of(lines: list[Line], *, one_line_paragraphs: bool = False) -> list[Unit]:
    """Group lines into units, in reading order.

    With ``one_line_paragraphs`` every text line is its own paragraph (article files whose
    lines are paragraphs); otherwise a paragraph runs until a line ends a sentence.
    """
    units: list[Unit] = []
    i = 0
    open_par: Unit | None = None
    while i < len(lines):
        line = lines[i]
        kind = _line_kind(line)
        if kind == "text" and open_par is not None and not one_line_paragraphs:
            open_par.lines.append(line)
            if _TERMINAL.search(line.text):
                open_par = None
            i += 1
            continue
        open_par = None
        if kind == "marker":
            unit = Unit("opinion", [line])
            j = i + 1
            while j < len(lines) and _line_kind(lines[j]) == "text":
                unit.lines.append(lines[j])
                j += 1
                if _TERMINAL.search(lines[j - 1].text):
                    break
            units.append(unit)
            i = j
            continue
        if kind == "note" or (kind == "compiler"):
            unit = Unit(kind, [line])
            depth = _paren_depth(line.text)
            j = i + 1
            while depth > 0 and j < len(lines) and j < i + 4:
                unit.lines.append(lines[j])
                depth += _paren_depth(lines[j].text)
                j += 1
            units.append(unit)
            i = j
            continue
        if kind in ("attribution", "byline", "subtitle"):
            units.append(Unit(kind, [line]))
            i += 1
            continue
        # a text line that starts a unit: a heading or a paragraph
        if heading_like(line.text):
            n = _heading_run(lines, i)
            if _is_heading(lines, i, n):
                units.append(Unit("heading", lines[i : i + n]))
                i += n
                continue
        unit = Unit("paragraph", [line])
        units.append(unit)
        if not _TERMINAL.search(line.text):
            open_par = unit
        i += 1
    return units


def _in_gapped_region(lines: list[Line], i: int) -> bool:
    """Whether the lines after ``i`` are separated by blank lines (a narrow-column export)."""
    after = lines[i + 1 : i + 8]
    return sum(l.gap_before for l in after) >= max(2, len(after) // 2)


def _paren_depth(text: str) -> int:
    return text.count("（") + text.count("(") - text.count("）") - text.count(")")


# ---------------------------------------------------------------- bodies and matching


@dataclass
class Body:
    """An article body being assembled from units."""

    items: list[Unit] = field(default_factory=list)
    closers: list[Unit] = field(default_factory=list)  # notes and compilers
    byline: Unit | None = None
    title: Unit | None = None
    opinion: Unit | None = None
    first: int = 0  # index of its first unit

    @property
    def text(self) -> str:
        return "".join(u.text for u in self.items)


def _bodies(units: list[Unit]) -> tuple[list[Body], list[tuple[int, Unit]], list[tuple[int, Unit]]]:
    """Bodies, free title candidates and opinion boxes (with unit indexes), in reading order."""
    bodies: list[Body] = []
    titles: list[tuple[int, Unit]] = []
    opinions: list[tuple[int, Unit]] = []
    cur: Body | None = None
    pending_byline: Unit | None = None
    last: Body | None = None
    for k, u in enumerate(units):
        nxt = units[k + 1] if k + 1 < len(units) else None
        if u.role == "paragraph":
            if cur is None and last is not None and not last.closers and last.items and _continues(last, u):
                cur = last  # a body interrupted by a box or a title placed inside it
                cur.items[-1].lines.extend(u.lines)
                continue
            if cur is None:
                cur = Body(first=k, byline=pending_byline)
                pending_byline = None
                bodies.append(cur)
            cur.items.append(u)
        elif u.role == "subtitle":
            if titles and titles[-1][0] == k - 1 - len(titles[-1][1].subtitles):
                titles[-1][1].subtitles.append(u)  # "——访…" under the title just read
            elif cur is not None:
                cur.items.append(u)
        elif u.role == "attribution":
            target = cur or last
            if target is None:
                titles.append((k, u))
            else:
                target.items.append(u)
        elif u.role == "heading":
            if cur is not None and cur.items and nxt is not None and nxt.role == "paragraph":
                cur.items.append(u)
            else:
                cur, last = None, cur or last
                titles.append((k, u))
        elif u.role in ("note", "compiler"):
            target = cur or last
            if target is not None:
                target.closers.append(u)
                last, cur = target, None
            # a note before any body is dropped from structure but kept nowhere: rare
        elif u.role == "byline":
            last, cur = cur or last, None
            pending_byline = u
        elif u.role == "opinion":
            last, cur = cur or last, None
            opinions.append((k, u))
    return bodies, titles, opinions


def _continues(body: Body, unit: Unit) -> bool:
    """Whether ``unit`` continues the unterminated last paragraph of ``body``."""
    last = body.items[-1]
    return last.role == "paragraph" and not last.terminated


def _bigrams(text: str) -> list[str]:
    t = re.sub(r"[\W\d_a-zA-Z]+", "|", text)
    return [t[i : i + 2] for i in range(len(t) - 1) if "|" not in t[i : i + 2]]


def _similarity(query: str, doc_grams: set[str], idf: dict[str, float]) -> float:
    grams = set(_bigrams(query))
    if not grams:
        return 0.0
    total = sum(idf.get(g, 1.0) for g in grams)
    return sum(idf.get(g, 1.0) for g in grams if g in doc_grams) / total


def _assign(scores: list[list[float]], threshold: float) -> dict[int, int]:
    """Row -> column assignment of the largest total score, each pair scoring at least ``threshold``.

    A maximum weight matching of the bipartite graph of rows and columns (networkx), exact at
    any size; the scores are compared to 1e-9 (integer weights keep the matching exact).

    Examples
    --------
    >>> _assign([[0.9, 0.8], [0.8, 0.1]], 0.15)  # the best pair first would leave row 1 without a column
    {0: 1, 1: 0}
    >>> _assign([[0.1, 0.2]], 0.15), _assign([], 0.15)
    ({0: 1}, {})
    """
    import networkx as nx

    graph = nx.Graph()
    for r, row in enumerate(scores):
        for c, s in enumerate(row):
            if s >= threshold:
                graph.add_edge(("row", r), ("col", c), weight=round(s * 1e9))
    pairs = (sorted((u, v)) for u, v in nx.max_weight_matching(graph))  # ("col", c) sorts before ("row", r)
    return dict(sorted((r, c) for (_, c), (_, r) in pairs))


def _idf(docs: list[str]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(_bigrams(d)))
    n = len(docs)
    return {g: math.log((n + 1) / (c + 0.5)) for g, c in df.items()}


def _merge_split_titles(titles: list[tuple[int, Unit]], grams: list[set[str]], idf: dict[str, float],
                        n_bodies: int) -> list[tuple[int, Unit]]:
    """Join a title broken over two blank-separated lines: while there are more title candidates
    than bodies, two candidates that stand next to each other and fit the same body best are one."""
    titles = list(titles)

    def best(text: str) -> tuple[float, int]:
        return max((_similarity(text, g, idf), c) for c, g in enumerate(grams)) if grams else (0.0, -1)

    while len(titles) > n_bodies:
        pick = None
        for i in range(len(titles) - 1):
            (k1, u1), (k2, u2) = titles[i], titles[i + 1]
            if k2 != k1 + 1:
                continue
            (s1, c1), (s2, c2) = best(u1.text), best(u2.text)
            if c1 != c2 or min(s1, s2) < 0.15:
                continue
            score = best(u1.text + u2.text)[0]
            if pick is None or score > pick[0]:
                pick = (score, i)
        if pick is None:
            break
        i = pick[1]
        titles[i:i + 2] = [(titles[i][0], Unit("heading", titles[i][1].lines + titles[i + 1][1].lines))]
    return titles


def _match(bodies: list[Body], titles: list[tuple[int, Unit]], opinions: list[tuple[int, Unit]]) -> str:
    """Attach opinion boxes, then titles, to bodies; return the page's column heading ("" when none)."""
    idf = _idf([b.text for b in bodies])
    grams = [set(_bigrams(b.text)) for b in bodies]
    op_scores = [[_similarity(o.text, g, {}) for g in grams] for _, o in opinions]
    for r, c in _assign(op_scores, 0.3).items():
        bodies[c].opinion = opinions[r][1]
    for b, g in zip(bodies, grams):
        if b.opinion is not None:
            g.update(_bigrams(b.opinion.text))
    column = ""
    if titles and len(titles) > len(bodies) and titles[0][0] == 0:
        # a page export opens with the page's column heading; it repeats on each page
        column = titles[0][1].text
        titles = [t for t in titles[1:] if t[1].text != column]
    titles = _merge_split_titles(titles, grams, idf, len(bodies))
    scores = []
    for k, t in titles:
        row = []
        for b, g in zip(bodies, grams):
            s = _similarity(t.text, g, idf)
            # reading order: a title usually stands before its body, near it
            dist = b.first - k
            s += 0.01 if 0 < dist <= 3 else 0.0  # a tie-breaker only: content decides
            row.append(s)
        scores.append(row)
    assigned = _assign(scores, 0.15)
    for r, c in assigned.items():
        bodies[c].title = titles[r][1]
    # a body whose title shares no words with it takes the free title that stands right before it
    for c, b in enumerate(bodies):
        if b.title is not None:
            continue
        before = [r for r, (k, _) in enumerate(titles) if r not in assigned and 0 < b.first - k <= 3]
        if before:
            r = before[-1]
            assigned[r] = c
            b.title = titles[r][1]
    return column


# ---------------------------------------------------------------- articles

_ID_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _article(page_id: str, n: int, body: Body, meta: Meta, *, title: str = "", authors: tuple[str, ...] = ()) -> Article:
    blocks: list[Block] = []
    if body.title is not None:
        blocks.append(body.title.block("title"))
        title = title or body.title.text
        blocks.extend(u.block("subtitle") for u in body.title.subtitles)
    if body.byline is not None:
        blocks.append(body.byline.block("byline"))
        authors = authors or parse_authors(body.byline.text, page=True)
    if body.opinion is not None:
        op = body.opinion
        content = [l for l in op.lines if not _MARKER.match(re.sub(r"\s", "", l.text))]
        if content:
            blocks.append(Block("abstract", "".join(l.text for l in content), tuple(i for l in content for i in l.offsets)))
    for u in body.items:
        blocks.append(u.block())
    compilers: list[str] = []
    for u in body.closers:
        blocks.append(u.block())
        if u.role == "compiler":
            m = _COMPILER.match(u.text)
            compilers.extend(parse_authors(m.group(1), page=True) or [m.group(1).strip()])
    if not title:
        first = next((b.text for b in blocks if b.role in ("heading", "paragraph")), "")
        title = re.split(r"[，。；！？]", first)[0][:30]
    return Article.build(
        f"{page_id}-{n}", title, tuple(blocks), authors=tuple(authors), compilers=tuple(compilers),
        meta=meta, page_id=page_id,
    )


def segment_page(text: str, *, page_id: str = "page", meta: Meta | None = None) -> Page:
    """Split a page-layout text into its articles.

    Parameters
    ----------
    text : str
        The page as exported: column lines, blank lines, pieces out of order.
    page_id : str
        Stable id of the page; articles are ``{page_id}-1``, ``{page_id}-2`` ... in
        the reading order of their bodies.
    meta : Meta, optional
        Publication metadata shared by the page's articles.

    Returns
    -------
    Page
        With one :class:`Article` per body found; the page's column heading, when
        the page opens with one, is in ``page.meta.column``.

    Examples
    --------
    >>> text = "题目一\\n\\n张三\\n\\n正文第一段，很长的一段话。\\n\\n题目二的标题\\n\\n李四\\n\\n第二篇的正文。"
    >>> [(a.title, a.authors) for a in segment_page(text).articles]
    [('题目一', ('张三',)), ('题目二的标题', ('李四',))]
    """
    meta = meta or Meta()
    lines = split_lines(text)
    units = units_of(lines)
    bodies, titles, opinions = _bodies(units)
    column = _match(bodies, titles, opinions)
    if column and not meta.column:
        meta = _replace(meta, column=column)
    articles = tuple(_article(page_id, n, b, meta) for n, b in enumerate(bodies, 1))
    return Page(page_id, text, articles, meta)


def _replace(meta: Meta, **kw) -> Meta:
    from dataclasses import replace

    return replace(meta, **kw)


def article_page(doc: Document) -> Page:
    """A page holding the one article of an article file (Markdown, JSON Lines, HTML, plain).

    Examples
    --------
    >>> doc = Document("d1", "article", "第一段。\\n\\n（作者单位：某大学）", title="标题", authors=("张三",))
    >>> a = article_page(doc).articles[0]
    >>> a.title, a.authors, [b.role for b in a.blocks]
    ('标题', ('张三',), ['title', 'byline', 'paragraph', 'note'])
    """
    lines = split_lines(doc.text)
    units = units_of(lines, one_line_paragraphs=doc.format != "markdown")
    body = Body()
    for u in units:
        if u.role in ("note", "compiler"):
            body.closers.append(u)
        elif u.role == "opinion":
            body.opinion = u
        elif u.role == "byline" and not body.items and body.byline is None:
            body.byline = u
        else:
            if u.role == "byline":
                u.role = "paragraph"
            body.items.append(u)
    if body.items and body.items[0].role == "heading" and (not doc.title or body.items[0].text == doc.title):
        body.title = body.items.pop(0)
    art = _article(doc.id, 1, body, doc.meta, title=doc.title, authors=doc.authors)
    # metadata the text does not hold becomes blocks of its own (offsets -1: not read from the text)
    extra = []
    if body.title is None and art.title:
        extra.append(Block("title", art.title, (-1,) * len(art.title)))
    if body.byline is None and art.authors:
        line = " ".join(art.authors)
        extra.append(Block("byline", line, (-1,) * len(line)))
    if extra:
        art = Article.build(art.id, art.title, (*extra, *art.blocks), authors=art.authors,
                            compilers=art.compilers, meta=art.meta, page_id=art.page_id)
    return Page(doc.id, doc.text, (art,), doc.meta)


def render_page(articles: Iterable[Article], column: str = "") -> str:
    """Page text laid out from articles, one block a paragraph, as :func:`segment_page` reads it back.

    Examples
    --------
    >>> page = segment_page("标题\\n\\n张三\\n\\n正文。")
    >>> [a.title for a in segment_page(render_page(page.articles)).articles]
    ['标题']
    """
    parts = [column] if column else []
    for a in articles:
        for b in a.blocks:
            parts.extend(("●观 点", b.text) if b.role == "abstract" else (b.text,))
    return "\n\n".join(parts) + "\n"


def segment(doc: Document) -> Page:
    """Page of a :class:`~kg.model.Document`, whatever its layout."""
    if doc.layout == "page":
        return segment_page(doc.text, page_id=doc.id, meta=doc.meta)
    return article_page(doc)

