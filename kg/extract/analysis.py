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
from kg.lexicon.names import RARE_SURNAMES, TRANSLIT, can_open_transliteration, has_surname, is_title, is_transliteration, looks_like_name, split_title, title_glued
from kg.lexicon.places import is_known_place, is_pair_or_side, place_suffix
from kg.lexicon.orgs import (
    COUNTRY_NAMES, ORG_SUFFIXES, PROVINCES, REGIONS, canonical_org, is_org_name, is_org_name_loose, national_body, org_suffix, province_of,
    state_spans,
)
from kg.lexicon.state import split_joint
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
    lac = _lac_org_spans(text, tokens, province)
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
    return sorted(set(out), key=lambda o: (o.start, o.end))


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
    """``o`` with the foreign place in front of it (``before``, LAC's word before it: 某国外交部 is not China's 外交部)."""
    if before is None or not _foreign(before):
        return o
    n = text[o.start:o.end]
    if national_body(n) is None and not _PARLIAMENT.fullmatch(n) and not (_MINISTRY.fullmatch(n) and is_org_name_loose(n)):
        return o
    name = text[before.start:o.end]
    return OrgSpan(before.start, o.end, name, ())


def _lac_org_spans(text: str, tokens: Sequence[Token], province: str) -> list[OrgSpan]:
    """LAC's ORG words, extended, trimmed and checked (see :func:`org_spans`)."""
    toks = tokens
    out = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.tag != "ORG":
            m = _PARLIAMENT.match(text, t.end) if _foreign(t) else None
            if m and any(x.end == m.end() for x in toks[i + 1:i + 4]):  # 某国 + 议会: LAC tags neither ORG
                out.append(OrgSpan(m.start(), m.end(), m.group(), ()))
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
    """Spans of the people LAC finds (``tokens`` are LAC's), corrected into names a reader accepts.

    Corrections: a name the page proves is cut from its neighbour; a post title glued to a
    name is cut off (王某副 + 委员长, 某某总书记); country pairs and sides (中美, 美方, 俄军)
    and common words (奋楫, words of an idiom) are no people; a name needs a surname, the
    characters of a transliteration, or a person's place in the text (after a title, in a
    list of people); a transliterated name is read whole, over the middle dot and over a
    first character LAC cut off (内 + 塔尼亚胡); a place LAC found in a list of people, or
    inside a foreign name, is a person.

    Examples
    --------
    >>> from kg.extract.nlp import tag_spans
    >>> t = "会议委托李明副委员长作报告。"
    >>> [t[s:e] for s, e in person_spans(tag_spans(t, [(0, len(t))]), ProvenWords())]
    ['李明']
    """
    chars = _token_chars(tokens)
    listed = _listed_people(tokens)
    out: dict[tuple[int, int], None] = {}  # in the order found
    at: dict[int, list[int]] = {}  # the ends of the spans of ``out`` by start
    longest = 0
    for i, t in enumerate(tokens):
        if t.tag == "PER" or i in listed or (t.tag == "LOC" and _inside_foreign_name(tokens, i)):
            span = _person_span(tokens, i, chars, proven, i in listed)
            if not span:
                continue
            a, b = span
            # a span of ``out`` holding this one starts at most ``longest`` before its end
            if any(e >= b for s in range(min(a, b - longest), a + 1) for e in at.get(s, ())):
                continue
            for s in range(a, max(a, b) + 1):  # the spans this one holds go
                ends = at.get(s)
                if ends:
                    for e in [e for e in ends if e <= b]:
                        del out[(s, e)]
                        ends.remove(e)
            out[span] = None
            at.setdefault(a, []).append(b)
            longest = max(longest, b - a)
    return list(out)


#: Characters a transliterated name is never cut before, when LAC glued them to its end.
_FOREIGN_GLUE = "同和与在向对为等"
#: Tags of the words of jieba's dictionary that are no names (verbs, adjectives, adverbs, idioms).
_WORD_TAGS = {"v", "vn", "vd", "a", "ad", "an", "d", "c", "p", "i", "l"}
_WORDS: dict[str, str] | None = None
_WORDS_LOCK = threading.Lock()


