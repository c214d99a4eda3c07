"""Analyses of an article that several extractors share, as pure functions of its text and tokens.

:class:`kg.extract.context.ArticleContext` computes each of them once per article.
"""

from __future__ import annotations

import bisect
import re
import threading
from typing import NamedTuple, Sequence

from kg.extract.nlp import ProvenWords, Token
from kg.extract.spans import SpanIndex
from kg.lexicon.names import NARRATOR, looks_like_name, split_title, title_glued
from kg.lexicon.places import is_country_pair, is_side
from kg.lexicon.orgs import (
    COUNTRY_NAMES, ORG_SUFFIXES, PROVINCES, REGIONS, canonical_org, generic_org, is_org_name, is_org_name_loose, national_body, parents_of, province_of,
    state_spans, VENUE_SUFFIXES,
)
from kg.lexicon.state import split_joint
from kg.lexicon.posts import ROLE, TITLES
from kg.model import Article


class OrgSpan(NamedTuple):
    """An organization LAC found, corrected: its span, canonical name and other names."""

    start: int
    end: int
    name: str
    alts: tuple[str, ...]


#: Characters glued to the end of a name that are no part of it (的, 和, 在 …).
_GLUE = "党的和与在是及等"


def org_spans(text: str, tokens: Sequence[Token], province: str = "") -> list[OrgSpan]:
    """Every organization in the running text of ``text`` (``tokens`` are LAC's), corrected.

    Two sources: LAC's ORG words, and the names of the bodies of the party and state
    (:func:`kg.lexicon.orgs.state_spans`: national bodies by full or short name, provincial
    bodies, city and county party committees) found even where LAC misses or mis-cuts them.
    Where both read the same place, the lexicon's name wins unless LAC's is longer and holds
    it (a unit of the body: 某某部某某司), and a joint name (中央纪委国家监委) gives its bodies.
    A body after a foreign place (某国外交部, 某国国家杜马) stays qualified by it, never
    merged with China's. Datelines (央视网消息（新闻联播）, 新华社某地某月某日电) are the
    source, not bodies the article mentions.

    LAC's words are corrected: a name LAC cut short is extended over the nouns that follow
    up to an institution suffix; "新时代" and other time words in front are dropped; a place
    with 工会 ("山东工会") names the unions of a place, not one body; generic names (基层工会,
    各级工会) are not organizations; ``province`` resolves short forms (省总工会).

    Examples
    --------
    >>> from kg.extract.nlp import tag_spans
    >>> t = "中华全国总工会召开会议。"
    >>> [o.name for o in org_spans(t, tag_spans(t, [(0, len(t))]))]
    ['中华全国总工会']
    >>> t = "农工党中央和国办负责同志出席。"
    >>> [o.name for o in org_spans(t, tag_spans(t, [(0, len(t))]))]
    ['中国农工民主党中央委员会', '国务院办公厅']
    """
    lac = _named_org_spans(text, tokens, province)
    lexicon = _lexicon_org_spans(text, tokens, province)
    kept = []
    holders = SpanIndex((o.start, o.end) for o in lac)
    for x in lexicon:  # a longer LAC name holding a body's name is a unit of it
        if not holders.contains(x.start, x.end, strict=True) or not any(
                o.start <= x.start and x.end <= o.end and o.end - o.start > x.end - x.start and not split_joint(text[o.start:o.end])
                for o in lac):
            kept.append(x)
    kept_index = SpanIndex((x.start, x.end) for x in kept)
    out = kept + [o for o in lac if not kept_index.overlaps(o.start, o.end)]
    by_end = {t.end: t for t in tokens}
    out = [_qualified(text, by_end.get(o.start), o) for o in out]
    dateline = SpanIndex(m.span() for m in _DATELINE.finditer(text))
    out = [o for o in out if not dateline.overlaps(o.start, o.end)]
    out = _quoted_bodies(text, out)
    out = _elliptical(text, out)
    return sorted(set(_one_body(out)), key=lambda o: (o.start, o.end))


_CJK = re.compile(r"[\u4e00-\u9fff]")


#: A body named with a quoted name: a country's name (or none), the name in quotes, the kind of body (某国“某某”党).
_QUOTED_BODY = re.compile(r"(?:(" + "|".join(sorted(map(re.escape, COUNTRY_NAMES), key=len, reverse=True)) + r"))?"
                          r"“([^“”\s]{1,10})”(党|运动|阵线|联盟|集团|组织|协会|基金会|委员会|公司)")


