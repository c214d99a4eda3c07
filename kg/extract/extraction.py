"""Extraction of a page: every article analysed once, every registered extractor run, records by type."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from typing import Iterable, Sequence

from kg.extract import tagger
from kg.extract.analysis import parse_attribution
from kg.extract.context import ArticleContext, analyse, reading
from kg.extract.nlp import ProvenWords, Token, tag_texts
from kg.extract.registry import Record, get, names
from kg.lexicon.orgs import PROVINCES
from kg.model import Measure, Mention, Page, Relation, Statement


@dataclass(frozen=True)
class Extraction:
    """What extractors made of some articles, by record type, each in the order it was made.

    Examples
    --------
    >>> from kg.model import Mention
    >>> x = Extraction.of([Mention("a", 0, 2, "张三", "Person", "张三")])
    >>> len(x.mentions), x.relations, len(x + x)
    (1, (), 2)
    """

    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    measures: tuple[Measure, ...] = ()
    statements: tuple[Statement, ...] = ()

    @classmethod
    def of(cls, records: Iterable[Record]) -> "Extraction":
        """Records of any type, each put in the field of its type."""
        out: dict[type, list] = {Mention: [], Relation: [], Measure: [], Statement: []}
        for r in records:
            out[type(r)].append(r)
        return cls(*(tuple(out[t]) for t in (Mention, Relation, Measure, Statement)))

    def __add__(self, other: "Extraction") -> "Extraction":
        return Extraction(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def __len__(self) -> int:
        return sum(len(getattr(self, f.name)) for f in fields(self))

    @classmethod
    def concat(cls, parts: Iterable["Extraction"]) -> "Extraction":
        """All ``parts`` in order, as one."""
        parts = list(parts)
        return cls(*(tuple(r for p in parts for r in getattr(p, f.name)) for f in fields(cls)))


def proven_people(page: Page) -> frozenset[str]:
    """Names the page proves: bylines, compilers and quote attributions.

    Examples
    --------
    >>> from kg.segment.layout import segment_page
    >>> sorted(proven_people(segment_page("标题\\n\\n张三\\n\\n正文。")))
    ['张三']
    """
    found = set()
    for a in page.articles:
        found.update(a.authors)
        found.update(a.compilers)
        for _, block in a.blocks_of("attribution"):
            p = parse_attribution(block.text)
            if p:
                found.add(block.text[p[2]:p[3]])
    return frozenset(found)


def article_province(text: str) -> str:
    """The province an article is about: the one it names most, at least twice, alone at the top.

    Examples
    --------
    >>> article_province("山东各级工会……山东工会……河北"), article_province("天津、江西")
    ('山东', '')
    """
    counts = Counter({p: text.count(p) for p in PROVINCES if p in text})
    top = counts.most_common(2)
    if not top or top[0][1] < 2 or (len(top) > 1 and top[1][1] == top[0][1]):
        return ""
    return top[0][0]


def extract_article(ctx: ArticleContext, only: Sequence[str] | None = None) -> Extraction:
    """Records of every extractor (or of those named in ``only``) for one article, in running order.

    Examples
    --------
    >>> from kg.model import Article, Block
    >>> a = Article.build("x", "T", (Block("paragraph", "张三在北京工作。", tuple(range(8))),))
    >>> [(m.text, str(m.label)) for m in extract_article(analyse(a), ["ner", "place"]).mentions]
    [('张三', 'Person'), ('北京', 'Place')]
    """
    return Extraction.of(r for name in (only or names()) for r in get(name)(ctx))


def page_words(pages: Sequence[Page]) -> list[list[list[Token]]]:
    """LAC's words of every article of every page (per page, per article), all tagged in one batch.

    Examples
    --------
    >>> from kg.segment.layout import segment_page
    >>> [[[w.text for w in ws] for ws in p] for p in page_words([segment_page("标题\\n\\n张三\\n\\n正文。")])]
    [[['标题', '正文', '。']]]
    """
    arts = [a for p in pages for a in p.articles]
    tagged = iter(tag_texts([(a.text, reading(a)[1]) for a in arts]))
    return [[next(tagged) for _ in p.articles] for p in pages]


def page_names(pages: Sequence[Page], words: Sequence[Sequence[Sequence[Token]]]) -> list[list[list[tagger.Span]]]:
    """The trained tagger's names in LAC's ``words`` of every article of every page (:func:`page_words`),
    all read in one pass (:func:`kg.extract.tagger.tag_many`): per page, per article.

    Examples
    --------
    >>> from kg.segment.layout import segment_page
    >>> pages = [segment_page("标题\\n\\n张三\\n\\n张三在北京工作。")]
    >>> [[[(x.type) for x in ns] for ns in p] for p in page_names(pages, page_words(pages))]
    [[['PER', 'LOC']]]
    """
    found = iter(tagger.tag_many([(a.text, reading(a)[1], ws) for p, pw in zip(pages, words) for a, ws in zip(p.articles, pw)],
                                 types=tagger.NAME_TAGS))
    return [[next(found) for _ in p.articles] for p in pages]


def extract_page(page: Page, only: Sequence[str] | None = None, *, words: Sequence[Sequence[Token]] | None = None,
                 names: Sequence[Sequence[tagger.Span]] | None = None) -> Extraction:
    """Records of the articles of one page; the page's proven names are its own dictionary.

    ``words`` are LAC's words of each article (:func:`page_words`), when they were tagged
    already; without them the page's articles are tagged here, in one batch. ``names`` are the
    tagger's names in those words (:func:`page_names`), when it read them already.

    Examples
    --------
    >>> from kg.segment.layout import segment_page
    >>> x = extract_page(segment_page("标题\\n\\n张三\\n\\n正文。"))
    >>> sorted({m.text for m in x.mentions})
    ['张三']
    """
    proven = ProvenWords(proven_people(page))
    if words is None:
        words = page_words([page])[0]
    if names is None:
        names = [None] * len(page.articles)
    return Extraction.concat(
        extract_article(analyse(art, proven=proven, province=article_province(art.text), words=ws, names=ns), only)
        for art, ws, ns in zip(page.articles, words, names)
    )
