"""Measures: the actions an article proposes in enumerations (一是…, 第一，…, 首先…)."""

from __future__ import annotations

import re
from typing import Iterator

from kg.lexicon.orgs import GENERIC_KINDS, GENERIC_QUALIFIERS
from kg.model import Measure
from kg.numerals import cn_int
from kg.extract.context import ArticleContext
from kg.extract.registry import register

MARKER = re.compile(r"(?:^|(?<=[。；！？：]))\s*(?:([一二三四五六七八九十])是|第([一二三四五六七八九十])[，,、]|(首先|其次|再次|最后|另外|此外)[，,])")
_SOFT_ORDER = {"首先": 1, "其次": 2, "再次": 3}
#: Words of a sentence that states a problem rather than proposes an action.
_PROBLEM = re.compile(r"有待|不足|缺乏|不强|不高|不均衡|仍|难以|较为缓慢|薄弱|滞后|问题")
#: Actors a measure may address: bodies named by their kind, with the words that qualify the kind
#: (各级工会, 有关部门, 地方政府, 企业; the grammar of :data:`kg.lexicon.orgs.GENERIC`); longest first.
_ACTOR_RE = re.compile("(?:" + "|".join(sorted(GENERIC_QUALIFIERS, key=len, reverse=True)) + ")*(?:"
                       + "|".join(sorted((k for k in GENERIC_KINDS if len(k) >= 2), key=len, reverse=True)) + ")")


def actors_in(text: str) -> tuple[str, ...]:
    """Actors named in a measure, longest names first, each once.

    Examples
    --------
    >>> actors_in("引导企业加大培训力度，基层工会参与")
    ('企业', '基层工会')
    """
    return tuple(dict.fromkeys(m.group(0) for m in _ACTOR_RE.finditer(text)))


@register("measure", makes=(Measure,))
def measures(ctx: ArticleContext) -> Iterator[Measure]:
    """One measure per enumerated proposal, with its position, section and actors."""
    art = ctx.article
    section = ""
    for start, block in zip(art.starts, art.blocks):
        if block.role == "heading":
            section = block.text
            continue
        if block.role != "paragraph":
            continue
        for m in MARKER.finditer(block.text):
            ordinal = m.group(1) or m.group(2)
            soft = m.group(3)
            s = m.end()
            end = _sentence_end(block.text, s)
            text = block.text[s:end].rstrip("。；！？")
            if soft:
                if soft in ("另外", "此外", "最后") and not _proposes(text):
                    continue
                if not _proposes(text):
                    continue
                position = _SOFT_ORDER.get(soft, 0)
            else:
                position = cn_int(ordinal)
            if len(text) < 4:
                continue
            yield Measure(art.id, position, text, start + s, start + s + len(text), section, m.group(0).strip(" ，,、"), "measure", actors_in(text))


def _sentence_end(text: str, s: int) -> int:
    m = re.compile(r"[。！？；]").search(text, s)
    return m.end() if m else len(text)


def _proposes(text: str) -> bool:
    """A sentence that proposes an action: it opens with a verb of action, states no problem."""
    return bool(re.match(r"^(要|应|必须|需要|切实|进一步|不断|积极|大力|深入|加强|完善|健全|推动|推进|提高|提升|建立|构建|强化|深化|创新|借助|依托|坚持|加快|优化|鼓励|引导|支持|落实|协调)", text)) and not _PROBLEM.search(text[:12])