def _quoted_bodies(text: str, orgs: Sequence[OrgSpan]) -> list[OrgSpan]:
    """``orgs`` with the bodies named by a quoted name and their kind (某国“某某”党: one body, the
    pieces of it read as names of their own go).

    Examples
    --------
    >>> [o.name for o in _quoted_bodies("某某出席。美国“青松”基金会代表发言。", [])]
    ['美国“青松”基金会']
    """
    added = [OrgSpan(m.start(), m.end(), m.group(), (m.group().replace("“", "").replace("”", ""),))
             for m in _QUOTED_BODY.finditer(text)]
    if not added:
        return list(orgs)
    taken = SpanIndex((a.start, a.end) for a in added)
    return [o for o in orgs if not taken.overlaps(o.start, o.end)] + added


def _elliptical(text: str, orgs: Sequence[OrgSpan]) -> list[OrgSpan]:
    """``orgs`` with the bodies a list names without the head it shares with the body before it
    (某某人大民族委员会、宪法和法律委员会: the second is 某某人大's too), where the lexicon knows the
    whole name; a piece of such an item read as a body of its own goes.

    Examples
    --------
    >>> t = "全国人大民族委员会、宪法和法律委员会分别召开会议"
    >>> [o.name for o in _elliptical(t, [OrgSpan(0, 9, "全国人民代表大会民族委员会", ())])]
    ['全国人民代表大会民族委员会', '全国人民代表大会宪法和法律委员会']
    """
    added: list[OrgSpan] = []
    for o in orgs:
        surface = text[o.start:o.end]
        if national_body(surface) is None:
            continue
        heads = [surface[:k] for k in range(len(surface) - 2, 1, -1) if national_body(surface[:k]) is not None]
        pos = o.end
        while heads and text[pos:pos + 1] in ("、", "和", "及"):
            hit = None
            for e in range(pos + 3, min(pos + 16, len(text)) + 1):
                if not _CJK.fullmatch(text[e - 1]):
                    break
                item = text[pos + 1:e]
                body = next((national_body(h + item) for h in heads if national_body(h + item) is not None), None)
                if body is not None and national_body(item) is None:
                    hit = OrgSpan(pos + 1, e, body.name, (item,))
                    break
            if hit is None:
                break
            added.append(hit)
            pos = hit.end
    if not added:
        return list(orgs)
    taken = SpanIndex((a.start, a.end) for a in added)
    return [o for o in orgs if not taken.overlaps(o.start, o.end)] + added


def _one_body(orgs: Sequence[OrgSpan]) -> list[OrgSpan]:
    """``orgs`` with a body the article names again without its place one body: 建设银行 after 中国建设银行,
    某某公司 after 美国某某公司 (the name with the place, the short one its other name). A national body
    is left alone (美国国务院 is not China's 国务院).

    Examples
    --------
    >>> [o.name for o in _one_body([OrgSpan(0, 6, "美国维萨公司", ()), OrgSpan(9, 13, "维萨公司", ())])]
    ['美国维萨公司', '美国维萨公司']
    """
    full: dict[str, str] = {}
    for o in orgs:
        for name in (o.name, *(parent for _, parent in parents_of(o.name))):  # 中国某某银行 of 中国某某银行某某中心 too
            for k in range(2, len(name) - 1):
                if name[:k] in _PLACES_IN_FRONT and len(name) - k >= 3:
                    full.setdefault(name[k:], name)
    out = []
    for o in orgs:
        m = full.get(o.name)
        if m and national_body(o.name) is None:
            o = OrgSpan(o.start, o.end, m, tuple(dict.fromkeys((*o.alts, o.name))))
        out.append(o)
    return out


#: Places whose name stands in front of a body's (a country, a province, 中国).
_PLACES_IN_FRONT = frozenset({*COUNTRY_NAMES, *PROVINCES, *PROVINCES.values()})


#: A dateline at the start of a line: the source and place of the report, not a body it mentions.
_DATELINE = re.compile(
    r"(?m)^[ \t\u3000]*(?:央视网|央视|新华社|新华网|人民网|中新社|中新网|本报|人民日报|光明日报|经济日报|中国日报)(?:记者)?"
    r"[^，。：:\n（(]{0,20}?(?:消息|讯|电)(?:[（(][^）)\n]{0,30}[）)])?"
)
#: Names the lexicon knows but leaves to LAC in running text: the party and the CPPCC as a
#: whole are named mostly inside formulations, titles and document names.
_SCAN_SKIP = frozenset({"中国共产党", "中共", "人民政协", "中国人民政治协商会议"})
#: A city's or county's party committee, government, congress or CPPCC after its place.
_LOCAL_ORGAN = re.compile(r"(?:市|县|区|州|盟)?(?:委(?!员)|人民政府|人大常委会|政协|纪委监委|纪委)")
#: Parliaments and cabinets of other countries (after the country's name), and their ministries.
_PARLIAMENT = re.compile(r"国家杜马|联邦委员会|联邦议院|国民议会|众议院|参议院|上议院|下议院|议会|国会|内阁")
_MINISTRY = re.compile(r"[\u4e00-\u9fff]{2,8}部")
#: The government or parliament of a country or region named right after it (某国政府, 某地区议会).
_NATIONAL_ORGAN = re.compile(r"政府|议会|国会")
_CHINA = ("中国", "我国", "中华人民共和国")


