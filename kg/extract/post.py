"""Posts held in running text: chains of titles before a name, titles after it, and posts stated in a clause.

- before the name, in chains: "某省委常委、某市委书记张三", "某会党组书记、副主席、书记处第一书记张三";
  a title shared by a list of names: "某会副主席张三、李四、王五";
- after the name: "张三总书记", "张三副委员长" (titles that name their body by themselves);
- in a clause: "任命张三为某部部长" (an appointment), "免去张三的某部部长职务" (a removal),
  "张三任某公司总经理", "张三曾任某部部长、某省省长" (former posts);
- the body a title implies: 国家主席 -> the state (the place 中国), 总理 -> 国务院, 某市委副书记、市长 -> the city;
  foreign posts with their country (某国总统张三).

Each post is a ``member`` relation; a former post is ``member:former``, an appointment
``member:appointed``, a removal ``member:removed`` (the graph dates each by its article).
"""

from __future__ import annotations

import bisect
import re
from typing import Iterator, NamedTuple

from kg.extract.context import ArticleContext
from kg.extract.place import place_name
from kg.extract.registry import register
from kg.lexicon import state, table
from kg.lexicon.orgs import COUNTRY_NAMES, canonical_org, is_org_name, national_body
from kg.lexicon.names import is_transliteration, looks_like_name
from kg.lexicon.posts import FOREIGN_TITLES, ROLE, government_of, implied_body
from kg.model import Label, Ref, Relation

#: Characters that end a clause: a chain of titles never runs over them.
_STOP = set("，。；：！？\n“”‘’（）()《》「」,;: \u3000\t")
#: Longest clause read before a name.
_REACH = 80
#: A local party committee, people's congress, CPPCC or government named by its place (no function word in the place).
_LOCAL = re.compile(
    r"(?:中共)?(?:(?![了的在和与对由是向为把被将从听取议等])[\u4e00-\u9fff]){1,6}?(?:省|市|自治区|自治州|县|区|州|盟)"
    r"(?:人大常委会|人民代表大会常务委员会|政协|委员会|人民政府|政府|总工会|纪委监委|纪委|监委|委)"
)
#: Countries a post may be of, by every name they go by (``data/places.tsv``), longest first.
_COUNTRIES = tuple(sorted(set(COUNTRY_NAMES) - {"中国", "中华人民共和国"}, key=len, reverse=True))


class Item(NamedTuple):
    """One post of a chain: where it is, the body it names (label, name; empty when it names none) and the title."""

    start: int
    end: int
    label: str
    org: str
    role: str
    former: bool
    implied: bool = False  # the body is the one the title names by itself (总理 -> 国务院), not one the text names


#: The names of national bodies and the countries, in their lists' order (longest first), as patterns:
#: a match at a position is the first name of the list found there.
_STATE_NAME = re.compile("|".join(map(re.escape, state.NAMES)))
_COUNTRY = re.compile("|".join(map(re.escape, _COUNTRIES)))
_COUNTRY_SET = frozenset(COUNTRY_NAMES) - {"中国", "中华人民共和国"}
#: One-character short forms of countries -> the country (越 -> 越南), for 越共, 古共 …
_SHORT_COUNTRY = {e.name: e.parent for e in table.entries("places.tsv", "abbreviation", "abbreviation-core") if e.parent and e.parent != "中国"}


