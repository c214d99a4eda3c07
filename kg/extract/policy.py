"""Policies: laws and regulations, documents and treaties, plans, strategies, systems and formulations.

What is read, by rule (the words are in :mod:`kg.lexicon.policies`):

- 《…》 titles whose head is a document word (意见, 决定, 方案, 条例, 法, 公约 …), with a
  nested 〈…〉 title as its own policy; a draft note （草案） is an other name, a year
  range （2024—2027年） part of the name;
- abbreviations the article declares (（以下简称《指导意见》）, （简称“…”）): aliases of the
  document they follow; a bare 《意见》 is the one document of that head the article
  named, or nothing;
- quoted formulations: numbered ones (“三个坚持”), a five-year plan (“十X五”规划), a
  quoted name with a policy head (“…”战略, “…”改革);
- noun compounds in running text ending with a policy suffix (法, 条例, 战略, 倡议, 制, 工程,
  理念, 总基调, 共同体, a named reform …), without the verb that governs them;
- 关于…的决定 / 意见 / 解释 named without 《》;
- who issued a document: "A、B印发《…》", "A《…》", and the legislature whose session
  "表决通过了" a law.
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from kg.extract.context import TEXT_BLOCKS, ArticleContext
from kg.extract.registry import register
from kg.lexicon.policies import (
    DRAFT_NOTE, GOVERNING, NOT_POLICY, QUALIFIERS, REFORM_HEADS, SHORT_LAWS, STATE_PREFIX,
    SUFFIX_KIND, YEAR_RANGE, five_year_plan, generic_document, head_kind, numbered,
)
from kg.lexicon.places import COUNTRY_SHORT
from kg.model import Label, Mention, Ref, Relation

#: Suffixes that make a policy of an unquoted noun compound (the others need 《》 or quotes).
_OPEN_SUFFIXES = ("法典", "法", "条例", "战略", "倡议", "制", "工程", "思想", "理念", "工作总基调", "共同体", "发展格局", "改革", "宪章",
                  "议程", "行动", "原则", "经济走廊", "自由贸易协定", "自贸协定")
#: Minimum length of an unquoted compound with this suffix.
_MIN_LEN = {
    "法": 3, "法典": 3, "条例": 4, "战略": 5, "倡议": 5, "制": 4, "工程": 5, "思想": 6, "理念": 5,
    "工作总基调": 7, "共同体": 5, "发展格局": 5, "改革": 6, "宪章": 4, "议程": 6, "行动": 6, "原则": 6,
    "经济走廊": 6, "自由贸易协定": 8, "自贸协定": 6,
}
#: Words after a law's or a charter's name that speak of it (某某宪章|宗旨): its name ends there all the same.
_OF_THE_NAME = frozenset({"宗旨", "精神", "原则", "规定", "条款", "框架", "要求"})
#: Two sides before a name that LAC cut off it (中|某命运共同体, 中国—某组织|…): the name holds them.
_PAIR_BEFORE = re.compile(r"(?:中国?[—－–-]|中)$")
_COMPOUND_TAGS = {"n", "nz", "vn", "nw", "an", "LOC", "PER", "ORG", "TIME", "a", "b", "m"}
#: Tags of words a name may hold inside, between nouns (可持续|发展 in a programme's name).
_INNER_TAGS = {"v", "vd", "ad"}
_QUOTED = re.compile(
    r"[“‘]([^“”‘’]{2,16})[”’]((?:[\u4e00-\u9fff]{2})?(?:战略布局|总体布局|制度|工程|战略|倡议|计划|行动|改革|规划(?:建议|纲要)?|理念|制))?"
)
_BOOK = re.compile(r"《([^《》]{2,80})》")
#: A draft glued to the name of its law by LAC (某某法|草案): the law.
_DRAFTS = ("修订草案", "修正草案", "草案")
#: Words that continue a policy's name without naming another policy (某某共同体建设): one node, the longer an other name.
_CONTINUED = ("建设",)
#: Words that make a name a kind of policy, not one (各国发展战略).
_DETERMINERS = ("各国", "各方", "各地", "两国", "双方", "本国", "该国", "各自")
#: A community of China and one country by their short forms (中某命运共同体), however LAC cut the pair.
_BILATERAL = re.compile(r"中([\u4e00-\u9fff])命运共同体")
#: A campaign of study named by what it has its members study (深入贯彻某某精神学习教育, 学习贯彻某某思想主题教育): the whole name.
_CAMPAIGN = re.compile(r"(?:深入|认真)?(?:学习贯彻|贯彻落实|贯彻|树立和践行|践行)[^，。；：、“”《》\s]{2,30}?(?:学习教育|主题教育)")
#: Verbs a campaign or programme is the object of (实施|某某行动, 开展|某某工程).
_CARRIED_OUT = frozenset({"实施", "开展", "启动", "推进", "部署", "推行", "落实", "深化", "组织实施", "组织开展", "深入实施", "深入开展"})
#: Words that continue a quoted policy name without making another policy: “某某”倡议 is “某某”.
_CONTINUATIONS = ("倡议",)
#: A numbered formulation named as a principle or a policy without quotes: 一个某某原则, 两个某某方针.
_NUMBERED_HEAD = re.compile(r"([一两二三四五六七八九十]个[\u4e00-\u9fff]{2,4}?)(原则|政策|方针)")
#: A numbered document of the centre or the State Council (中央一号文件).
_NUMBERED_DOC = re.compile(r"(?:中共中央|中央|国务院)[一二三四五六七八九十]号文件")
#: A law named before its draft or its enforcement check (审议|某某法修订草案, 检查|某某法实施情况): the name runs
#: back to the verb, preposition or mark before it, adjectives and verbs inside included (保守…, 反不正当…, …促进法).
_LAW_VERBS = r"审议|检查|关于|修改|修订|制定|通过|了|对(?!外)|将|把"
_LAW_BEFORE_DRAFT = re.compile(
    rf"({_LAW_VERBS}|、|和|及|与|，|；|：|^)"
    rf"((?:(?!{_LAW_VERBS}|提请|听取|的)[\u4e00-\u9fff]){{2,16}}?法)"
    r"(?=(修订草案|修正草案|草案|修正案|实施情况|执法检查))")
#: A treaty named without 《》 after the verb that makes or approves it (批准|某国和某国某某条约): named back to that
#: verb or mark; it opens with a party (a country, 中国和某国, an organization) or 国际.
_TREATY_VERBS = r"批准|签署|签订|缔结|加入|审议|关于|了"
_TREATY = re.compile(
    rf"({_TREATY_VERBS}|、|，|；|^)"
    rf"((?:(?!{_TREATY_VERBS}|的|等)[\u4e00-\u9fff—]){{4,30}}?(?:条约|公约|协定|议定书))")
_NESTED = re.compile(r"〈([^〈〉]{2,60})〉")
#: （以下简称《X》） （简称“X”） （下称X）: a short name the article declares for what precedes.
_DECLARED = re.compile(r"^[（(](?:以下|下文)?(?:简称|称|下称)[：:]?(?:《([^《》]{1,20})》|“([^“”]{1,20})”|([\u4e00-\u9fff]{2,12}))[）)]")
_ABOUT = re.compile(r"关于[^，。；：！？《》“”\s]{2,40}的(?:决定|决议|若干意见|指导意见|实施意见|意见|解释)")
_TIME_WORD = r"(?:近日|日前|今天|今日|昨天|昨日|正式|联合|共同|再次)*"
_ISSUED = re.compile(rf"^[、和及与\s]*{_TIME_WORD}(印发|颁布|发布|出台|制定|公布|修订|通过)?(了)?(新修订的|新版)?$")
_LEGISLATURE = ("人大常委会", "人民代表大会常务委员会", "人民代表大会", "人大")
_PASSED = re.compile(r"(?:表决|审议)?通过了?(?:新修订的|修订后的)?$")
_IN_ORG_NAME = re.compile(r"[和与及][\u4e00-\u9fff]{1,8}?(?:委员会|研究会|学会|中心|研究所|研究院|办公室|室|司|局|庭)")
#: A body or meeting that names a decision it made: 某某委员会第二次会议|关于…的决议.
_DECIDER = re.compile(r"(?:通过|审议|批准|听取|表决)*([^，。；：、“”《》（）\s了]{2,40}(?:会议|全会|常委会|委员会|常务委员会|人民政府|国务院|中央))$")
#: Heads of the state's own regulations, named with or without 中华人民共和国.
_STATE_REGULATIONS = ("条例", "办法", "规定", "细则")
_LIST_GAP = re.compile(r"^(?:[、和及]|以及)(?:新修订的|修订后的)?$")


class _Found(NamedTuple):
    start: int
    end: int
    name: str
    kind: str
    alts: tuple[str, ...] = ()


def kind_of(name: str) -> str:
    """Policy class of a name by its suffix ("" when none fits).

    Examples
    --------
    >>> kind_of("劳动合同法"), kind_of("全球发展倡议"), kind_of("现代学徒制"), kind_of("某某发展理念")
    ('Law', 'Strategy', 'System', 'Formulation')
    """
    return head_kind(name, SUFFIX_KIND)


def canonical_policy(name: str) -> tuple[str, tuple[str, ...]]:
    """Canonical name of a policy and its other names.

    A law is named without 中华人民共和国 (that is its other name); a treaty of the state
    with another keeps it; a draft note is dropped (the full title is an other name); a
    year range stays; a convention 关于…的X公约 is also called X公约.

    Examples
    --------
    >>> canonical_policy("中华人民共和国劳动法")
    ('劳动法', ('中华人民共和国劳动法',))
    >>> canonical_policy("工会法")
    ('工会法', ('中华人民共和国工会法',))
    >>> canonical_policy("中华人民共和国和某国引渡条约")
    ('中华人民共和国和某国引渡条约', ())
    >>> canonical_policy("某某促进法（草案）")
    ('某某促进法', ('中华人民共和国某某促进法', '某某促进法（草案）'))
    >>> canonical_policy("某某行动方案（2030—2032年）")
    ('某某行动方案（2030—2032年）', ('某某行动方案',))
    """
    name = re.sub(r"[“”‘’\"《》\s]", "", name)
    alts: list[str] = []
    bare = DRAFT_NOTE.sub("", name)
    if bare != name and len(bare) >= 2:
        alts.append(name)
        name = bare
    if YEAR_RANGE.search(name):
        alts.append(YEAR_RANGE.sub("", name))
    law = kind_of(name) == "Law" or head_kind(name) == "Law"
    if law or name.endswith(_STATE_REGULATIONS):
        rest = name[len(STATE_PREFIX):] if name.startswith(STATE_PREFIX) else ""
        if len(rest) >= 2 and not rest.startswith(("和", "与", "同", "政府")):
            alts.insert(0, name)
            name = rest
        elif not rest and law and not name.startswith(("中国", "国际")):
            alts.insert(0, STATE_PREFIX + name)
    about = re.fullmatch(r"关于.+的([^的]{2,20}(?:公约|条约|协定|议定书))", name)
    if about:
        alts.append(about.group(1))
    return name, tuple(dict.fromkeys(a for a in alts if a != name))


#: The suffixes that end an unquoted name, longest first, as one pattern anchored at the end.
_SUFFIX_AT_END = re.compile("(?:" + "|".join(map(re.escape, sorted(_OPEN_SUFFIXES, key=len, reverse=True))) + ")$")
_LONGEST_SUFFIX = max(map(len, _OPEN_SUFFIXES))


def _suffix(ctx: ArticleContext, end: int) -> str:
    """The longest suffix of the list that ends at ``end`` (the leftmost match is the longest)."""
    m = _SUFFIX_AT_END.search(ctx.text, max(0, end - _LONGEST_SUFFIX), end)
    return m.group(0) if m else ""


def _named_reform(text: str) -> bool:
    return text.endswith(REFORM_HEADS)


def _verb_starts_name(ctx: ArticleContext, toks, j: int, end: int, suffix: str) -> bool:
    """Whether the verb before ``toks[j]`` is the first word of the policy name that ends at ``end``.

    It is when what follows it is no name by itself (强国战略, 发展战略) and it follows a verb,
    a preposition or a list mark; or when it follows a preposition (依照|预防某某法) or
    follows a verb that governs the name (遵守|预防某某法) or governs a verbal noun (创新|驱动发展战略).
    """
    if j == 0 or j >= len(toks):
        return False
    v = toks[j - 1]
    if v.tag != "v" or len(v.text) != 2 or v.end != toks[j].start or v.text in GOVERNING:
        return False
    rest = ctx.text[toks[j].start:end]
    before = toks[j - 2] if j > 1 else None
    if rest not in SHORT_LAWS and (len(rest) < _MIN_LEN[suffix] or NOT_POLICY.search(rest)):
        return before is None or before.tag in ("v", "p", "w", "c")
    return before is not None and (
        before.tag in ("p", "c") or before.text in GOVERNING or (toks[j].tag == "vn" and before.tag != "v")
    )


def _person_at(ctx: ArticleContext, start: int, end: int) -> bool:
    """Whether a person's name (LAC's or the tagger's) starts at ``start`` and ends before ``end``."""
    return any(w.start == start and w.end < end and w.tag == "PER" for w in (*ctx.words, *ctx.tokens)
               if start <= w.start < end)