def _lexicon_org_spans(text: str, tokens: Sequence[Token], province: str) -> list[OrgSpan]:
    """Bodies of the lexicon in the running text, and local party committees after a place LAC finds."""
    if not tokens:
        return []
    covered = bytearray(len(text))
    starts, ends = set(), set()
    for t in tokens:
        covered[t.start:t.end] = b"\x01" * (t.end - t.start)
        starts.add(t.start)
        ends.add(t.end)
    lo, hi = tokens[0].start, tokens[-1].end
    token_starts = [t.start for t in tokens]
    out = []
    for s, e in state_spans(text[lo:hi]):
        s, e = s + lo, e + lo
        n = text[s:e]
        if n in _SCAN_SKIP or 0 in covered[s:e] or text[e:e + 1] == "门":  # 公安部门, 财政部门: a kind of body
            continue
        if (len(n) <= 2 and not (s in starts and e in ends)) or (len(n) == 3 and s not in starts):
            continue
        e = _unit_end(text, tokens, token_starts, s, e)
        name, alts = canonical_org(text[s:e], province)
        out.append(OrgSpan(s, e, name, alts))
    held = bytearray(len(text) + 1)  # the characters a span of ``out`` holds
    for o in out:
        held[o.start:o.end] = b"\x01" * max(o.end - o.start, 0)
    for t in tokens:  # 某某市委, 某某县人民政府: LAC gives the place, not the body
        if t.tag == "LOC" and (t.text in COUNTRY_NAMES or t.text in REGIONS) and not held[t.start]:
            m = _NATIONAL_ORGAN.match(text, t.end)  # 某国政府, 某国议会: the country's government or parliament
            if m and not _CJK.match(text, m.end()) or m and text.startswith(("和", "与", "及", "方面", "议员", "代表"), m.end()):
                name, alts = canonical_org(text[t.start:m.end()], province)
                out.append(OrgSpan(t.start, m.end(), name, alts))
                held[t.start:m.end()] = b"\x01" * (m.end() - t.start)
                continue
        if t.tag != "LOC" or province_of(t.text) or t.text in _CHINA:
            continue
        m = _LOCAL_ORGAN.match(text, t.end)
        if m and (m.group().startswith(("市", "县", "区", "州", "盟")) or t.text.endswith(("市", "县", "区", "州", "盟"))):
            if not held[t.start]:  # in no span of ``out``
                name, alts = canonical_org(text[t.start:m.end()], province)
                out.append(OrgSpan(t.start, m.end(), name, alts))
                held[t.start:m.end()] = b"\x01" * (m.end() - t.start)
    return out


#: A department or bureau of a national body, written after its name (某某总局某某司).
_UNIT = re.compile(r"[\u4e00-\u9fff]{1,6}[司局室厅处]")


def _unit_end(text: str, tokens: Sequence[Token], starts: Sequence[int], s: int, e: int) -> int:
    """End of the name of a body's department when one follows the body's name (in the same word
    of LAC's, or as the next noun), else ``e``; ``starts`` are the tokens' starts."""
    i = bisect.bisect_right(starts, e) - 1
    for t in tokens[max(i, 0):i + 2]:
        if t.start < e < t.end and t.start >= s and _UNIT.fullmatch(text, e, t.end):
            return t.end
        if t.start == e and t.tag in ("n", "nz", "ORG") and _UNIT.fullmatch(t.text):
            return t.end
    return e


def _foreign(t: Token) -> bool:
    """Whether LAC's word ``t`` is a place outside China (a country, a region of one)."""
    if t.tag != "LOC" or t.text in _CHINA or province_of(t.text):
        return False
    return t.text in COUNTRY_NAMES or t.text in REGIONS or not t.text.endswith(("省", "市", "县", "区", "镇", "乡", "村", "州", "盟", "旗"))