def _org_at(ctx: ArticleContext, a: int, b: int, loose: bool = False) -> tuple[int, str, str] | None:
    """(end, label, canonical name) of the longest body named at ``a`` (before ``b``), or None."""
    text = ctx.text
    found: list[tuple[int, str, str]] = []
    for _, e, name, _ in ctx.org_spans_at.get(a, ()):
        if e < b:
            found.append((e, Label.ORGANIZATION, name))
    pos = a
    term = state.TERM.match(text, a)
    if term:
        pos = term.end()
        if text.startswith("中央", pos) and not any(text.startswith(n, pos) for n in state.NAMES if n.startswith("中央")):
            found.append((pos + 2, Label.ORGANIZATION, "中共中央"))
    m = _STATE_NAME.match(text, pos)
    if m and m.end() < b:
        found.append((m.end(), Label.ORGANIZATION, state.body(m.group(0)).name))
    elif m:  # the longest name runs past ``b``: a shorter one may not
        for n in state.NAMES:
            if text.startswith(n, pos) and pos + len(n) < b:
                found.append((pos + len(n), Label.ORGANIZATION, state.body(n).name))
                break
    m = _LOCAL.match(text, a, b)
    if m:
        found.append((m.end(), Label.ORGANIZATION, canonical_org(m.group(0), ctx.province)[0]))
    m = _COUNTRY.match(text, a) if _word_start(ctx, a) else None
    if m and m.end() < b:
        found.append((m.end(), Label.PLACE, place_name(m.group(0))))
    elif m:
        for c in _COUNTRIES:
            if text.startswith(c, a) and a + len(c) < b:
                found.append((a + len(c), Label.PLACE, place_name(c)))
                break
    if text[a:a + 1] in _SHORT_COUNTRY and any(ctx.words[k].start == a and ctx.words[k].end == a + 1 for k in _words_at(ctx, a)) \
            and _role_at(ctx, a + 1, b, False):  # 俄总统新闻秘书: a country by its one-character short form
        found.append((a + 1, Label.PLACE, _SHORT_COUNTRY[text[a]]))
    for k in ctx.token_range(a, a + 1):  # a place the tagger reads (某某州州长, 某某特别行政区行政长官)
        t = ctx.tokens[k]
        if t.start == a and t.tag == "LOC" and t.end < b and ROLE.fullmatch(text, t.end, b):
            found.append((t.end, Label.PLACE, place_name(t.text)))
    if not found and loose:
        # a name shaped like an institution (a proper part and a suffix) followed by a title
        for i in range(b - 2, a + 2, -1):
            if is_org_name(text[a:i]) and _role_at(ctx, i, b, False):
                return i, Label.ORGANIZATION, canonical_org(text[a:i], ctx.province)[0]
    if not found:
        return None
    end, label, name = max(found, key=lambda f: f[0])
    if label == Label.ORGANIZATION and text[end - 1:end] == "部" and text[end:b] == "长":
        # 某国外交部长: a fused title (外交部长) of the country, not the title 长 of its ministry
        shorter = [f for f in found if f[0] < end - 2]
        if shorter:
            return max(shorter, key=lambda f: f[0])
    if label == Label.ORGANIZATION and name.endswith(("党组", "党委")) and text[end - 2:end] in ("党组", "党委"):
        shorter = [f for f in found if f[0] <= end - 2]
        if shorter:
            return max(shorter, key=lambda f: f[0])
        body = national_body(text[a:end - 2])
        if body:
            return end - 2, Label.ORGANIZATION, body.name
    return end, label, name


def _words_at(ctx: ArticleContext, i: int) -> range:
    """Indices of LAC's words that may start at ``i``."""
    k = bisect.bisect_left(ctx.word_starts, i)
    return range(k, min(k + 1, len(ctx.words)))


def _word_start(ctx: ArticleContext, i: int) -> bool:
    """Whether a word starts at ``i`` (a country's name is never read from inside a word: 上海地铁 holds no 海地)."""
    starts = ctx.token_starts
    if not ctx.tokens or starts is None:
        return True
    k = bisect.bisect_left(starts, i)
    return k < len(starts) and starts[k] == i or not (k > 0 and ctx.tokens[k - 1].end > i)