def _compounds(ctx: ArticleContext, start: int, end: int) -> Iterator[tuple[int, int, str, tuple[str, ...]]]:
    """Noun compounds of the tokens in [start, end) that end with an open policy suffix."""
    toks = ctx.tokens_in(start, end)
    for i, t in enumerate(toks):
        if t.text in SHORT_LAWS and not _suffix(ctx, t.end):
            yield t.start, t.end, "Regulation", ()  # 党章: a document by its short name
            continue
        end_at, alts = t.end, ()
        suffix = _suffix(ctx, t.end)
        draft = next((d for d in _DRAFTS if t.text.endswith(d) and len(t.text) > len(d)), "") if not suffix else ""
        if draft and _suffix(ctx, t.end - len(draft)) in ("法", "法典", "条例"):  # 某某法|草案 glued: the law of the draft
            end_at = t.end - len(draft)
            suffix, alts = _suffix(ctx, end_at), (draft,)
        nxt = toks[i + 1] if i + 1 < len(toks) and toks[i + 1].start == t.end else None
        if nxt is not None and nxt.text in _CONTINUED and suffix:
            alts = (nxt.text,)  # 某某命运共同体|建设: the name goes on by its usual continuation, one policy
        elif nxt is not None and nxt.text in _DRAFTS and suffix in ("法", "法典", "条例"):
            alts = (nxt.text,)  # 某某法|草案: the law of the draft
        elif not suffix or (nxt is not None and nxt.tag in ("n", "vn", "nz")
                            and not (nxt.text in _OF_THE_NAME and suffix in ("法", "法典", "条例", "宪章"))):
            continue  # the noun phrase goes on (国家战略|人才力量): the suffix does not end a name
        if suffix == "制" and re.match(r"[\u4e00-\u9fff]", ctx.text[t.end:t.end + 1]) and ctx.text[t.end] not in "的和与及等或第":
            continue  # 制|氢: a one-character suffix glued to what follows is a verb
        k = i  # the token where the suffix starts
        while k > 0 and toks[k].start > end_at - len(suffix):
            k -= 1
        if toks[k].start < start:
            continue
        j = k
        if _IN_ORG_NAME.match(ctx.text, end_at):
            continue  # 某某法和法律委员会: the law names a committee
        while (
            j > 0 and k - j < 6 and toks[j - 1].end == toks[j].start and toks[j - 1].text not in ("等", "各", "全")
            and (toks[j - 1].tag in _COMPOUND_TAGS or (toks[j - 1].tag in _INNER_TAGS and toks[j - 1].text not in GOVERNING
                                                       and suffix not in ("法", "法典", "条例")
                                                       and j > 1 and toks[j - 2].tag in _COMPOUND_TAGS | _INNER_TAGS))
        ):
            j -= 1  # a verb or adverb inside a name (可持续|发展|议程, 和平共|处) when a noun stands before it
        while j < k and toks[j].tag in _INNER_TAGS and toks[j].text not in GOVERNING:
            j += 1  # but never at its head
        while j < k and toks[j].text in GOVERNING:
            j += 1  # 审议|某某法: the verbal noun in front governs the name
        if suffix != "思想" and _verb_starts_name(ctx, toks, j, end_at, suffix):
            j -= 1  # 推进|制造强国战略, 依照|预防某某法: the first word of the name read as a verb
        if (
            suffix in ("法", "条例") and j > 1 and toks[j - 1].tag == "v" and toks[j - 1].text not in GOVERNING
            and toks[j - 2].tag == "LOC" and toks[j - 2].end == toks[j - 1].start and toks[j - 1].end == toks[j].start
        ):
            j -= 2  # 某特别行政区|维护|某某法: a region's law is named whole
        while j < k and toks[j].text == "国" and ctx.text[toks[j].start - 1:toks[j].start] in "我本该全":
            j += 1  # 我|国|现行民法典
        s = toks[j].start
        pair = _PAIR_BEFORE.search(ctx.text, max(0, s - 3), s)
        if pair and (len(toks[j].text) == 1 and toks[j].text in COUNTRY_SHORT or pair.group(0) != "中" and toks[j].tag == "LOC"):
            s = pair.start()  # 中|柬|命运共同体, 中国—|某地区|命运共同体: the two sides are the name's
        text = ctx.text[s:end_at]
        if suffix == "思想" and "主义" not in text and not _person_at(ctx, toks[j].start, end_at):
            continue  # keep 主义思想 compounds and a person's thought (某某外交思想) only: 思想 alone is a common word
        if suffix == "共同体" and ctx.text[s - 1:s] in ("与", "和", "同"):
            continue  # 甲与乙命运共同体: a bond of two parties, not a named community
        if suffix == "改革" and not _named_reform(text):
            continue  # a reform is named when it reforms a system or a structure
        if suffix == "原则" and not re.search(r"[一两二三四五六七八九十][项个条]原则$", text):
            continue  # a principle is named by its number (某某五项原则), not any principle
        if suffix in ("行动", "工程") and not (j > 0 and toks[j - 1].text in _CARRIED_OUT and toks[j - 1].end == toks[j].start):
            continue  # a campaign or programme is named as what is carried out (实施|某某工程), not any action or project
        while (
            j < k and toks[j].tag in ("a", "m", "TIME", "ad") and suffix != "思想" and toks[j].text not in ("基本",)
            and len(ctx.text[toks[j + 1].start:end_at]) >= _MIN_LEN[suffix]
        ):
            j += 1
            s = toks[j].start
            text = ctx.text[s:end_at]
        for q in QUALIFIERS:
            if text.startswith(q) and len(text) - len(q) >= 2 and kind_of(text) == "Law":
                s, text = s + len(q), text[len(q):]
                break
        if text.startswith(_DETERMINERS):
            continue  # 各国发展战略: a determiner makes a kind of policy, not one
        if text in SHORT_LAWS or (len(text) >= _MIN_LEN[suffix] and not NOT_POLICY.search(text)):
            yield s, end_at, kind_of(text) or "Strategy", tuple(text + a for a in alts)


