"""The extraction context of one article: its text, sentences, LAC tokens, and the analyses extractors share.

Each shared analysis (organizations and people in running text, attribution lines) is
computed at most once per article, the first time an extractor asks for it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

from kg.extract import analysis, tagger
from kg.extract.nlp import ProvenWords, Token, sentences, tag_spans
from kg.extract.spans import SpanIndex
from kg.model import Article

#: Blocks whose running text is read by the statistical and pattern extractors.
TEXT_BLOCKS = ("title", "subtitle", "abstract", "heading", "paragraph")


@dataclass(frozen=True)
class ArticleContext:
    """An article ready for extraction.

    ``sentences`` are spans of the article text; ``tokens`` are LAC's words of its running
    text; ``proven`` are the names the article's page proves; ``province`` is the province
    the article is about (for short forms like 省总工会).
    """

    article: Article
    sentences: tuple[tuple[int, int], ...]
    tokens: tuple[Token, ...]
    proven: ProvenWords
    province: str = ""
    words: tuple[Token, ...] = ()  # LAC's own words, before the tagger's names were put in
    read: tuple[tuple[int, int], ...] = ()  # the sentences of running text LAC and the tagger read
    names: tuple[tagger.Span, ...] = ()  # the tagger's names

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text

    @cached_property
    def org_spans(self) -> tuple[analysis.OrgSpan, ...]:
        """Organizations LAC finds in the running text, corrected (see :func:`kg.extract.analysis.org_spans`)."""
        return tuple(analysis.org_spans(self.text, self.tokens, self.province))

    @cached_property
    def person_spans(self) -> tuple[tuple[int, int], ...]:
        """People LAC finds in the running text (see :func:`kg.extract.analysis.person_spans`)."""
        return tuple(analysis.person_spans(self.tokens, self.proven))

    @cached_property
    def person_names(self) -> dict[tuple[int, int], str]:
        """The name each of ``person_spans`` stands for (see :func:`kg.extract.analysis.person_names`)."""
        return analysis.person_names(self.text, self.person_spans)

    def person_name(self, s: int, e: int) -> str:
        """The name of the person at ``text[s:e]`` (one of ``person_spans``, else the text without spaces)."""
        return self.person_names.get((s, e)) or "".join(self.text[s:e].split())

    @cached_property
    def titles(self) -> tuple[tagger.Span, ...]:
        """Post titles the tagger reads, outside its names (its title CRF runs only when asked)."""
        found = tagger.tag(self.text, self.read, self.words, types=("TITLE",))
        return tuple(x for x in tagger.merge(self.names, found) if x.type == "TITLE")

    @cached_property
    def _titles_by_start(self) -> dict[int, tuple[tagger.Span, ...]]:
        at: dict[int, list[tagger.Span]] = {}
        for t in self.titles:
            at.setdefault(t.start, []).append(t)
        return {k: tuple(v) for k, v in at.items()}

    def titles_at(self, start: int) -> tuple[tagger.Span, ...]:
        """The post titles the tagger reads that start at ``start``."""
        return self._titles_by_start.get(start, ())

    @cached_property
    def attributions(self) -> tuple[analysis.Attribution, ...]:
        """The article's attribution lines, parsed."""
        return tuple(analysis.attributions(self.article))

    @cached_property
    def word_starts(self) -> tuple[int, ...]:
        """The starts of LAC's own ``words`` (sorted as LAC gives them)."""
        return tuple(w.start for w in self.words)

    @cached_property
    def token_starts(self) -> tuple[int, ...] | None:
        """The tokens' starts, for bisection; None when the tokens are not sorted by start or one is empty."""
        return _starts(self.tokens)

    @cached_property
    def person_index(self) -> SpanIndex:
        """``person_spans`` as a :class:`SpanIndex`."""
        return SpanIndex(self.person_spans)

    @cached_property
    def _people_by_start(self) -> tuple[tuple[int, ...], tuple[tuple[int, int, int], ...]]:
        """``person_spans`` as (start, end, place in the list), sorted, and their starts."""
        spans = tuple(sorted((s, e, k) for k, (s, e) in enumerate(self.person_spans)))
        return tuple(s for s, _, _ in spans), spans

    def people_within(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The ``person_spans`` that lie within ``lo`` and ``hi``, in their order.

        Examples
        --------
        >>> from kg.model import Article, Block
        >>> ctx = analyse(Article.build("x", "", (Block("paragraph", "张三在北京工作。", tuple(range(8))),)))
        >>> ctx.people_within(0, 5), ctx.people_within(1, 5)
        ([(0, 2)], [])
        """
        starts, spans = self._people_by_start
        hits = [(k, s, e) for s, e, k in spans[bisect.bisect_left(starts, lo):bisect.bisect_right(starts, hi)] if e <= hi]
        return [(s, e) for _, s, e in sorted(hits)]

    @cached_property
    def org_index(self) -> SpanIndex:
        """``org_spans`` as a :class:`SpanIndex`."""
        return SpanIndex((o.start, o.end) for o in self.org_spans)

    def token_range(self, start: int, end: int) -> range:
        """Indices of the tokens that may start within ``start`` and ``end`` (all of them when the
        tokens are not sorted): a superset to filter, in order."""
        starts = self.token_starts
        if starts is None:
            return range(len(self.tokens))
        return range(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end))

    @cached_property
    def org_spans_at(self) -> dict[int, tuple[analysis.OrgSpan, ...]]:
        """``org_spans`` by start, each start's spans in their order in ``org_spans``."""
        at: dict[int, list[analysis.OrgSpan]] = {}
        for o in self.org_spans:
            at.setdefault(o.start, []).append(o)
        return {s: tuple(v) for s, v in at.items()}

    @cached_property
    def _sentence_index(self) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]] | None:
        """The non-empty sentences and their starts, or None when they are not sorted and disjoint."""
        spans = tuple((s, e) for s, e in self.sentences if s < e)
        if any(a[1] > b[0] for a, b in zip(spans, spans[1:])):
            return None
        return tuple(s for s, _ in spans), spans

    def sentence_of(self, i: int) -> tuple[int, int]:
        """Span of the sentence holding character ``i``.

        Examples
        --------
        >>> from kg.model import Article, Block
        >>> ctx = analyse(Article.build("x", "", (Block("paragraph", "甲乙。丙丁。", tuple(range(6))),)))
        >>> ctx.sentence_of(4), ctx.sentence_of(9)
        ((3, 6), (9, 10))
        """
        index = self._sentence_index
        if index is None:
            for s, e in self.sentences:
                if s <= i < e:
                    return s, e
            return i, i + 1
        starts, spans = index
        k = bisect.bisect_right(starts, i) - 1
        if k >= 0 and i < spans[k][1]:
            return spans[k]
        return i, i + 1

    def tokens_in(self, start: int, end: int) -> list[Token]:
        """The tokens that lie within ``start`` and ``end``, in order.

        Examples
        --------
        >>> from kg.model import Article, Block
        >>> ctx = analyse(Article.build("x", "", (Block("paragraph", "张三在北京工作。", tuple(range(8))),)))
        >>> [t.text for t in ctx.tokens_in(2, 5)]
        ['在', '北京']
        """
        starts = self.token_starts
        if starts is None:
            return [t for t in self.tokens if start <= t.start and t.end <= end]
        out = []
        tokens = self.tokens
        for k in range(bisect.bisect_left(starts, start), len(tokens)):
            t = tokens[k]
            if t.start >= end:  # sorted and non-empty: no later token ends by ``end``
                break
            if t.end <= end:
                out.append(t)
        return out

    def block_spans(self, *roles: str) -> list[tuple[int, int]]:
        """Spans of the article's blocks in these roles."""
        a = self.article
        return [(s, s + len(b.text)) for s, b in zip(a.starts, a.blocks) if b.role in roles]


