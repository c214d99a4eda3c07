"""People and organizations in running text: LAC's PER and ORG, corrected by rules."""

from __future__ import annotations

import re
from typing import Iterator

from kg.model import Mention
from kg.lexicon.names import looks_like_name
from kg.extract.nlp import Token, split_proven
from kg.lexicon.orgs import ORG_SUFFIXES, PROVINCES, canonical_org, is_org_name, is_org_name_loose, org_suffix
from kg.extract import Doc, register

#: Tags a name of an institution may run over when LAC cut it short ("全总" + 工会理论和劳动关系智库).
_ORG_EXTEND = {"n", "nz", "vn", "nw", "an"}
_ORG_JOIN = {"和", "与"}
#: Suffixes strong enough to close an extended name (one-character ones are too weak).
_CLOSING = tuple(s for s in ORG_SUFFIXES if len(s) >= 2)
_GLUE = "党的和与在是及等"


def org_spans(doc: Doc) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """(start, end, canonical name, other names) of every organization LAC finds, corrected.

    Corrections: a name LAC cut short is extended over the nouns that follow up to an
    institution suffix; "新时代" and other time words in front are dropped; a place
    with 工会 ("山东工会") names the unions of a place, not one body; generic names
    (基层工会, 各级工会) are not organizations.
    """
    toks = doc.tokens
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
            if doc.text[t.start:tj.end].endswith(_CLOSING) and tj.text not in _ORG_JOIN:
                end_i = j
        s, e = t.start, toks[end_i].end
        text = doc.text[s:e]
        m = re.match(r"^(新时代新征程|新时代|新征程)", text)
        if m and len(text) > m.end() + 1:
            s += m.end()
            text = text[m.end():]
        while len(text) > 2 and text[-1] in _GLUE and not is_org_name(text) and is_org_name(text[:-1]):
            text, e = text[:-1], e - 1
        name, alts = canonical_org(text, doc.province)
        if is_org_name_loose(name) and not _collective(name):
            out.append((s, e, name, alts))
        i = end_i + 1
    return out


def _collective(name: str) -> bool:
    """A place's unions or committees as a whole ("山东工会"), not one body."""
    return any(name == p + w for p in PROVINCES for w in ("工会", "工会系统", "各级工会"))


def person_spans(doc: Doc) -> list[tuple[int, int]]:
    """Spans of people LAC finds, cut where LAC glued a proven name to its neighbour."""
    out = []
    for t in doc.tokens:
        if t.tag != "PER":
            continue
        pieces = split_proven(t.text, doc.proven_people) if doc.proven_people else [(0, len(t.text))]
        s, e = pieces[0]
        name = t.text[s:e]
        while len(name) > 2 and name[-1] in _GLUE and looks_like_name(name[:-1]):
            name, e = name[:-1], e - 1
        if looks_like_name(name) or name in doc.proven_people or re.fullmatch(r"(?!.*[的了是在和])[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]+·[\u4e00-\u9fff·]+", name):
            out.append((t.start + s, t.start + e))
    return out


@register("ner", produces=("Mention",))
def entities(doc: Doc) -> Iterator[Mention]:
    """Person and Organization mentions in the title, opinion, headings and paragraphs."""
    for s, e in person_spans(doc):
        yield Mention(doc.id, s, e, doc.text[s:e], "Person", doc.text[s:e], extractor="ner")
    for s, e, name, alts in org_spans(doc):
        yield Mention(doc.id, s, e, doc.text[s:e], "Organization", name, extractor="ner", alts=alts)
