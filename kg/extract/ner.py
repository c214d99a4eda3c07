"""People and organizations in running text: LAC's PER and ORG, corrected by rules."""

from __future__ import annotations

from typing import Iterator

from kg.model import Label, Mention
from kg.extract.context import ArticleContext
from kg.extract.registry import register


@register("ner", needs=("person_spans", "org_spans"), makes=(Mention,))
def entities(ctx: ArticleContext) -> Iterator[Mention]:
    """Person and Organization mentions in the title, opinion, headings and paragraphs."""
    for s, e in ctx.person_spans:
        name = ctx.person_name(s, e)
        alts = (ctx.text[s:e],) if name != ctx.text[s:e] else ()
        yield Mention(ctx.id, s, e, ctx.text[s:e], Label.PERSON, name, extractor="ner", alts=alts)
    for s, e, name, alts in ctx.org_spans:
        yield Mention(ctx.id, s, e, ctx.text[s:e], Label.ORGANIZATION, name, extractor="ner", alts=alts)