def _quoted(ctx: ArticleContext, bs: int, text: str) -> Iterator[_Found]:
    for m in _QUOTED.finditer(text):
        inner, noun = m.group(1), m.group(2)
        if five_year_plan(inner):
            if noun == "规划纲要":  # the plan's outline is the plan: one node
                s, e = bs + m.start(), bs + m.end()
                yield _Found(s, e, f"“{inner}”规划", "Programme", (ctx.text[s:e], inner))
            elif noun and noun.startswith("规划"):
                s, e = bs + m.start(), bs + m.end()
                yield _Found(s, e, ctx.text[s:e], "Programme")
            else:
                s, e = bs + m.start(1), bs + m.end(1)
                yield _Found(s, e, f"“{inner}”规划", "Programme", (inner,))
        elif noun in _CONTINUATIONS:  # “某某”倡议: the initiative is the quoted name, one node with both
            s, e = bs + m.start(), bs + m.end()
            yield _Found(s, e, inner, kind_of(noun) or "Strategy", (ctx.text[s:e],))
        elif noun and not (noun.endswith("改革") and not numbered(inner) and len(inner) > 4):
            s, e = bs + m.start(), bs + m.end()
            yield _Found(s, e, ctx.text[s:e], kind_of(noun) or "Strategy")
        elif numbered(inner):
            yield _Found(bs + m.start(1), bs + m.end(1), inner, "Formulation")
        elif kind_of(inner) in ("Law", "Regulation", "Programme", "System", "Strategy", "Formulation") and not generic_document(inner):
            s, e = bs + m.start(1), bs + m.end(1)
            if not NOT_POLICY.search(inner) and len(inner) >= 4:
                yield _Found(s, e, inner, kind_of(inner))