def common_words() -> dict[str, str]:
    """Words of jieba's dictionary that are verbs, adjectives, adverbs, idioms or frequent common nouns: word -> tag.

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
                        if len(parts) == 3 and (parts[2] in _WORD_TAGS and int(parts[1]) >= 3 or parts[2] == "n" and int(parts[1]) >= 50):
                            words[parts[0]] = parts[2]
                _WORDS = words
    return _WORDS


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


def _token_chars(tokens: Sequence[Token]) -> dict[int, str]:
    """The characters the tokens cover, by offset."""
    return {t.start + k: c for t in tokens for k, c in enumerate(t.text)}


def _is_name_shaped(name: str) -> bool:
    if looks_like_name(name) or (2 <= len(name) <= 3 and name[0] in RARE_SURNAMES):
        return True
    return len(name) == 4 and has_surname(name) and re.fullmatch(r"[\u4e00-\u9fff]{4}", name) is not None and name not in common_words()


def _person_context(tokens: Sequence[Token], i: int) -> bool:
    """A title right before token ``i`` (副主席某某) or a form of address right after it (某某同志)."""
    t = tokens[i]
    if i > 0 and tokens[i - 1].end == t.start and is_title(tokens[i - 1].text):
        return True
    return i + 1 < len(tokens) and tokens[i + 1].start == t.end and tokens[i + 1].text in ("同志", "先生", "女士")


def _person_span(tokens: Sequence[Token], i: int, chars: dict[int, str], proven: ProvenWords,
                 listed: bool) -> tuple[int, int] | None:
    """The corrected span of the person token ``i`` names, or None when it names nobody."""
    t = tokens[i]
    pieces = proven.split(t.text)
    s, e = pieces[0]
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
    while len(name) > 2 and name[-1] in _GLUE and _is_name_shaped(name[:-1]):
        name, e = name[:-1], e - 1
    while len(name) > 3 and name[-1] in _FOREIGN_GLUE and is_transliteration(name[:-1]):
        name, e = name[:-1], e - 1
    if is_pair_or_side(name) or name in proven.names:
        return None if name not in proven else (s, e)
    foreign = is_transliteration(name)
    j = i
    while foreign and e - s < 8 and j > 0 and tokens[j - 1].end == s and len(tokens[j - 1].text) == 1 \
            and tokens[j - 1].tag not in ("w", "PER", "p", "c", "u") and can_open_transliteration(tokens[j - 1].text) \
            and not (j > 1 and tokens[j - 2].end == tokens[j - 1].start and len(tokens[j - 2].text) == 1 and tokens[j - 2].tag != "w"):
        j -= 1
        s -= 1
    s, e = _over_dots(s, e, chars)
    if chars.get(e) == "·" or chars.get(s - 1) == "·":
        return None  # 某某·某某 joined by a dot to no transliteration: a compound name of a thing
    name = "".join(chars.get(k, "") for k in range(s, e))
    if "·" in name:
        return (s, e) if not name.startswith("·") and not name.endswith("·") else None
    if in_idiom(tokens, i) and not listed:
        return None
    context = listed or _person_context(tokens, i)
    if _is_name_shaped(name):
        if common_words().get(name, "n") != "n" and not context:
            return None
        return s, e
    if is_transliteration(name) and len(name) <= 8:
        return s, e
    if context and re.fullmatch(r"[\u4e00-\u9fff]{2,5}", name):
        return s, e
    return None


def _over_dots(s: int, e: int, chars: dict[int, str]) -> tuple[int, int]:
    """A span extended over the middle dots of a transliterated name and the name's other parts."""
    while chars.get(e) == "·" and chars.get(e + 1, "") in TRANSLIT:
        e += 1
        while e - s < 24 and chars.get(e, "") in TRANSLIT:
            e += 1
    while chars.get(s - 1) == "·" and chars.get(s - 2, "") in TRANSLIT:
        s -= 1
        while chars.get(s - 1, "") in TRANSLIT and s > 0:
            s -= 1
    return s, e


def _inside_foreign_name(tokens: Sequence[Token], i: int) -> bool:
    """A place LAC found inside a transliterated name: its characters are a transliteration's,
    it is no known place, and LAC cut a character of the name off at its side (内 + 塔尼亚胡)."""
    t = tokens[i]
    if not is_transliteration(t.text) or is_known_place(t.text) or place_suffix(t.text):
        return False
    for j in (i - 1, i + 1):
        if 0 <= j < len(tokens):
            n = tokens[j]
            glued = n.end == t.start if j < i else n.start == t.end
            if glued and len(n.text) == 1 and n.tag not in ("w", "p", "c", "u") and n.text in TRANSLIT \
                    and (j > i or can_open_transliteration(n.text)):
                return True
    return False


def _listed_people(tokens: Sequence[Token]) -> set[int]:
    """Tokens that name people because they stand in a list of people (某某、某某、某某)
    although LAC tagged them otherwise (a place, a noun)."""
    neighbours: dict[int, set[int]] = {}
    for k, t in enumerate(tokens):
        if t.text == "、" and 0 < k < len(tokens) - 1:
            a, b = k - 1, k + 1
            if tokens[a].tag != "w" and tokens[b].tag != "w":
                neighbours.setdefault(a, set()).add(b)
                neighbours.setdefault(b, set()).add(a)
    out: set[int] = set()
    seen: set[int] = set()
    for start in sorted(neighbours):
        if start in seen:
            continue
        chain, todo = set(), [start]
        while todo:
            k = todo.pop()
            if k not in chain:
                chain.add(k)
                todo.extend(neighbours.get(k, ()))
        seen |= chain
        people = [k for k in chain if tokens[k].tag == "PER"]
        if len(chain) < 3 or len(people) < 2 or 2 * len(people) < len(chain):
            continue
        for k in chain:
            w = tokens[k].text
            if tokens[k].tag in ("LOC", "nz", "n", "nw", "PER") and re.fullmatch(r"[\u4e00-\u9fff·]{2,8}", w) \
                    and not is_known_place(w) and not is_title(w) and not w.endswith(("省", "市", "县", "区", "州", "国")):
                out.add(k)
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


