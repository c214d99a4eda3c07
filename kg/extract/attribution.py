"""Quote attributions "——单位职务 姓名": the speaker, their posts, and what they said."""

from __future__ import annotations

import re
from typing import Iterator

from kg.model import Label, Mention, Ref, Relation, Statement
from kg.lexicon.names import NARRATOR_LINE
from kg.lexicon.posts import parse_posts
from kg.extract.context import ArticleContext
from kg.extract.registry import register

_REPORT = re.compile(r"召开|举行|举办|主办|承办|开幕|闭幕")


@register("attribution", needs=("attributions", "province"), makes=(Mention, Relation, Statement))
def speakers(ctx: ArticleContext) -> Iterator[Mention | Relation | Statement]:
    """Speakers, their posts and their statements from attribution lines."""
    art = ctx.article
    atts = ctx.attributions
    for att in atts:
        end = att.name_end if att.name_end >= 0 else att.name_start + len(att.name)
        yield Mention(art.id, att.name_start, end, art.text[att.name_start:end], Label.PERSON, att.name, extractor="attribution")
        person = Ref(Label.PERSON, att.name)
        for post in parse_posts(att.posts_text, province=ctx.province):
            if post.org_start >= 0:
                s = att.posts_start + post.org_start
                yield Mention(art.id, s, s + len(post.org_text), post.org_text, Label.ORGANIZATION, post.org, extractor="attribution", alts=post.alts)
            yield Relation("member", person, Ref(Label.ORGANIZATION, post.org), art.id, att.start, att.end, "attribution", role=post.role)
    # statements: the paragraphs that stand before each attribution, back to the previous one
    blocks = list(zip(art.starts, art.blocks))
    taken: list[tuple[int, int]] = []
    for att in atts:
        idx = next(i for i, (s, _) in enumerate(blocks) if s == att.start)
        span: list[tuple[int, int]] = []
        if NARRATOR_LINE.match(blocks[idx][1].text):  # 讲述人：…: what they tell follows, to the next line of another kind
            j = idx + 1
            while j < len(blocks) and blocks[j][1].role == "paragraph":
                s, b = blocks[j]
                span.append((s, s + len(b.text)))
                j += 1
            if span:
                yield Statement(art.id, att.name, ctx.text[span[0][0]:span[-1][1]], span[0][0], span[-1][1])
            continue
        j = idx - 1
        while j >= 0 and blocks[j][1].role == "paragraph":
            s, b = blocks[j]
            if _REPORT.search(b.text) and span:
                break
            span.insert(0, (s, s + len(b.text)))
            j -= 1
        span = [sp for sp in span if not _REPORT.search(ctx.text[sp[0]:sp[1]])] or span
        if span:
            s, e = span[0][0], span[-1][1]
            taken.append((s, e))
            yield Statement(art.id, att.name, ctx.text[s:e], s, e)