def _qualified(text: str, before: Token | None, o: OrgSpan) -> OrgSpan:
    """``o`` with the foreign place in front of it (``before``, the word before it: 某国外交部 is not China's
    外交部; a body after a country's name is named with it, 某国某某党)."""
    if before is None or not _foreign(before):
        return o
    n = text[o.start:o.end]
    country = before.text in COUNTRY_NAMES and not n.startswith(before.text)  # 某国 + 某某党, 某国 + 某某研究所
    if not country and national_body(n) is None and not _PARLIAMENT.fullmatch(n) and not (_MINISTRY.fullmatch(n) and is_org_name_loose(n)):
        return o
    name = text[before.start:o.end]
    return OrgSpan(before.start, o.end, name, ())


def _named_org_spans(text: str, tokens: Sequence[Token], province: str) -> list[OrgSpan]:
    """The organizations the tagger reads (``tokens``' ORG words), trimmed and checked (see :func:`org_spans`)."""
    out = []
    for i, t in enumerate(tokens):
        if t.tag != "ORG":
            continue
        s, e = t.start, _run_on(text, tokens, i)
        name_text = text[s:e]
        m = re.match(r"^(新时代新征程|新时代|新征程)", name_text)
        if m and len(name_text) > m.end() + 1:
            s += m.end()
            name_text = name_text[m.end():]
        while len(name_text) > 3 and name_text[-1] in _GLUE and not is_org_name(name_text) and is_org_name(name_text[:-1]):
            name_text, e = name_text[:-1], e - 1
        name, alts = canonical_org(name_text, province)
        if not generic_org(name) and not _collective(name):
            out.append(OrgSpan(s, e, name, alts))
    return out


#: Tags of the words a body's name runs on over, and the suffixes strong enough to end it there.
_ORG_EXTEND = {"n", "nz", "vn", "nw", "an"}
_CLOSING = tuple(x for x in ORG_SUFFIXES if len(x) >= 2)


def _run_on(text: str, tokens: Sequence[Token], i: int) -> int:
    """The end of the body named at token ``i``: its own end, or, when the nouns glued after it end with an
    institution's suffix (某某工会 + 理论和劳动关系智库), the end of that suffix."""
    t = tokens[i]
    end = t.end
    for j in range(i + 1, min(i + 8, len(tokens))):
        tj = tokens[j]
        if tj.start != tokens[j - 1].end or (tj.tag not in _ORG_EXTEND and tj.text not in ("和", "与")):
            break
        if text[t.start:tj.end].endswith(_CLOSING) and tj.text not in ("和", "与"):
            end = tj.end
    return end


def _collective(name: str) -> bool:
    """A place's unions or committees as a whole ("山东工会"), not one body."""
    return any(name == p + w for p in PROVINCES for w in ("工会", "工会系统", "各级工会"))


def person_spans(tokens: Sequence[Token], proven: ProvenWords) -> list[tuple[int, int]]:
    """Spans of the people the tagger reads (``tokens``' PER words), as it reads them, but: a name the
    page proves is cut from its neighbour; a post title glued to a name is cut off (王某副 + 委员长,
    某某总书记); country pairs and sides (中美, 美方, 俄军) are nobody.

    Examples
    --------
    >>> from kg.extract.nlp import Token
    >>> toks = [Token(0, 2, "会议", "n"), Token(2, 4, "委托", "v"), Token(4, 7, "李明副", "PER"), Token(7, 10, "委员长", "n")]
    >>> [(s, e) for s, e in person_spans(toks, ProvenWords())]
    [(4, 6)]
    """
    out: dict[tuple[int, int], None] = {}
    for i, t in enumerate(tokens):
        if t.tag == "PER":
            span = _person_span(tokens, i, proven)
            if span:
                out[span] = None
    return list(out)


#: Tags of the words of jieba's dictionary that are no names (verbs, adjectives, adverbs, idioms).
_WORD_TAGS = {"v", "vn", "vd", "a", "ad", "an", "d", "c", "p", "i", "l"}
_WORDS: dict[str, str] | None = None
_WORDS_LOCK = threading.Lock()


def common_words() -> dict[str, str]:
    """Words of jieba's dictionary that are verbs, adjectives, adverbs, idioms or frequent common and other nouns: word -> tag.

    General knowledge of the language, read once per process from the dictionary jieba ships.

    Examples
    --------
    >>> common_words()["重于泰山"], "张三" in common_words()
    ('i', False)
    """
    global _WORDS
    if _WORDS is None:
        with _WORDS_LOCK:
            if _WORDS is None:
                import jieba

                words = {}
                with jieba.Tokenizer().get_dict_file() as f:
                    for line in f:
                        parts = line.decode("utf-8").split()
                        if len(parts) == 3 and (parts[2] in _WORD_TAGS and int(parts[1]) >= 3 or parts[2] in ("n", "nz") and int(parts[1]) >= 50):
                            words[parts[0]] = parts[2]
                _WORDS = words
    return _WORDS