def _books(ctx: ArticleContext, bs: int, text: str) -> Iterator[tuple[_Found, str]]:
    """《…》 documents (and what follows each, for a declared short name)."""
    for m in _BOOK.finditer(text):
        inner = m.group(1)
        kind = head_kind(inner)
        if not kind:
            continue
        s, e = bs + m.start(1), bs + m.end(1)
        yield _Found(s, e, inner, kind), text[m.end():m.end() + 30]
        for n in _NESTED.finditer(inner):
            if head_kind(n.group(1)):
                yield _Found(s + n.start(1), s + n.end(1), n.group(1), head_kind(n.group(1))), ""


def _about(ctx: ArticleContext, bs: int, text: str) -> Iterator[_Found]:
    """关于…的决定 named without 《》 (the issuing body in front is part of the name when it is there)."""
    for m in _ABOUT.finditer(text):
        s, e = bs + m.start(), bs + m.end()
        name = m.group()
        alts: tuple[str, ...] = ()
        body = next((o.start for o in ctx.org_spans if o.end == s), None)
        if body is None:
            d = _DECIDER.search(ctx.text, max(bs, s - 48), s)
            body = d.start(1) if d else None
        if body is not None:
            alts, name, s = (name,), ctx.text[body:e], body
        yield _Found(s, e, name, head_kind(name) or "Regulation", alts)


