"""The extraction context of one article: its text, sentences, LAC tokens, and the analyses extractors share.

Each shared analysis (organizations and people in running text, attribution lines) is
computed at most once per article, the first time an extractor asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

from kg.extract import analysis, tagger
from kg.extract.nlp import ProvenWords, Token, sentences, tag_spans
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
    def titles(self) -> tuple[tagger.Span, ...]:
        """Post titles the tagger reads, outside its names (its title CRF runs only when asked)."""
        found = tagger.tag(self.text, self.read, self.words, types=("TITLE",))
        return tuple(x for x in tagger.merge(self.names, found) if x.type == "TITLE")

    @cached_property
    def attributions(self) -> tuple[analysis.Attribution, ...]:
        """The article's attribution lines, parsed."""
        return tuple(analysis.attributions(self.article))

    def sentence_of(self, i: int) -> tuple[int, int]:
        """Span of the sentence holding character ``i``."""
        for s, e in self.sentences:
            if s <= i < e:
                return s, e
        return i, i + 1

    def tokens_in(self, start: int, end: int) -> list[Token]:
        return [t for t in self.tokens if start <= t.start and t.end <= end]

    def block_spans(self, *roles: str) -> list[tuple[int, int]]:
        """Spans of the article's blocks in these roles."""
        a = self.article
        return [(s, s + len(b.text)) for s, b in zip(a.starts, a.blocks) if b.role in roles]


#: What an extractor may declare it ``needs``: the context's fields and shared analyses.
PROVIDES = ("article", "sentences", "tokens", "titles", "proven", "province", "org_spans", "person_spans", "attributions")


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
            words: Sequence[Token] | None = None) -> ArticleContext:
    """Sentences and tokens of an article's running text: LAC's words with the names of our tagger.

    LAC segments and tags the words; the trained tagger (:mod:`kg.extract.tagger`) corrects its
    names (every person it reads, and the organizations and places LAC missed:
    :func:`kg.extract.tagger.corrections`) and reads the post titles, kept as ``titles``.
    ``words`` are LAC's words of the sentences :func:`reading` gives, when they were tagged
    already (with other articles, in one batch); without them LAC tags them here.

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
    names = tagger.tag(article.text, spans, words, types=tagger.NAME_TAGS)
    tokens = tagger.retag(tagger.unconfirmed(words, names), tagger.corrections(words, names), article.text)
    return ArticleContext(article, tuple(sents), tuple(tokens), proven if proven is not None else ProvenWords(), province,
                          tuple(words), tuple(spans), tuple(names))