_DIGIT = re.compile(r"[0-9０-９]")


def _common_phrase(words: Sequence[Token], starts: Sequence[int], x, vocab: dict[str, str]) -> bool:
    """Whether the span ``x`` is two or more of LAC's words, each a common word and one a verb (致敬|英雄)."""
    k = bisect.bisect_left(starts, x.start)
    parts = []
    while k < len(words) and words[k].end <= x.end:
        parts.append(words[k])
        k += 1
    return (len(parts) >= 2 and parts[0].start == x.start and parts[-1].end == x.end
            and all(w.text in vocab for w in parts) and any(vocab[w.text] in ("v", "vn", "vd") for w in parts))


def not_words(text: str, words: Sequence[Token], names: Sequence) -> list:
    """The tagger's ``names`` without those that are pieces of words of the language: a name inside a
    longer word of LAC's that the dictionary knows as a common word (马克思 of 马克思主义, a place inside
    an idiom), or that runs into one (乌国 of 乌|国内生产总值); a person's name is cut before a digit (某某2日).

    Examples
    --------
    >>> from kg.extract.tagger import Span
    >>> ws = [Token(0, 5, "马克思主义", "n"), Token(5, 7, "北京", "LOC")]
    >>> [(x.start, x.end) for x in not_words("马克思主义北京", ws, [Span(0, 3, "PER"), Span(5, 7, "LOC")])]
    [(5, 7)]
    """
    vocab = common_words()
    starts = [w.start for w in words]

    def text_of(x) -> str:
        return text[x.start:x.end]

    out = []
    for x in names:
        k = bisect.bisect_right(starts, x.start) - 1
        w = words[k] if k >= 0 else None
        if w is not None and w.start <= x.start and x.end <= w.end and (w.end - w.start) > (x.end - x.start) and (
                w.text in vocab or (w.tag == "n" and w.start == x.start and x.type == "LOC")):
            continue  # a piece of a common word (or of a noun LAC reads whole: 中华 of 中华儿女)
        j = bisect.bisect_left(starts, x.end) - 1  # the word the name's last character is in
        if 0 <= j < len(words) and words[j].start < x.end < words[j].end and words[j].start > x.start and words[j].text in vocab:
            continue  # a name that runs into a common word (乌国 of 乌|国内生产总值)
        if x.type == "ORG" and is_country_pair(text_of(x)):
            continue  # 中瑞: a pair of countries, no body
        if x.type == "PER" and _common_phrase(words, starts, x, vocab):
            continue  # 致敬|英雄: words of the language, not a name
        m = _DIGIT.search(text_of(x)) if x.type == "PER" else None
        if m and m.start() >= 2:  # a date glued to a name (某某2日): no name holds a digit
            x = type(x)(x.start, x.start + m.start(), x.type)
        out.append(x)
    return out


def consistent(text: str, spans: Sequence[tuple[int, int]], words: Sequence[Token], names: Sequence) -> list:
    """The tagger's ``names`` read the same way all through the article: a person's name cut short where the
    article gives it whole elsewhere (某某 of 某某列, read whole at another place) is read whole, and a person's
    name of three characters or more read somewhere is that person wherever else it stands on LAC's word
    boundaries in the running text (``spans``) and no other name is there.

    Examples
    --------
    >>> from kg.extract.tagger import Span
    >>> t = "拉某列总统说。拉某访华。拉某列表示。"
    >>> ws = [Token(0, 3, "拉某列", "PER"), Token(3, 5, "总统", "n"), Token(7, 9, "拉某", "PER"), Token(12, 15, "拉某列", "nz")]
    >>> [(x.start, x.end) for x in consistent(t, [(0, len(t))], ws, [Span(0, 3, "PER"), Span(7, 9, "PER")])]
    [(0, 3), (7, 9), (12, 15)]
    """
    people = {text[x.start:x.end] for x in names if x.type == "PER"}
    out = []
    for x in names:
        if x.type == "PER":
            longer = [p for p in people if len(p) > x.end - x.start and text.startswith(p, x.start)]
            if longer:
                x = type(x)(x.start, x.start + len(max(longer, key=len)), "PER")
        out.append(x)
    starts, ends = {w.start for w in words}, {w.end for w in words}
    taken = SpanIndex((x.start, x.end) for x in out)
    inside = SpanIndex(spans)
    for p in sorted({text[x.start:x.end] for x in out if x.type == "PER" and x.end - x.start >= 3}, key=len, reverse=True):
        i = text.find(p)
        while i >= 0:
            j = i + len(p)
            if i in starts and j in ends and inside.contains(i, j) and not taken.overlaps(i, j):
                out.append(type(out[0])(i, j, "PER"))
                taken = SpanIndex((x.start, x.end) for x in out)
            i = text.find(p, j)
    return sorted(out, key=lambda x: (x.start, x.end))