def _legislature(ctx: ArticleContext, before: int) -> str:
    """The legislature whose session the article reports, the closest before ``before``."""
    best = ""
    for o in ctx.org_spans:
        if o.end <= before and any(n.endswith(_LEGISLATURE) for n in (o.name, *o.alts, ctx.text[o.start:o.end])):
            best = o.name
    return best


@register("policy", needs=("org_spans", "sentences", "tokens"), makes=(Mention, Relation))
def policies(ctx: ArticleContext) -> Iterator[Mention | Relation]:
    """Policy mentions and who issued them (see the module's docstring for what is read)."""
    found: list[_Found] = []
    declared: dict[str, str] = {}  # short name -> canonical name of the document it stands for
    generic: list[tuple[int, int, str]] = []  # bare 《意见》 and declared short names, resolved below

    def free(s: int, e: int) -> bool:
        return not any(f.start < e and s < f.end for f in found)

    for bs, be in ctx.block_spans(*TEXT_BLOCKS):
        text = ctx.text[bs:be]
        for f, after in _books(ctx, bs, text):
            short = _DECLARED.match(after)
            if short:
                declared[next(g for g in short.groups() if g)] = canonical_policy(f.name)[0]
            if generic_document(f.name) or f.name in declared:
                generic.append((f.start, f.end, f.name))
            else:
                found.append(f)
        for f in _quoted(ctx, bs, text):
            if f.name in declared or generic_document(f.name):
                generic.append((f.start, f.end, f.name))
            elif free(f.start, f.end):
                found.append(f)
        for f in _about(ctx, bs, text):
            if free(f.start, f.end):
                found.append(f)
        for m in _NUMBERED_HEAD.finditer(text):
            s, e = bs + m.start(), bs + m.end()
            if numbered(m.group(1)) and free(s, e):
                found.append(_Found(s, e, m.group(0), "Formulation"))
        for m in _NUMBERED_DOC.finditer(text):
            s, e = bs + m.start(), bs + m.end()
            if free(s, e):
                found.append(_Found(s, e, m.group(0), "Regulation"))
        for m in _LAW_BEFORE_DRAFT.finditer(text):
            s, e = bs + m.start(2), bs + m.end(2)
            if free(s, e) and not NOT_POLICY.search(m.group(2)):
                alts = (m.group(2) + m.group(3),) if "草案" in m.group(3) or m.group(3) == "修正案" else ()
                found.append(_Found(s, e, m.group(2), "Law", alts))
        for m in _TREATY.finditer(text):
            s, e = bs + m.start(2), bs + m.end(2)
            party = any(t.start == s and t.tag in ("LOC", "ORG") for t in ctx.tokens_in(s, e)) or m.group(2).startswith("国际")
            inside = any(f.start <= s and e <= f.end and "关于" in f.name for f in found)  # 关于批准某条约的决定
            if party and (free(s, e) or inside) and not m.group(2).startswith(_DETERMINERS):
                found.append(_Found(s, e, m.group(2), head_kind(m.group(2)) or "Regulation"))
        for m in _BILATERAL.finditer(text):
            s, e = bs + m.start(), bs + m.end()
            if m.group(1) in COUNTRY_SHORT and free(s, e):
                found.append(_Found(s, e, m.group(0), "Formulation"))
        for m in _CAMPAIGN.finditer(text):
            s, e = bs + m.start(), bs + m.end()
            if free(s, e):
                found.append(_Found(s, e, m.group(0), "Programme"))
        for s, e, kind, alts in _compounds(ctx, bs, be):
            if free(s, e) or any(f.start <= s and e <= f.end and "关于" in f.name for f in found):
                found.append(_Found(s, e, ctx.text[s:e], kind, alts))
    # a quoted name alone (共建“某某”) that a continued mention of the article named (“某某”倡议)
    continued = {f.name for f in found if any(a.startswith("“") and a.endswith(_CONTINUATIONS) for a in f.alts)}
    for bs, be in ctx.block_spans(*TEXT_BLOCKS):
        for m in re.finditer(r"“([^“”]{2,16})”", ctx.text[bs:be]):
            s, e = bs + m.start(1), bs + m.end(1)
            if m.group(1) in continued and free(s, e):
                found.append(_Found(s, e, m.group(1), next(f.kind for f in found if f.name == m.group(1))))
    # a bare 《意见》: the declared document, or the one document of that head the article named
    for s, e, short in generic:
        name = declared.get(short)
        if name is None:
            head = generic_document(short) or short
            named = {canonical_policy(f.name)[0] for f in found if ctx.text[f.start - 1:f.start] == "《" and head_kind(f.name) and
                     YEAR_RANGE.sub("", DRAFT_NOTE.sub("", f.name)).endswith(short if len(short) > len(head) else head)}
            if len(named) != 1:
                continue
            name = named.pop()
        kind = next((f.kind for f in found if canonical_policy(f.name)[0] == name), head_kind(short) or "Regulation")
        found.append(_Found(s, e, name, kind, (short,)))
    chain = -1  # end of the last law a session passed, for a list of laws passed
    for f in sorted(found):
        name, alts = canonical_policy(f.name)
        alts += f.alts
        yield Mention(ctx.id, f.start, f.end, ctx.text[f.start:f.end], Label.POLICY, name, subtype=f.kind or "Policy",
                      extractor="policy", alts=tuple(dict.fromkeys(a for a in alts if a != name)))
        ss, se = ctx.sentence_of(f.start)
        issued = []
        if ctx.text[f.start - 1:f.start] == "《":
            issued = issuers(ctx, f.start - 1, ctx.org_spans)
        lawlike = f.kind == "Law" or (f.name.startswith("关于") and "法" in f.name)
        if not issued and lawlike:
            lead = ctx.text[ss:f.start].rstrip("《")
            if (_PASSED.search(lead) and ("会议" in lead or "表决" in lead)) or (chain > 0 and _LIST_GAP.match(ctx.text[chain:f.start])):
                org = _legislature(ctx, f.start)
                issued = [org] if org else []
                chain = f.end if org else -1
        for org in issued:
            yield Relation("publisher", Ref(Label.POLICY, name), Ref(Label.ORGANIZATION, org), ctx.id, ss, se, "policy")


def issuers(ctx: ArticleContext, at: int, orgs) -> list[str]:
    """Organizations that issue the 《…》 title at ``at``: "A、B印发《…》", "A《…》" (the closest run of names)."""
    out, pos = [], at
    for s, e, name, _ in sorted(orgs, key=lambda o: -o[1]):
        if e > pos:
            continue
        if not _ISSUED.match(ctx.text[e:pos]) if not out else not re.fullmatch(r"[、和及与\s]*", ctx.text[e:pos]):
            if out:
                break
            continue
        out.append(name)
        pos = s
    return out
