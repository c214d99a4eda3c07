"""Author notes: "（作者单位：…）" gives affiliations, "（作者为…）" gives posts held."""

from __future__ import annotations

import re
from typing import Iterator

from kg.model import Label, Mention, Ref, Relation
from kg.lexicon.orgs import canonical_org, province_of
from kg.lexicon.posts import parse_posts
from kg.extract.context import ArticleContext
from kg.extract.registry import register

#: Posts of scholars: the body that holds them is where the author works.
ACADEMIC = re.compile(r"(教授|研究员|讲师|博士后|博士生导师|博士|硕士|教师|学者|助教)$")
_UNIT = re.compile(r"^[（(](?:作者|本文作者|笔者)单位[：:]\s*(.+?)[）)]?$")


def unit_names(text: str) -> list[tuple[int, int]]:
    """Spans of the institutions named in a "作者单位" note, parentheses kept with their name.

    Examples
    --------
    >>> t = "（作者单位：某某大学；某某研究院（某某中心））"
    >>> [t[s:e] for s, e in unit_names(t)]
    ['某某大学', '某某研究院（某某中心）']
    """
    m = _UNIT.match(text)
    if not m:
        return []
    out, depth, s = [], 0, m.start(1)
    end = m.end(1)
    for i in range(m.start(1), end):
        c = text[i]
        if c in "（(":
            depth += 1
        elif c in "）)":
            depth -= 1
        elif c in "、；;，," and depth == 0:
            if i > s:
                out.append((s, i))
            s = i + 1
    if end > s:
        out.append((s, end))
    return out


@register("notes", needs=("province",), makes=(Mention, Relation))
def notes(ctx: ArticleContext) -> Iterator[Mention | Relation]:
    """Organization mentions, affiliations and posts from the author notes of an article."""
    art = ctx.article
    people = [Ref(Label.PERSON, a) for a in art.authors]
    for start, block in art.blocks_of("note"):
        text = block.text
        units = unit_names(text)
        if units:
            orgs = []
            for s, e in units:
                raw = text[s:e]
                name, alts = canonical_org(raw, ctx.province)
                inner = re.match(r"^(.+?)[（(](.+?)[）)]$", raw)
                if inner:
                    yield Mention(art.id, start + s, start + s + len(inner.group(1)), inner.group(1), Label.ORGANIZATION, name, extractor="notes", alts=alts)
                    a = s + inner.start(2)
                    yield Mention(art.id, start + a, start + a + len(inner.group(2)), inner.group(2), Label.ORGANIZATION, name, extractor="notes", alts=alts)
                else:
                    yield Mention(art.id, start + s, start + e, raw, Label.ORGANIZATION, name, extractor="notes", alts=alts)
                orgs.append(name)
            pairs = zip(people, orgs) if len(orgs) == len(people) > 1 else [(p, o) for p in people for o in orgs]
            for person, org in pairs:
                yield Relation("affiliation", person, Ref(Label.ORGANIZATION, org), art.id, start, start + len(text), "notes")
            continue
        if len(people) != 1:
            continue  # posts of several authors cannot be told apart
        for post in parse_posts(text, province=ctx.province if not _names_province(text) else ""):
            if post.org_start >= 0:
                s = start + post.org_start
                yield Mention(art.id, s, s + len(post.org_text), post.org_text, Label.ORGANIZATION, post.org, extractor="notes", alts=post.alts)
            yield Relation("member", people[0], Ref(Label.ORGANIZATION, post.org), art.id, start + post.start, start + post.end, "notes", role=post.role)
            if ACADEMIC.search(post.role):
                # a scholar's post names where they work: their affiliation too
                yield Relation("affiliation", people[0], Ref(Label.ORGANIZATION, post.org), art.id, start + post.start, start + post.end, "notes")


def _names_province(text: str) -> bool:
    return any(province_of(text[i:]) for i in range(len(text)))