def venues(text: str, names: Sequence, words: Sequence = ()) -> list:
    """The tagger's ``names`` with an institution named like its building (某某纪念馆, 某某档案馆: the ends of
    :data:`kg.lexicon.orgs.VENUE_SUFFIXES`) read as an organization where the tagger read a place; and with
    ``words`` (LAC's), such a name the tagger missed or cut read whole: the run of name-like words that ends
    with the suffix (侵华|日军|细菌|战|某州|陈列馆, “九·一八”|历史|博物馆, 某某|纪念馆), the names inside it dropped.

    Examples
    --------
    >>> from kg.extract.tagger import Span
    >>> t = "参观某某革命纪念馆和某某广场。"
    >>> [(t[x.start:x.end], x.type) for x in venues(t, [Span(2, 9, "LOC"), Span(10, 14, "LOC")])]
    [('某某革命纪念馆', 'ORG'), ('某某广场', 'LOC')]
    >>> from kg.extract.nlp import Token
    >>> t = "来到张某纪念馆参观"
    >>> ws = [Token(0, 2, "来到", "v"), Token(2, 4, "张某", "PER"), Token(4, 7, "纪念馆", "n"), Token(7, 9, "参观", "v")]
    >>> [(t[x.start:x.end], x.type) for x in venues(t, [Span(2, 4, "PER")], ws)]
    [('张某纪念馆', 'ORG')]
    """
    out = [type(x)(x.start, x.end, "ORG") if x.type == "LOC" and text.endswith(VENUE_SUFFIXES, x.start, x.end)
           and x.end - x.start > 3 else x for x in names]
    if not words or not out and not any(w.text.endswith(VENUE_SUFFIXES) for w in words):
        return out
    make = type(out[0]) if out else _span_type()
    for k, w in enumerate(words):
        if not w.text.endswith(VENUE_SUFFIXES):
            continue
        start = _venue_start(text, words, k)
        if start is None or any(x.start <= start and w.end <= x.end for x in out):
            continue
        if any(x.start < start < x.end or x.start < w.end < x.end for x in out):
            continue  # a name crossing the run: the tagger's reading stands
        out = [x for x in out if not (start <= x.start and x.end <= w.end)] + [make(start, w.end, "ORG")]
    return sorted(out, key=lambda x: (x.start, x.end))


#: LAC's tags of the words a building's name is made of (the suffix's word last), and punctuation inside one.
_VENUE_TAGS = {"n", "nz", "nw", "vn", "PER", "LOC", "ORG", "m", "a"}
_VENUE_MARKS = set("“”‘’·•")


def _venue_start(text: str, words: Sequence, k: int) -> int | None:
    """Where the name of the building ending with ``words[k]`` starts: back over name-like words (a one-character
    verb between two, 细菌|战|某地), never at an adjective or a verb; None when nothing names it."""
    start, j = words[k].start, k
    while j > 0 and words[j - 1].end == start and start - words[j - 1].start + (words[k].end - start) <= 24:
        prev = words[j - 1]
        ok = prev.tag in _VENUE_TAGS or prev.text in _VENUE_MARKS or (
            prev.tag == "v" and len(prev.text) == 1 and j > 1 and words[j - 2].tag in _VENUE_TAGS)
        if not ok:
            break
        start, j = prev.start, j - 1
    while j < k and (words[j].tag in ("a", "v") or text[words[j].start] in "”’·•"):
        j += 1
        start = words[j].start
    name = text[start:words[k].end]
    if name.count("“") != name.count("”"):
        return None
    return start if len(name) - max((len(s) for s in VENUE_SUFFIXES if name.endswith(s)), default=0) >= 2 else None


def _span_type():
    from kg.extract.tagger import Span

    return Span


