"""Quote attributions "——单位职务 姓名": the speaker, their posts, and what they said."""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from kg.model import Mention, Ref, Relation, Statement
from kg.lexicon.names import looks_like_name
from kg.lexicon.posts import ROLE, parse_posts
from kg.extract import Doc, register

_LEAD = re.compile(r"^(——|—|－－|--)\s*")
_REPORT = re.compile(r"召开|举行|举办|主办|承办|开幕|闭幕")


class Attribution(NamedTuple):
    """An attribution line parsed: speaker span and name, and the span of their posts."""

    start: int  # of the block in the article text
    end: int
    name: str
    name_start: int
    posts_text: str
    posts_start: int


def parse_attribution(text: str) -> tuple[int, int, int, int] | None:
    """(posts start, posts end, name start, name end) in an attribution line.

    Examples
    --------
    >>> t = "——中国劳动关系学院校长 某某某"
    >>> a = parse_attribution("——某某大学教授 张三")
    >>> "——某某大学教授 张三"[a[2]:a[3]]
    '张三'
    """
    lead = _LEAD.match(text)
    if not lead:
        return None
    body = text[lead.end():].rstrip()
    m = re.match(r"^(.*\S)[ \u3000]+(\S{2,5})$", body)
    if m and looks_like_name(m.group(2).replace("·", "")) or (m and ROLE.search(m.group(1))):
        off = lead.end()
        return off + m.start(1), off + m.end(1), off + m.start(2), off + m.end(2)
    for n in (3, 2, 4):  # no space: the name follows the post title
        if len(body) > n and ROLE.search(body[:-n]) and looks_like_name(body[-n:]):
            off = lead.end()
            return off, off + len(body) - n, off + len(body) - n, off + len(body)
    if looks_like_name(body):
        return lead.end(), lead.end(), lead.end(), lead.end() + len(body)
    return None


def attributions(doc: Doc) -> list[Attribution]:
    """Every attribution line of the article, parsed."""
    out = []
    for start, block in doc.article.blocks_of("attribution"):
        p = parse_attribution(block.text)
        if p is None:
            continue
        ps, pe, ns, ne = p
        out.append(Attribution(start, start + len(block.text), block.text[ns:ne], start + ns, block.text[ps:pe], start + ps))
    return out


@register("attribution", produces=("Mention", "Relation", "Statement"))
def speakers(doc: Doc) -> Iterator[Mention | Relation | Statement]:
    """Speakers, their posts and their statements from attribution lines."""
    art = doc.article
    atts = attributions(doc)
    for att in atts:
        yield Mention(art.id, att.name_start, att.name_start + len(att.name), att.name, "Person", att.name, extractor="attribution")
        person = Ref("Person", att.name)
        for post in parse_posts(att.posts_text, province=doc.province):
            if post.org_start >= 0:
                s = att.posts_start + post.org_start
                yield Mention(art.id, s, s + len(post.org_text), post.org_text, "Organization", post.org, extractor="attribution", alts=post.alts)
            yield Relation("member", person, Ref("Organization", post.org), art.id, att.start, att.end, "attribution", role=post.role)
    # statements: the paragraphs that stand before each attribution, back to the previous one
    blocks = list(zip(art.starts, art.blocks))
    taken: list[tuple[int, int]] = []
    for att in atts:
        idx = next(i for i, (s, _) in enumerate(blocks) if s == att.start)
        span: list[tuple[int, int]] = []
        j = idx - 1
        while j >= 0 and blocks[j][1].kind == "paragraph":
            s, b = blocks[j]
            if _REPORT.search(b.text) and span:
                break
            span.insert(0, (s, s + len(b.text)))
            j -= 1
        span = [sp for sp in span if not _REPORT.search(doc.text[sp[0]:sp[1]])] or span
        if span:
            s, e = span[0][0], span[-1][1]
            taken.append((s, e))
            yield Statement(art.id, att.name, doc.text[s:e], s, e)
