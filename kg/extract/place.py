"""Places: LAC's LOC, corrected; provinces and countries by name, and places inside administrative names."""

from __future__ import annotations

import bisect
import re
from typing import Iterator, Sequence

from kg.model import Label, Mention
from kg.lexicon.names import split_title
from kg.lexicon.orgs import COUNTRY_NAMES, PROVINCES, places_in
from kg.lexicon.places import (
    DOCUMENT_ENDINGS, FORMAL_NAMES, NOT_PLACE_ENDINGS, PROVINCE_ABBREVIATIONS, is_known_place, is_pair_before, is_pair_or_side,
    place_suffix,
)
from kg.extract.analysis import common_words, in_idiom
from kg.extract.context import TEXT_BLOCKS, ArticleContext
from kg.extract.nlp import Token
from kg.extract.registry import register
from kg.extract.spans import SpanIndex

_FULL = {v: k for k, v in PROVINCES.items()}
#: The provinces by their short and full names (山东, 山东省).
_PROVINCE_NAMES = frozenset([*PROVINCES, *PROVINCES.values()])
_GENERIC = {"全国", "全省", "全市", "各地", "地方", "国内", "国外", "境外", "海外", "世界", "全球", "基层", "当地", "本地", "城乡", "农村", "城市", "区域",
            "中华", "神州"}
#: The provinces by name: a province at the head of a body's name is a place inside it (山东 of 山东省委).
_LEXICON = re.compile("|".join(sorted(map(re.escape, _PROVINCE_NAMES), key=lambda n: (-len(n), n))))
#: Characters that join a place to the verb phrase LAC glued to it (在某某会堂同来华的…).
_JOIN = "同和与在向对为将把被从到给"
#: Tags of words that are no places when a place's first character is glued to them (京 + 火化).
_VERBISH = {"v", "vn", "vd", "a", "ad", "an", "d", "i", "l", "n"}
#: Words of an administrative body that follow the name of its place (某某 + 市委, 某某区 + 党委).
_ADMIN_AFTER = re.compile(r"^(市|区|县|州|盟|旗)?(委|党委|党工委|政府|人民政府|人大|政协|纪委|监委|人民法院|人民检察院)")
_ADMIN_PLACE = re.compile(r"^(?:中共)?([\u4e00-\u9fff]{2,3}(?:市|区|县|州))(?=委|党委|党工委|政府|人民政府|人大|政协|纪委|监委|人民法院|人民检察院)")
_NOT_ADMIN_STEM = ("特", "开发", "高新", "经开", "试验", "保税", "自贸", "老城", "主城", "新城", "园", "景", "片", "辖", "全市", "全县", "全区")
_PROVINCE_PREFIX = re.compile("^(" + "|".join(sorted(map(re.escape, _PROVINCE_NAMES), key=lambda n: (-len(n), n))) + ")")


def place_name(text: str) -> str:
    """Canonical name of a place: provinces and cities by their short name, countries by theirs.

    Examples
    --------
    >>> place_name("山东省"), place_name("内蒙古自治区"), place_name("某某市"), place_name("吉林市")
    ('山东', '内蒙古', '某某', '吉林市')
    >>> place_name("中华人民共和国"), place_name("某某区")
    ('中国', '某某区')
    """
    if text in FORMAL_NAMES:
        return FORMAL_NAMES[text]
    if text in _FULL:
        return _FULL[text]
    if text.endswith("市") and len(text) >= 3 and text[:-1] not in PROVINCES and text not in _GENERIC:
        return text[:-1]
    return text


def place_spans(tokens: Sequence[Token], i: int) -> list[tuple[int, int]]:
    """The places the LOC token ``i`` names, as spans: none when it is a word that only looks
    like a place, one when it is a place (trimmed of a title or verb phrase glued to it), two
    when it is a province followed by a place in it.

    Examples
    --------
    >>> from kg.extract.nlp import tag_spans
    >>> t = "要加强团结协作，责任重于泰山，中美关系，在京火化。"
    >>> toks = tag_spans(t, [(0, len(t))])
    >>> [t[s:e] for k, x in enumerate(toks) if x.tag == "LOC" for s, e in place_spans(toks, k)]
    []
    >>> from kg.extract.nlp import Token
    >>> toks = [Token(0, 1, "在", "p"), Token(1, 5, "北京同来", "LOC"), Token(5, 7, "访问", "v")]
    >>> [t for k, x in enumerate(toks) if x.tag == "LOC" for t in place_spans(toks, k)]
    [(1, 3)]
    """
    t = tokens[i]
    text = t.text
    if text in _GENERIC or len(text) < 2 or is_pair_or_side(text):
        return []
    known = is_known_place(text)
    after = "".join(x.text for x in tokens[i + 1:i + 4])
    if is_pair_before(text, after):
        return []
    if not known and in_idiom(tokens, i):
        return []
    if not known:
        text = _trim(text)
        if not text or text.endswith(NOT_PLACE_ENDINGS) or _verb_phrase(text):
            return []
    s, e = t.start, t.start + len(text)
    full = text
    for k in range(i + 1, len(tokens)):  # tokens are sorted by start: none after one at ``e`` ends by ``e``
        x = tokens[k]
        if x.start >= e:
            break
        if x.end <= e:
            full += x.text
    m = _PROVINCE_PREFIX.match(full)
    if m and not known and len(full) - m.end() >= 3 and place_suffix(full[m.end():]):
        return [(s, s + m.end()), (s + m.end(), e)]
    return [(s, e)]