def _role_at(ctx: ArticleContext, a: int, b: int, first: bool) -> str:
    """The title ``text[a:b]`` is, or "": a title of the lexicon, one the tagger reads there, or (inside
    a chain) a unit and its title; never a piece that holds a person or runs over a verb (总理某某同某国首相)."""
    piece = ctx.text[a:b]
    if ROLE.fullmatch(piece) or implied_body(piece):
        return piece
    if not piece or re.search(r"[\s的在是和与及了等为对]|会见|会谈|[0-9０-９]+[年月日]", piece) or ctx.person_index.overlaps(a, b):
        return ""
    if any(ctx.tokens[k].tag in ("LOC", "ORG") and ctx.tokens[k].end <= b for k in ctx.token_range(a, b)):
        return ""  # a place or a body with its title (某某州州长) is a body and a title, not a unit's title
    if any(t.start == a and t.end == b for t in ctx.titles_at(a)):
        return piece  # a title the tagger reads (首席运营官, 业务总监)
    if not first and 2 < len(piece) <= 14 and ROLE.search(piece):
        return piece
    return ""


def country_of(label: str, org: str) -> str:
    """The foreign country a post's body is of: the country itself, or the country a body's name starts
    with (某国议会, 某国人民党), or whose short form opens a communist party's short name (越共 -> 越南); else "".

    Examples
    --------
    >>> country_of("Place", "越南"), country_of("Organization", "越共中央"), country_of("Organization", "新西兰议会")
    ('越南', '越南', '新西兰')
    >>> country_of("Organization", "国务院"), country_of("Place", "中国")
    ('', '')
    """
    if label == Label.PLACE:
        return org if org in _COUNTRY_SET else ""
    m = _COUNTRY.match(org)
    if m:
        return place_name(m.group(0))
    if len(org) > 2 and org[1] == "共" and _SHORT_COUNTRY.get(org[0]):
        return _SHORT_COUNTRY[org[0]]
    return ""


#: What joins the titles of a chain: 、 and 兼 (副总理兼外长: two posts; not the 兼 of 兼职, 兼任).
_JOIN = re.compile(r"、|兼(?![职任])")


def parse_chain(ctx: ArticleContext, start: int, end: int, loose: bool = False) -> list[Item] | None:
    """The posts of ``text[start:end]`` when it is entirely a chain of titles (ORG ROLE、ROLE、ORG ROLE …), else None.

    Examples
    --------
    >>> from kg.model import Article, Block
    >>> from kg.extract.context import ArticleContext
    >>> from kg.extract.nlp import ProvenWords
    >>> t = "某某省委常委、某某市委书记、原市长"
    >>> ctx = ArticleContext(Article.build("x", "", (Block("paragraph", t, tuple(range(len(t)))),)), ((0, len(t)),), (), ProvenWords())
    >>> [(i.org, i.role, i.former) for i in parse_chain(ctx, 0, len(t))]
    [('某某省委', '常委', False), ('中共某某市委', '书记', False), ('某某', '市长', True)]
    """
    text = ctx.text
    items: list[Item] = []
    pos = start
    prev_label = prev_org = country = ""
    for piece in _JOIN.split(text[start:end]):
        a, b = pos, pos + len(piece)
        pos = b + 1
        if not piece:
            return None
        former = by_title = False
        if text[a] in "原前" and b - a > 2:
            former, a = True, a + 1
        hit = _org_at(ctx, a, b, loose and not items)
        label = org = ""
        if hit:
            e, label, org = hit
            if text[e] in "原前" and b - e > 2:
                former, e = True, e + 1
            role = _role_at(ctx, e, b, False)
            if not role:
                return None
        else:
            role = _role_at(ctx, a, b, not items)
            if not role:
                return None
        implied = implied_body(text[a:b]) if not hit else None
        if not hit and country and (implied or role in FOREIGN_TITLES):
            label, org = Label.PLACE, country  # 某国某党总书记、国家主席: the head of that state, not of China
        elif implied:
            (label, org, role), by_title = implied, True
        elif not hit:
            gov = government_of(prev_org, role) if prev_org else ""
            if gov:
                label, org = Label.PLACE, place_name(gov)
            elif prev_org:
                label, org = prev_label, prev_org
            else:
                implied = implied_body(role)
                if implied and len(text[a:b]) <= 3:
                    (label, org, role), by_title = implied, True
        items.append(Item(a, b, label, org, role, former, by_title))
        if org and not (label == Label.PLACE and prev_org):
            prev_label, prev_org = label, org
        if hit and not country:
            country = country_of(label, org)
    return items