#: A verb glued after a person's name by the tagger (某某作|了说明, 某某作|报告): the name ends before it.
_VERB_AFTER_NAME = re.compile(r"作(?=了|的|说明|报告|汇报|发言|讲话|出|重要|工作|题为|提案|关于|专题|主题)")
#: Characters after a name that are no part of it (某某再作说明, 某某又作报告).
_NOT_A_NAME_END = "在再又还也都就将已曾并亦"
#: A preposition or conjunction glued before a foreign name written with · or - (同某某-某某, 和某某·某某).
_WORD_BEFORE_NAME = re.compile(r"^[同和与向对好将在]")
#: Post titles by their last character (国王 under 王), for a title whose last character the tagger read in a name.
_LONG_TITLES = tuple(t for t in TITLES if len(t) >= 2)
_TITLES_BY_END = {c: tuple(t for t in _LONG_TITLES if t[-1] == c) for c in {t[-1] for t in _LONG_TITLES}}
#: The same by their first character (王储 under 王), for a title whose first character the tagger read in a place.
_TITLES_BY_START = {c: tuple(t for t in _LONG_TITLES if t[0] == c) for c in {t[0] for t in _LONG_TITLES}}
#: Two names the tagger read as one (某某和某某): split at the conjunction.
_TWO_NAMES = re.compile(r"([\u4e00-\u9fff]{2,3})[和与同及]([\u4e00-\u9fff]{2,3})")


def person_edges(text: str, names: Sequence) -> list:
    """The tagger's people without the words glued at their edges: a verb after the name (某某作|了说明; its
    last character back from the verb, 某某|某作了), a preposition before a foreign name (同|某某-某某), a
    title's character (国王 read as 某国国|王某某: the place and the person both without it), and two names
    read as one (某某和某某) as two.

    Examples
    --------
    >>> from kg.extract.tagger import Span
    >>> t = "甲乙丙作了说明。同丁戊-己庚会谈。甲乙和丙丁出席。"
    >>> [t[x.start:x.end] for x in person_edges(t, [Span(0, 4, "PER"), Span(8, 14, "PER"), Span(17, 22, "PER")])]
    ['甲乙丙', '丁戊-己庚', '甲乙', '丙丁']
    """
    out = []
    for x in names:
        n = text[x.start:x.end]
        if x.type == "LOC" and n not in COUNTRY_NAMES and n[:-1] in COUNTRY_NAMES and any(
                text.startswith(t, x.end - 1) for t in _TITLES_BY_START.get(n[-1], ())):
            x = type(x)(x.start, x.end - 1, x.type)  # 某国国|王: the title's first character is no part of the place
        if x.type != "PER":
            out.append(x)
            continue
        if len(n) >= 4 and _VERB_AFTER_NAME.match(text, x.end - 1):
            x = type(x)(x.start, x.end - 1, x.type)
        elif len(n) == 2 and _VERB_AFTER_NAME.match(text, x.end + 1) and _CJK.match(text, x.end) \
                and text[x.end] not in _NOT_A_NAME_END:
            x = type(x)(x.start, x.end + 1, x.type)  # 某某|某作了说明: the name's last character glued to the verb
        elif len(n) >= 5 and ("·" in n or "-" in n) and _WORD_BEFORE_NAME.match(n):
            x = type(x)(x.start + 1, x.end, x.type)
        elif len(n) >= 4 and any(text.startswith(t, x.start + 1 - len(t)) for t in _TITLES_BY_END.get(n[0], ())):
            x = type(x)(x.start + 1, x.end, x.type)  # 国|王某某: the title's last character is no part of the name
        m = _TWO_NAMES.fullmatch(text, x.start, x.end)
        if m:
            out += [type(x)(m.start(1), m.end(1), x.type), type(x)(m.start(2), m.end(2), x.type)]
            continue
        out.append(x)
    return out


def whole_countries(text: str, names: Sequence) -> list:
    """The tagger's ``names`` with a place that is the end of a country's name the lexicon knows (韩民国 of
    大韩民国, LAC having glued the first character to the word before) read as the whole name.

    Examples
    --------
    >>> from kg.extract.tagger import Span
    >>> t = "应大韩民国总统邀请"
    >>> [(t[x.start:x.end], x.type) for x in whole_countries(t, [Span(2, 5, "LOC")])]
    [('大韩民国', 'LOC')]
    """
    taken = {i for x in names for i in range(x.start, x.end)}
    out = []
    for x in names:
        if x.type == "LOC" and text[x.start:x.end] not in COUNTRY_NAMES:
            for k in (1, 2, 3):
                if x.start - k >= 0 and text[x.start - k:x.end] in COUNTRY_NAMES and not taken & set(range(x.start - k, x.start)):
                    x = type(x)(x.start - k, x.end, x.type)
                    break
        out.append(x)
    return out