def _trim(text: str) -> str:
    """A place without the title, the document name or the verb phrase LAC glued to it ("" when nothing is left)."""
    head, title = split_title(text)
    if title and (is_known_place(head) or len(head) >= 2):
        text = head
    for k in range(2, len(text)):
        if text[k] in _JOIN and (place_suffix(text[:k]) or is_known_place(text[:k])):
            text = text[:k]
            break
    if DOCUMENT_ENDINGS.search(text):
        for k in range(len(text) - 1, 1, -1):
            if is_known_place(text[:k]) or text[:k].endswith("国"):
                return text[:k]
        return ""
    return text


def _verb_phrase(text: str) -> bool:
    """A word LAC took for a place that is a province's one-character name glued to a verb
    (京 + 火化), or two verbs or adjectives run together (团结 + 协作)."""
    if place_suffix(text) or is_known_place(text):
        return False
    words = common_words()
    if text[0] in PROVINCE_ABBREVIATIONS and len(text) >= 3 and words.get(text[1:]) in _VERBISH:
        return True
    return len(text) == 4 and words.get(text[:2], "n") != "n" and words.get(text[2:], "n") != "n"


#: The names of foreign countries, longest first (at the head of a body's name).
_COUNTRY_HEAD = re.compile("|".join(sorted(map(re.escape, set(COUNTRY_NAMES) - {"中国", "中华人民共和国"}), key=len, reverse=True)))
#: Endings of administrative units: a word of LAC's so ending is a place whatever LAC cut around it.
_ADMIN_ENDINGS = ("省", "市", "县", "区", "州", "盟", "旗", "自治区", "特别行政区")


def _head_places(ctx: ArticleContext, starts: Sequence[int], t: Token) -> list[tuple[int, int]]:
    """The places LAC reads at the head of the name ``t`` (a run of its place words from the name's start):
    the places a longer name holds (江西|某市 of 江西某市某某纪念馆), or, when the run is the whole name and
    has two places or more, the places it is made of (某国|某市, 某省|某地: a place word of LAC's right after a
    province); none for a name LAC reads as one word.

    Examples
    --------
    >>> from kg.model import Article, Block
    >>> from kg.extract.context import ArticleContext
    >>> from kg.extract.nlp import ProvenWords
    >>> t = "江西某市某某纪念馆"
    >>> ws = (Token(0, 2, "江西", "LOC"), Token(2, 4, "某市", "LOC"), Token(4, 9, "某某纪念馆", "n"))
    >>> ctx = ArticleContext(Article.build("x", "", (Block("paragraph", t, tuple(range(len(t)))),)), ((0, 9),), (), ProvenWords(), words=ws)
    >>> _head_places(ctx, [w.start for w in ws], Token(0, 9, t, "ORG"))
    [(0, 2), (2, 4)]
    """
    k = bisect.bisect_left(starts, t.start)
    run: list[tuple[int, int]] = []
    pos = t.start
    while k < len(ctx.words) and ctx.words[k].start == pos and ctx.words[k].end <= t.end and ctx.words[k].tag == "LOC":
        w = ctx.words[k]
        after_province = bool(run) and ctx.text[run[-1][0]:run[-1][1]] in _PROVINCE_NAMES and len(w.text) <= 4
        if is_pair_or_side(w.text) or len(w.text) < 2 or not (
                is_known_place(w.text) or w.text.endswith(_ADMIN_ENDINGS) or after_province):
            break  # only a place the lexicon knows, an administrative unit by its ending or a city after its province
            # (广东|某尾): LAC's other cuts are no names
        run.append((w.start, w.end))
        pos, k = w.end, k + 1
    if not run:  # a foreign country at the head of a body's name (某国某某党): a place the text names
        m = _COUNTRY_HEAD.match(ctx.text, t.start, t.end)
        if m and t.end - m.end() >= 2 and t.tag == "ORG":
            return [m.span()]
    if not run or (run[-1][1] == t.end and len(run) < 2):
        return []
    return run


