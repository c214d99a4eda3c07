"""Places: LAC's LOC, provinces and countries by name, and places inside administrative names."""

from __future__ import annotations

import re
from typing import Iterator

from kg.model import Label, Mention
from kg.lexicon.orgs import COUNTRIES, PROVINCES, places_in
from kg.extract.context import TEXT_BLOCKS, ArticleContext
from kg.extract.registry import register

_FULL = {v: k for k, v in PROVINCES.items()}
_GENERIC = {"全国", "全省", "全市", "各地", "地方", "国内", "国外", "境外", "海外", "世界", "全球", "基层", "当地", "本地", "城乡", "农村", "城市", "区域"}
_LEXICON = re.compile("|".join(sorted(map(re.escape, [*PROVINCES.values(), *PROVINCES, *COUNTRIES]), key=len, reverse=True)))


def place_name(text: str) -> str:
    """Canonical name of a place: provinces by their short name.

    Examples
    --------
    >>> place_name("山东省"), place_name("内蒙古自治区"), place_name("青岛市")
    ('山东', '内蒙古', '青岛市')
    """
    return _FULL.get(text, text)


@register("place", makes=(Mention,))
def places(ctx: ArticleContext) -> Iterator[Mention]:
    """Place mentions in running text, and places inside the names of administrative bodies."""
    seen: set[tuple[int, int]] = set()
    for t in ctx.tokens:
        if t.tag == "LOC" and t.text not in _GENERIC and len(t.text) >= 2:
            seen.add((t.start, t.end))
            yield Mention(ctx.id, t.start, t.end, t.text, Label.PLACE, place_name(t.text), extractor="place")
    words = {(t.start, t.end) for t in ctx.tokens}
    for s, e in ctx.block_spans(*TEXT_BLOCKS, "note", "attribution"):
        text = ctx.text[s:e]
        for m in _LEXICON.finditer(text):
            span = (s + m.start(), s + m.end())
            if span in seen or any(a <= span[0] < b for a, b in seen):
                continue
            admin = any(o == 0 for o, _ in places_in(text[m.start():m.start() + 24]))
            if not admin and span not in words:
                continue  # 北京 in 北京大学 names no place
            seen.add(span)
            yield Mention(ctx.id, *span, m.group(0), Label.PLACE, place_name(m.group(0)), subtype="part" if admin else "", extractor="place")
