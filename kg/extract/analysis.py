"""Analyses of an article that several extractors share, as pure functions of its text and tokens.

:class:`kg.extract.context.ArticleContext` computes each of them once per article.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Sequence

from kg.extract.nlp import ProvenWords, Token
from kg.lexicon.names import looks_like_name
from kg.lexicon.orgs import ORG_SUFFIXES, PROVINCES, canonical_org, is_org_name, is_org_name_loose, org_suffix
from kg.lexicon.posts import ROLE
from kg.model import Article


class OrgSpan(NamedTuple):
    """An organization LAC found, corrected: its span, canonical name and other names."""

    start: int
    end: int
    name: str
    alts: tuple[str, ...]


#: Tags a name of an institution may run over when LAC cut it short ("全总" + 工会理论和劳动关系智库).
_ORG_EXTEND = {"n", "nz", "vn", "nw", "an"}
_ORG_JOIN = {"和", "与"}
#: Suffixes strong enough to close an extended name (one-character ones are too weak).
_CLOSING = tuple(s for s in ORG_SUFFIXES if len(s) >= 2)
_GLUE = "党的和与在是及等"


def org_spans(text: str, tokens: Sequence[Token], province: str = "") -> list[OrgSpan]:
    """Every organization LAC finds in ``text`` (``tokens`` are LAC's), corrected.

    Corrections: a name LAC cut short is extended over the nouns that follow up to an
    institution suffix; "新时代" and other time words in front are dropped; a place
    with 工会 ("山东工会") names the unions of a place, not one body; generic names
    (基层工会, 各级工会) are not organizations; ``province`` resolves short forms (省总工会).

    Examples
    --------
    >>> from kg.extract.nlp import tag_spans
    >>> t = "中华全国总工会召开会议。"
    >>> [o.name for o in org_spans(t, tag_spans(t, [(0, len(t))]))]
    ['中华全国总工会']
    """
    toks = tokens
    out = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.tag != "ORG":
            i += 1
            continue
        end_i = i
        for j in range(i + 1, min(i + 8, len(toks)) if not org_suffix(t.text) else i + 1):
            tj = toks[j]
            if tj.start != toks[j - 1].end:
                break
            if tj.tag not in _ORG_EXTEND and tj.text not in _ORG_JOIN:
                break
            if text[t.start:tj.end].endswith(_CLOSING) and tj.text not in _ORG_JOIN:
                end_i = j
        s, e = t.start, toks[end_i].end
        name_text = text[s:e]
        m = re.match(r"^(新时代新征程|新时代|新征程)", name_text)
        if m and len(name_text) > m.end() + 1:
            s += m.end()
            name_text = name_text[m.end():]
        while len(name_text) > 2 and name_text[-1] in _GLUE and not is_org_name(name_text) and is_org_name(name_text[:-1]):
            name_text, e = name_text[:-1], e - 1
        name, alts = canonical_org(name_text, province)
        if is_org_name_loose(name) and not _collective(name):
            out.append(OrgSpan(s, e, name, alts))
        i = end_i + 1
    return out


def _collective(name: str) -> bool:
    """A place's unions or committees as a whole ("山东工会"), not one body."""
    return any(name == p + w for p in PROVINCES for w in ("工会", "工会系统", "各级工会"))


def person_spans(tokens: Sequence[Token], proven: ProvenWords) -> list[tuple[int, int]]:
    """Spans of people LAC finds, cut where LAC glued a name the page proves to its neighbour."""
    out = []
    for t in tokens:
        if t.tag != "PER":
            continue
        pieces = proven.split(t.text)
        s, e = pieces[0]
        name = t.text[s:e]
        while len(name) > 2 and name[-1] in _GLUE and looks_like_name(name[:-1]):
            name, e = name[:-1], e - 1
        if looks_like_name(name) or name in proven or re.fullmatch(r"(?!.*[的了是在和])[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]+·[\u4e00-\u9fff·]+", name):
            out.append((t.start + s, t.start + e))
    return out



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


def attributions(article: Article) -> list[Attribution]:
    """Every attribution line of the article, parsed."""
    out = []
    for start, block in article.blocks_of("attribution"):
        p = parse_attribution(block.text)
        if p is None:
            continue
        ps, pe, ns, ne = p
        out.append(Attribution(start, start + len(block.text), block.text[ns:ne], start + ns, block.text[ps:pe], start + ps))
    return out


