"""Authors from the byline and compilers from "（某某 整理）": people read with certainty."""

from __future__ import annotations

import re
from typing import Iterator

from kg.model import Label, Mention, Ref, Relation
from kg.extract.context import ArticleContext
from kg.extract.registry import register


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