def chain_before(ctx: ArticleContext, ps: int) -> list[Item]:
    """The longest chain of titles that ends right before the name at ``ps`` (and starts at a body or a title)."""
    text = ctx.text
    lo = ps
    while lo > 0 and ps - lo < _REACH and (text[lo - 1] not in _STOP or ctx.org_index.holds(lo - 1)):
        lo -= 1  # a mark inside a body's name (某国“某某”党) does not end the clause
    for loose in (False, True):
        for k in range(lo, ps - 1):
            if _JOIN.match(text, k) or (loose and k > lo and text[k - 1] not in "、”"):
                continue
            items = parse_chain(ctx, k, ps, loose)
            if items and any(i.org for i in items):
                return items
    return []


#: Verbs that state a post in running text: current, former.
_HOLDS = re.compile(r"(?:同志)?(?:现任|担任|出任|兼任|当选为|当选|任)")
_HELD = re.compile(r"(?:同志)?(?:曾任|历任|曾担任|先后任|先后担任)")


def _clause_end(text: str, i: int, stops: str = "，。；\n") -> int:
    """The first character of ``stops`` from ``i`` on (the end of ``text`` when none; ``i`` past it)."""
    if i >= len(text):
        return i
    found = [j for j in (text.find(c, i) for c in stops) if j >= 0]
    return min(found) if found else len(text)


def _stated(ctx: ArticleContext, people: list[tuple[int, int]]) -> Iterator[tuple[tuple[int, int], list[Item], str]]:
    """Posts stated in a clause: (name span, posts, status)."""
    text = ctx.text
    starts = {s: (s, e) for s, e in people}
    for s, e in people:
        before = text[max(0, s - 2):s]
        if before == "任命" or text[max(0, s - 3):s] == "任命了":
            m = re.match(r"(?:同志)?为", text[e:])
            if m:
                a = e + m.end()
                b = _clause_end(text, a, "，。；、\n")
                items = parse_chain(ctx, a, b)
                if items:
                    yield (s, e), items, "appointed"
        if before == "免去" or text[max(0, s - 3):s] == "免去了":
            m = re.match(r"(?:同志)?(?:兼任)?的?", text[e:])
            a = e + m.end()
            b = text.find("职务", a, a + 40)
            if b > a:
                items = parse_chain(ctx, a, b)
                if items:
                    yield (s, e), items, "removed"
        m = _HELD.match(text, e)
        if m:
            a = m.end()
            b = _clause_end(text, a, "。；\n")
            items: list[Item] = []
            pos = a
            for piece in text[a:b].split("，"):
                got = parse_chain(ctx, pos, pos + len(piece)) if piece else None
                pos += len(piece) + 1
                if not got:
                    break
                items += got
            if items:
                yield (s, e), items, "former"
            continue
        m = _HOLDS.match(text, e)
        if m and m.end() < len(text) and m.end() not in starts:
            a = m.end()
            b = _clause_end(text, a, "，。；\n")
            items = parse_chain(ctx, a, b)
            if items and all(i.org for i in items):
                yield (s, e), items, ""


#: Titles read after a name (张三总书记): those that name their body, and foreign titles.
#: 某某总书记 is left out: theory articles use it as the leader's form of address ("学习贯彻某某总书记重要讲话"),
#: not to state a post; his posts are stated in news by the chain before the name.
_AFTER = tuple(sorted({"委员长", "副委员长", "总理", "副总理", "国务委员", *FOREIGN_TITLES} - {"总书记"}, key=len, reverse=True))
#: Titles a foreign country's leaders hold (with their 副-forms).
_FOREIGN = frozenset({*FOREIGN_TITLES, *(f"副{t}" for t in FOREIGN_TITLES)})


#: A title in a body's party group or committee (党组书记, 党委副书记, 党组成员): the group and the title in it.
_PARTY_GROUP = re.compile(r"^(党组|党委)((?:副)?书记|成员|委员|常委)$")