def _admin_places(tokens: Sequence[Token]) -> Iterator[tuple[int, int, str]]:
    """Cities, districts and counties named at the start of the name of their party committee,
    government or congress (某某区党委 -> 某某区); provinces are :func:`kg.lexicon.orgs.places_in`'s.

    Examples
    --------
    >>> [x[2] for x in _admin_places([Token(0, 5, "某某区党委", "ORG"), Token(5, 9, "某某大学", "ORG")])]
    ['某某区']
    """
    for t in tokens:
        if t.tag != "ORG":
            continue
        text, off = t.text, 0
        p = _PROVINCE_PREFIX.match(text[2:] if text.startswith("中共") else text)
        if p:
            off = p.end() + (2 if text.startswith("中共") else 0)
            off += 1 if text[off:off + 1] in ("省", "市") and not p.group(0).endswith(("省", "市")) else 0
        m = _ADMIN_PLACE.match(text[off:])
        if m and not m.group(1)[:-1].endswith(_NOT_ADMIN_STEM):
            s = t.start + off + m.start(1)
            yield s, s + len(m.group(1)), m.group(1)


@register("place", needs=("tokens", "person_spans"), makes=(Mention,))
def places(ctx: ArticleContext) -> Iterator[Mention]:
    """Place mentions in running text, and places inside the names of administrative bodies."""
    seen: set[tuple[int, int]] = set()
    held = bytearray(len(ctx.text) + 1)  # the characters a span of ``seen`` holds

    def see(s: int, e: int) -> None:
        seen.add((s, e))
        if e > s:
            held[s:e] = b"\x01" * (e - s)

    def in_seen(i: int) -> bool:
        """``any(a <= i < b for a, b in seen)``."""
        return 0 <= i < len(held) and held[i] == 1

    people = ctx.person_index
    word_starts = [w.start for w in ctx.words]
    for i, t in enumerate(ctx.tokens):
        if t.tag not in ("LOC", "ORG") or people.overlaps(t.start, t.end):
            continue
        heads = _head_places(ctx, word_starts, t)
        whole = bool(heads) and heads[-1][1] == t.end
        for s, e in heads:  # 江西|某市 of a museum's name, 某国|某市 read as one place: places of their own
            if (s, e) not in seen:
                see(s, e)
                yield Mention(ctx.id, s, e, ctx.text[s:e], Label.PLACE, place_name(ctx.text[s:e]), subtype="" if whole else "part",
                              extractor="place")
        if t.tag != "LOC" or whole:
            continue
        found = place_spans(ctx.tokens, i)
        if not found:
            see(t.start, t.end)  # no place: nor is a name of the lexicon there
        nxt = ctx.tokens[i + 1] if i + 1 < len(ctx.tokens) and ctx.tokens[i + 1].start == t.end else None
        for s, e in found:
            see(s, e)
            text = ctx.text[s:e]
            part = "part" if e == t.end and nxt is not None and _ADMIN_AFTER.match(nxt.text) else ""
            yield Mention(ctx.id, s, e, text, Label.PLACE, place_name(text), subtype=part, extractor="place")
    named = SpanIndex((t.start, t.end) for t in ctx.tokens if t.tag in ("PER", "LOC", "ORG"))
    prev = None
    for w in ctx.words:  # a province, country or region LAC reads as a word where the tagger reads no name,
        # and a place word of LAC's right after a province (广东|某尾, 吉林|某化): the city of that province
        after_province = (prev is not None and prev.end == w.start and prev.text in _PROVINCE_NAMES and w.tag == "LOC"
                          and 2 <= len(w.text) <= 4)
        prev = w
        if (is_known_place(w.text) or after_province) and (w.start, w.end) not in seen and not named.overlaps(w.start, w.end) \
                and not in_seen(w.start) and not is_pair_before(w.text, ctx.text[w.end:w.end + 5]):
            see(w.start, w.end)
            yield Mention(ctx.id, w.start, w.end, w.text, Label.PLACE, place_name(w.text), extractor="place")
    for s, e, text in _admin_places(ctx.tokens):
        if (s, e) not in seen and not in_seen(s):
            see(s, e)
            yield Mention(ctx.id, s, e, text, Label.PLACE, place_name(text), subtype="part", extractor="place")
    for s, e in ctx.block_spans(*TEXT_BLOCKS, "note", "attribution"):
        text = ctx.text[s:e]
        for m in _LEXICON.finditer(text):
            span = (s + m.start(), s + m.end())
            if span in seen or in_seen(span[0]) or people.holds(span[0]):
                continue
            if any(o == 0 for o, _ in places_in(text[m.start():m.start() + 24])):  # 山东 of 山东省委: a place inside a body's name
                see(*span)
                yield Mention(ctx.id, *span, m.group(0), Label.PLACE, place_name(m.group(0)), subtype="part", extractor="place")
