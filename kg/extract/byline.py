"""Authors from the byline and compilers from "（某某 整理）", and the credits of a dateline: people read with certainty.

A dateline at the head of the body (新华社某地6月1日电（记者 甲 乙）, 本报讯（记者 甲 通讯员 乙）,
（记者 甲）) gives its reporters as authors and its agency as an organization and the
article's source (``publisher``); 本报 stands for the publisher of the page when that is known.
An agency before the names of the byline (新华社记者 甲) is read the same way.
"""

from __future__ import annotations

import re
from typing import Iterator

from kg.model import Label, Mention, Ref, Relation
from kg.extract.context import ArticleContext
from kg.extract.registry import register
from kg.lexicon.names import is_own_desk, parse_credit, split_byline
from kg.lexicon.orgs import canonical_org


def find_name(text: str, name: str, start: int = 0) -> tuple[int, int] | None:
    """Span of ``name`` in ``text``, also when it is letter-spaced ("方  颖").

    Examples
    --------
    >>> find_name("作者 方  颖", "方颖")
    (3, 7)
    """
    i = text.find(name, start)
    if i >= 0:
        return i, i + len(name)
    m = re.compile(r"[ \u3000]*".join(map(re.escape, name))).search(text, start)
    return (m.start(), m.end()) if m else None


@register("byline", makes=(Mention, Relation))
def bylines(ctx: ArticleContext) -> Iterator[Mention | Relation]:
    """Person mentions and author/contributor relations from bylines and compiler lines."""
    art = ctx.article
    article = Ref(Label.ARTICLE, art.id)
    for role, names, predicate in (("byline", art.authors, "author"), ("compiler", art.compilers, "contributor")):
        for start, block in art.blocks_of(role):
            pos = 0
            for name in names:
                span = find_name(block.text, name, pos)
                if span is None:
                    continue
                s, e = start + span[0], start + span[1]
                pos = span[1]
                yield Mention(art.id, s, e, ctx.text[s:e], Label.PERSON, name, extractor="byline")
                yield Relation(predicate, article, Ref(Label.PERSON, name), art.id, start, start + len(block.text), "byline")
    for start, block in art.blocks_of("byline"):
        if block.offsets and block.offsets[0] < 0:
            continue  # made from metadata: its agency, if any, is the publisher the reader gave
        pos = 0
        for agency in split_byline(block.text, page=True).agencies:
            i = block.text.find(agency, pos)
            if i >= 0:
                pos = i + len(agency)
                yield from _source(ctx, agency, start + i, start + pos, start, start + len(block.text))
    yield from datelines(ctx)


def datelines(ctx: ArticleContext) -> Iterator[Mention | Relation]:
    """The reporters (authors) and the agency (an organization, the source) of the credit that opens the body.

    Examples
    --------
    >>> from kg.extract.nlp import ProvenWords
    >>> from kg.model import Article, Block
    >>> body = "新华社某地6月1日电（记者 王某 李某某）会议召开。"
    >>> art = Article.build("a", "标题", (Block("title", "标题", (0, 1)), Block("paragraph", body, tuple(range(3, 3 + len(body))))))
    >>> [(type(r).__name__, getattr(r, "text", getattr(r, "predicate", ""))) for r in datelines(ArticleContext(art, (), (), ProvenWords()))]
    [('Mention', '新华社'), ('Relation', 'publisher'), ('Mention', '王某'), ('Relation', 'author'), ('Mention', '李某某'), ('Relation', 'author')]
    """
    art = ctx.article
    paragraphs = art.blocks_of("paragraph")
    if not paragraphs:
        return
    start, block = paragraphs[0]
    credit = parse_credit(block.text)
    if credit is None:
        return
    s0, e0 = start + credit.start, start + credit.end
    for agency, s, e in credit.agencies:
        yield from _source(ctx, agency, start + s, start + e, s0, e0)
    article = Ref(Label.ARTICLE, art.id)
    for name, s, e in credit.people:
        yield Mention(art.id, start + s, start + e, ctx.text[start + s:start + e], Label.PERSON, name, extractor="byline")
        yield Relation("author", article, Ref(Label.PERSON, name), art.id, s0, e0, "byline")


def _source(ctx: ArticleContext, agency: str, s: int, e: int, s0: int, e0: int) -> Iterator[Mention | Relation]:
    """An agency read at ``s:e`` of the article text (its credit at ``s0:e0``): an organization and the source."""
    art = ctx.article
    if is_own_desk(agency):
        if not art.meta.publisher:
            return  # 本报 of an unknown paper: no node
        org = Ref(Label.ORGANIZATION, art.meta.publisher)
    else:
        name, alts = canonical_org(agency)
        yield Mention(art.id, s, e, ctx.text[s:e], Label.ORGANIZATION, name, extractor="byline", alts=alts)
        org = Ref(Label.ORGANIZATION, name)
    yield Relation("publisher", Ref(Label.ARTICLE, art.id), org, art.id, s0, e0, "byline")