def _starts(tokens: Sequence[Token]) -> tuple[int, ...] | None:
    """The starts of ``tokens`` when they are sorted by start and none is empty, else None."""
    starts = tuple(t.start for t in tokens)
    if any(t.end <= t.start for t in tokens) or any(a > b for a, b in zip(starts, starts[1:])):
        return None
    return starts


#: What an extractor may declare it ``needs``: the context's fields and shared analyses.
PROVIDES = ("article", "sentences", "tokens", "titles", "proven", "province", "org_spans", "person_spans", "attributions")

#: The need each public member of :class:`ArticleContext` rests on: an extractor that reads a member
#: declares its need (``article``, the text itself, every extractor has). ``tests/test_registry.py``
#: traces what each extractor reads on real text and holds it to its declaration.
MEMBER_NEEDS = {
    "article": "article", "id": "article", "text": "article", "block_spans": "article",
    "sentences": "sentences", "sentence_of": "sentences",
    "tokens": "tokens", "words": "tokens", "read": "tokens", "names": "tokens", "word_starts": "tokens",
    "token_starts": "tokens", "token_range": "tokens", "tokens_in": "tokens",
    "titles": "titles", "titles_at": "titles",
    "proven": "proven", "province": "province", "attributions": "attributions",
    "org_spans": "org_spans", "org_index": "org_spans", "org_spans_at": "org_spans",
    "person_spans": "person_spans", "person_names": "person_spans", "person_name": "person_spans",
    "person_index": "person_spans", "people_within": "person_spans",
}