@register("post", needs=("org_spans", "person_spans", "titles", "sentences", "tokens", "province"), makes=(Relation,))
def posts(ctx: ArticleContext) -> Iterator[Relation]:
    """Membership relations: chains of titles before names (shared by a list of names), titles after
    names, and posts stated in a clause (任命…为…, 免去…职务, 任, 曾任)."""
    text = ctx.text
    people = sorted(ctx.person_spans)
    seen: set[tuple] = set()
    countries: dict[str, str] = {}  # person -> the country of a foreign post read before

    def out(ps: int, pe: int, items: list[Item], status: str = "") -> Iterator[Relation]:
        ss, se = ctx.sentence_of(ps)
        person = ctx.person_name(ps, pe)
        foreign = is_transliteration(person) and not looks_like_name(person)
        for it in items:
            if not it.org or not it.role or (it.implied and foreign):
                continue  # a foreign name's 总理 with no country named is no post of the State Council
            pred = "member:former" if it.former or status == "former" else (f"member:{status}" if status else "member")
            key = (person, it.label, it.org, it.role, pred)
            if key in seen:
                continue
            seen.add(key)
            if it.label == Label.PLACE and it.org in _COUNTRIES:
                countries[person] = it.org
            yield Relation(pred, Ref(Label.PERSON, person), Ref(it.label, it.org), ctx.id, ss, se, "post", role=it.role)
            group_post = _PARTY_GROUP.match(it.role) if it.label == Label.ORGANIZATION else None
            if group_post:  # 某部党组书记: also 书记 of the body 某部党组 (its parent left unsaid: golds rarely state it)
                body = it.org + group_post.group(1)
                if (person, body, group_post.group(2), pred) not in seen:
                    seen.add((person, body, group_post.group(2), pred))
                    yield Relation(pred, Ref(Label.PERSON, person), Ref(Label.ORGANIZATION, body), ctx.id, ss, se, "post",
                                   role=group_post.group(2))

    group: list[Item] = []
    prev_end = -10
    stated_spans = set()
    for span, items, status in _stated(ctx, people):
        stated_spans.add(span)
        yield from out(*span, items, status)
    prev_person = ""
    for ps, pe in people:
        own = chain_before(ctx, ps)
        joined = text[prev_end:ps] in ("、", "和", "与", "及") if prev_end >= 0 else False
        country = countries.get(prev_person, "")
        if not own and country and prev_end >= 0 and text[prev_end:prev_end + 1] in ("、", "和", "与", "及", "同"):
            own = parse_chain(ctx, prev_end + 1, ps) or []  # 某国众议长甲和参议长乙: the bare title alone
            if not all(i.role in _FOREIGN for i in own):
                own = []
        if own and country and prev_end >= 0 and text[prev_end:own[0].start] in ("、", "和", "与", "及", "同"):
            # 某国总统甲、总理乙: a bare title after a foreign leader in a list is a post of the same country
            own = [Item(i.start, i.end, Label.PLACE, country, i.role, i.former) if (i.implied or not i.org) and i.role in _FOREIGN
                   else i for i in own]
        prev_person = ctx.person_name(ps, pe)
        if own:
            group = own
            if (ps, pe) not in stated_spans:
                yield from out(ps, pe, own)
        elif joined and group and text[prev_end:ps] == "、":
            yield from out(ps, pe, group)
        else:
            group = []
        prev_end = pe
        # a title after the name
        for t in _AFTER:
            if text.startswith(t, pe) and not ROLE.match(text[pe + len(t):pe + len(t) + 2] or "x"):
                person = ctx.person_name(ps, pe)
                if person in countries and t in FOREIGN_TITLES:
                    yield from out(ps, pe, [Item(pe, pe + len(t), Label.PLACE, countries[person], t, False)])
                elif implied_body(t) and person not in countries:
                    label, org, role = implied_body(t)
                    yield from out(ps, pe, [Item(pe, pe + len(t), label, org, role, False, True)])
                break
