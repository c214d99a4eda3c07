"""Parent bodies the text states: "A所属B", "A下设B", "A直属B" (B is a body of A)."""

from __future__ import annotations

import re
from typing import Iterator

from kg.extract.context import ArticleContext
from kg.extract.registry import register
from kg.model import Label, Ref, Relation

#: Words between a body and one of its own: A所属(的)B, A下设(的)B, A直属(的)B, A下属(的)B, A旗下(的)B.
_UNDER = re.compile(r"(?:所属|下设|直属|下属|旗下)的?")


@register("structure", needs=("org_spans",), makes=(Relation,))
def parents(ctx: ArticleContext) -> Iterator[Relation]:
    """Parent relations where the text says one body belongs to another.

    Examples
    --------
    >>> from kg.extract import analyse
    >>> from kg.model import Article, Block
    >>> t = "国家能源集团旗下的国华电力公司投产。"
    >>> a = Article.build("x", "", (Block("paragraph", t, tuple(range(len(t)))),))
    >>> [(r.subject.name, r.obj.name) for r in parents(analyse(a))]
    [('国华电力公司', '国家能源集团')]
    """
    orgs = sorted(ctx.org_spans, key=lambda o: o.start)
    for left, right in zip(orgs, orgs[1:]):
        m = _UNDER.fullmatch(ctx.text, left.end, right.start)
        if m and left.name != right.name:
            s, e = ctx.sentence_of(left.start)
            yield Relation("parent", Ref(Label.ORGANIZATION, right.name), Ref(Label.ORGANIZATION, left.name), ctx.id, s, e, "structure")
