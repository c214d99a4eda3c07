"""Posts held in running text: "中华全国总工会副主席张三", an organization, its post titles, then a name."""

from __future__ import annotations

import re
from typing import Iterator

from kg.model import Ref, Relation
from kg.lexicon.posts import ROLE
from kg.extract import Doc, register
from kg.extract.ner import org_spans, person_spans

_ROLES = re.compile(rf"^(?:{ROLE.pattern[:-1]})(?:、(?:{ROLE.pattern[:-1]}))*$")


@register("post", produces=("Relation",))
def posts(doc: Doc) -> Iterator[Relation]:
    """Membership relations where an organization, post titles and a person's name stand together."""
    people = person_spans(doc)
    for s, e, org, _ in org_spans(doc):
        for ps, pe in people:
            if ps < e or ps - e > 24:
                continue
            between = doc.text[e:ps]
            if not between or not _ROLES.match(between):
                continue
            ss, se = doc.sentence_of(s)
            for role in between.split("、"):
                yield Relation("member", Ref("Person", doc.text[ps:pe]), Ref("Organization", org), doc.id, ss, se, "post", role=role)
            break