def in_idiom(tokens: Sequence[Token], i: int) -> bool:
    """Whether token ``i`` is part of an idiom or set phrase with the words glued to it (重于 + 泰山).

    Examples
    --------
    >>> from kg.extract.nlp import tag_spans
    >>> t = "责任重于泰山。"
    >>> toks = tag_spans(t, [(0, len(t))])
    >>> in_idiom(toks, [x.text for x in toks].index("泰山"))
    True
    """
    words = common_words()
    t = tokens[i]
    before = tokens[i - 1].text if i > 0 and tokens[i - 1].end == t.start else ""
    after = tokens[i + 1].text if i + 1 < len(tokens) and tokens[i + 1].start == t.end else ""
    for w in (before + t.text, t.text + after, before + t.text + after):
        if w != t.text and words.get(w) in ("i", "l"):
            return True
    for k in (1, 2):  # an idiom that takes only the first characters of the next word
        if after and len(after) > k and words.get(t.text + after[:k]) in ("i", "l") and len(t.text) + k >= 4:
            return True
        if before and len(before) > k and words.get(before[-k:] + t.text) in ("i", "l") and len(t.text) + k >= 4:
            return True
    return False


def person_names(text: str, spans: Sequence[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The name of the person each span of ``text`` names: the span's text without spaces, or, for a
    part of a transliterated name the article gives in full (某某夫 after 某·某某夫),
    the full name.

    Examples
    --------
    >>> t = "甲·乙丙会见了李 某。乙丙说。"
    >>> person_names(t, [(0, 4), (7, 10), (11, 13)])
    {(0, 4): '甲·乙丙', (7, 10): '李某', (11, 13): '甲·乙丙'}
    """
    own = {sp: re.sub(r"\s", "", text[sp[0]:sp[1]]) for sp in spans}
    full: dict[str, set[str]] = {}
    for name in own.values():
        parts = name.split("·")
        if len(parts) > 1 and all(parts):
            for part in (parts[0], parts[-1]):
                if len(part) >= 2:
                    full.setdefault(part, set()).add(name)
    return {sp: (next(iter(full[n])) if n in full and len(full[n]) == 1 and n not in full[n] else n) for sp, n in own.items()}


def _person_span(tokens: Sequence[Token], i: int, proven: ProvenWords) -> tuple[int, int] | None:
    """The span of the person token ``i`` names (see :func:`person_spans`), or None when it names nobody."""
    t = tokens[i]
    s, e = proven.split(t.text)[0]
    s, e = t.start + s, t.start + e
    name = t.text[s - t.start:e - t.start]
    if name in proven:
        return s, e
    name, title = split_title(name)
    e -= len(title)
    nxt = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].start == t.end else None
    if nxt is not None and not title and e == t.end:
        k = title_glued(name, nxt.text)
        name, e = name[:len(name) - k], e - k
    if is_country_pair(name) or is_side(name) or name in proven.names or len(name) < 2:
        return None
    return s, e


_LEAD = re.compile(rf"^(——|—|－－|--|{NARRATOR})\s*")
_REPORT = re.compile(r"召开|举行|举办|主办|承办|开幕|闭幕")


class Attribution(NamedTuple):
    """An attribution line parsed: speaker span and name, and the span of their posts."""

    start: int  # of the block in the article text
    end: int
    name: str  # without the spaces a letter-spaced name is printed with
    name_start: int
    posts_text: str
    posts_start: int
    name_end: int = -1  # end of the name as printed (``name_start + len(name)`` unless letter-spaced)


#: The posts and the name at the end of an attribution: the name may be letter-spaced (李  某).
_POSTS_NAME = re.compile(r"^(.*?\S)[ \u3000]+((?:[\u4e00-\u9fff][ \u3000]{1,2}){1,2}[\u4e00-\u9fff]|\S{2,5})$")


def parse_attribution(text: str) -> tuple[int, int, int, int] | None:
    """(posts start, posts end, name start, name end) in an attribution line "——posts name"; the name
    as printed, letter-spaced or not.

    Examples
    --------
    >>> a = parse_attribution("——某某大学教授 张三")
    >>> "——某某大学教授 张三"[a[2]:a[3]]
    '张三'
    >>> t = "——某某银行某某支行行长  王  某"
    >>> a = parse_attribution(t)
    >>> t[a[0]:a[1]], t[a[2]:a[3]]
    ('某某银行某某支行行长', '王  某')
    """
    lead = _LEAD.match(text)
    if not lead:
        return None
    body = text[lead.end():].rstrip()
    m = _POSTS_NAME.match(body)
    name = re.sub(r"[ \u3000]", "", m.group(2)) if m else ""
    if m and looks_like_name(name.replace("·", "")) or (m and ROLE.search(m.group(1))):
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
        name = re.sub(r"[ \u3000]", "", block.text[ns:ne])
        out.append(Attribution(start, start + len(block.text), name, start + ns, block.text[ps:pe], start + ps, start + ne))
    return out