def reading(article: Article) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The article's sentences, and those of its running text (the ones LAC and the tagger read).

    Examples
    --------
    >>> from kg.model import Article, Block
    >>> a = Article.build("x", "T", (Block("paragraph", "甲。乙。", tuple(range(4))),))
    >>> sents, spans = reading(a)
    >>> [a.text[s:e] for s, e in spans] == [a.text[s:e] for s, e in sents][-2:]
    True
    """
    sents: list[tuple[int, int]] = []
    spans: list[tuple[int, int]] = []
    for s, b in zip(article.starts, article.blocks):
        block_sents = [(s + x, s + y) for x, y in sentences(b.text)]
        sents += block_sents
        if b.role in TEXT_BLOCKS:
            spans += block_sents
    return sents, spans


def analyse(article: Article, *, proven: ProvenWords | None = None, province: str = "",
            words: Sequence[Token] | None = None, model: tagger.Model | None = None,
            names: Sequence[tagger.Span] | None = None) -> ArticleContext:
    """Sentences and tokens of an article's running text: LAC's words with the names of our tagger.

    LAC segments and tags the words; the trained tagger (:mod:`kg.extract.tagger`) decides the
    names: its people, places and organizations are the names of ``tokens`` (each one word of its
    type), and a word LAC tagged as a name that the tagger does not read is a plain noun
    (:func:`kg.extract.tagger.plain`). The tagger also reads the post titles, kept as ``titles``.
    ``words`` are LAC's words of the sentences :func:`reading` gives, when they were tagged
    already (with other articles, in one batch); without them LAC tags them here. ``model`` is a
    tagger other than the shipped one (training measures its fold models so). ``names`` are the
    tagger's names of those words when it read them already (:func:`kg.extract.tagger.tag_many`,
    with other articles); without them the tagger reads them here.

    Examples
    --------
    >>> from kg.model import Article, Block
    >>> a = Article.build("x", "T", (Block("paragraph", "张三在北京工作。", tuple(range(8))),))
    >>> [t.text for t in analyse(a).tokens if t.tag == "PER"]
    ['张三']
    """
    sents, spans = reading(article)
    if words is None:
        words = tag_spans(article.text, spans)
    if names is None:
        names = tagger.tag(article.text, spans, words, model=model, types=tagger.NAME_TAGS)
    names = analysis.not_words(article.text, words, names)
    names = analysis.person_edges(article.text, names)
    names = analysis.consistent(article.text, spans, words, names)
    names = analysis.whole_countries(article.text, analysis.venues(article.text, names, words))
    tokens = tagger.retag(tagger.plain(words, names), names, article.text)
    return ArticleContext(article, tuple(sents), tuple(tokens), proven if proven is not None else ProvenWords(), province,
                          tuple(words), tuple(spans), tuple(names))
