"""Posts held in running text: "中华全国总工会副主席张三", an organization, its post titles, then a name."""

from __future__ import annotations

import re
from typing import Iterator

from kg.model import Label, Ref, Relation
from kg.lexicon.posts import ROLE
from kg.extract.context import ArticleContext
from kg.extract.registry import register

_ROLES = re.compile(rf"^(?:{ROLE.pattern[:-1]})(?:、(?:{ROLE.pattern[:-1]}))*$")


@register("post", needs=("org_spans", "person_spans"), makes=(Relation,))
def posts(ctx: ArticleContext) -> Iterator[Relation]:
    """Membership relations where an organization, post titles and a person's name stand together."""
    people = ctx.person_spans
    for s, e, org, _ in ctx.org_spans:
        for ps, pe in people:
            if ps < e or ps - e > 24:
                continue
            between = ctx.text[e:ps]
            if not between or not _ROLES.match(between):
                continue
            ss, se = ctx.sentence_of(s)
            for role in between.split("、"):
                yield Relation("member", Ref(Label.PERSON, ctx.text[ps:pe]), Ref(Label.ORGANIZATION, org), ctx.id, ss, se, "post", role=role)
            break
