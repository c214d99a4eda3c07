"""Policies: laws and regulations, strategies, systems, programmes and quoted formulations."""

from __future__ import annotations

import re
from typing import Iterator

from kg.model import Label, Mention, Ref, Relation
from kg.extract.context import TEXT_BLOCKS, ArticleContext
from kg.extract.registry import register

#: suffix -> policy class (``nkg:`` term), longest first when matched.
SUFFIX_KIND = {
    "法典": "Law", "法": "Law", "条例": "Regulation", "办法": "Regulation", "规定": "Regulation",
    "细则": "Regulation", "纲要": "Regulation", "规划": "Regulation", "意见": "Regulation", "通知": "Regulation",
    "决定": "Regulation", "方案": "Regulation", "准则": "Regulation", "章程": "Regulation",
    "战略布局": "Strategy", "总体布局": "Strategy", "战略": "Strategy", "倡议": "Strategy",
    "制度": "System", "制": "System", "工程": "Programme", "计划": "Programme", "行动": "Programme",
    "思想": "Formulation",
}
#: Suffixes that make a policy of an unquoted noun compound (the others need 《》 or quotes).
_OPEN_SUFFIXES = ("法典", "法", "条例", "战略", "倡议", "制", "工程", "思想")
#: Minimum length of an unquoted compound with this suffix.
_MIN_LEN = {"法": 3, "法典": 4, "条例": 4, "战略": 5, "倡议": 5, "制": 4, "工程": 5, "思想": 6}
#: Two-character laws (general knowledge).
_SHORT_LAWS = {"宪法", "民法", "刑法"}
#: Words ending like a policy that are not one.
_NOT_POLICY = re.compile(
    r"(方法|办法|做法|看法|想法|说法|立法|执法|司法|依法|违法|合法|守法|普法|用法|手法|写法|疗法|算法|语法|书法|操作法|工作法|"
    r"机制|体制|控制|限制|编制|研制|抵制|节制|克制|强制|复制|定制|压制|牵制|遏制|管制|专制|税制|学制|建制|法制|"
    r"系统工程|民心工程|形象工程|面子工程|过程|课程|流程|进程|章程|全程|"
    r"解放思想|指导思想|统一思想)$"
)
#: Verbs that govern a policy name rather than start it (制定|劳动法典).
_GOVERNING = set(
    "制定 修改 修订 实施 颁布 出台 推进 实行 落实 贯彻 执行 完善 健全 建立 推动 参与 深化 加强 坚持 遵守 学习 宣传 依据 "
    "根据 研究 起草 审议 通过 提出 发布 印发 采用 推行 推广 探索 启动 开展 对照".split()
)
_COMPOUND_TAGS = {"n", "nz", "vn", "nw", "an", "LOC", "PER", "ORG", "TIME", "a", "b", "m"}
_QUOTED = re.compile(r"“([^“”]{2,16})”((?:[\u4e00-\u9fff]{2})?(?:战略布局|总体布局|制度|工程|战略|倡议|计划|行动|制))?")
_BOOK = re.compile(r"《([^《》]{2,40})》")
_ISSUED = re.compile(r"^[、和及与\s]*(联合)?(印发|颁布|发布|出台|制定|公布|修订|通过)(了)?(新修订的|新版)?$")
_NUMBERED = re.compile(r"^[一二两三四五六七八九十百]+个[\u4e00-\u9fff]{2,6}$|^[一二三四五六七八九十]位一体$")


def kind_of(name: str) -> str:
    """Policy class of a name by its suffix ("" when none fits).

    Examples
    --------
    >>> kind_of("劳动合同法"), kind_of("全球发展倡议"), kind_of("现代学徒制")
    ('Law', 'Strategy', 'System')
    """
    for suffix in sorted(SUFFIX_KIND, key=len, reverse=True):
        if name.endswith(suffix):
            return SUFFIX_KIND[suffix]
    return ""


def canonical_policy(name: str) -> tuple[str, tuple[str, ...]]:
    """Canonical name of a policy and its other names (laws lose 中华人民共和国).

    Examples
    --------
    >>> canonical_policy("中华人民共和国劳动法")
    ('劳动法', ('中华人民共和国劳动法',))
    >>> canonical_policy("工会法")
    ('工会法', ('中华人民共和国工会法',))
    """
    name = re.sub(r"[“”\"《》\s]", "", name)
    if name.startswith("中华人民共和国") and len(name) > 8:
        return name[7:], (name,)
    if kind_of(name) == "Law" and not name.startswith(("中国", "国际")):
        return name, ("中华人民共和国" + name,)
    return name, ()


def _suffix(word: str) -> str:
    for s in sorted(_OPEN_SUFFIXES, key=len, reverse=True):
        if word.endswith(s):
            return s
    return ""


def _compounds(ctx: ArticleContext, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """Noun compounds of the tokens in [start, end) that end with an open policy suffix."""
    toks = ctx.tokens_in(start, end)
    for i, t in enumerate(toks):
        suffix = _suffix(t.text)
        if not suffix or (i + 1 < len(toks) and toks[i + 1].start == t.end and toks[i + 1].tag in ("n", "vn", "nz")):
            continue  # the noun phrase goes on (国家战略|人才力量): the suffix does not end a name
        j = i
        while j > 0 and i - j < 6 and toks[j - 1].tag in _COMPOUND_TAGS and toks[j - 1].end == toks[j].start and toks[j - 1].text not in ("等", "各", "全"):
            j -= 1
        if (
            j > 1 and j < i and toks[j - 1].tag == "v" and len(toks[j - 1].text) == 2
            and toks[j - 2].tag in ("v", "p") and toks[j - 1].text not in _GOVERNING
        ):
            j -= 1  # 推进|制造强国战略: the first word of the compound read as a verb
        s = toks[j].start
        # keep 主义思想 compounds only: 思想 alone is a common word
        text = ctx.text[s:t.end]
        if suffix == "思想" and "主义" not in text:
            continue
        while len(text) > 1 and toks[j].tag in ("a", "m", "TIME") and j < i and suffix != "思想" and toks[j].text not in ("基本",):
            j += 1
            s = toks[j].start
            text = ctx.text[s:t.end]
        if text in _SHORT_LAWS or (len(text) >= _MIN_LEN[suffix] and not _NOT_POLICY.search(text)):
            yield s, t.end, kind_of(text)


@register("policy", needs=("org_spans",), makes=(Mention, Relation))
def policies(ctx: ArticleContext) -> Iterator[Mention]:
    """Policy mentions: 《…》 titles, quoted formulations, and noun compounds ending in 法/条例/战略/制/工程 …"""
    found: list[tuple[int, int, str, str]] = []  # start, end, anchor text, kind

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b, _, _ in found)

    for bs, be in ctx.block_spans(*TEXT_BLOCKS):
        text = ctx.text[bs:be]
        for m in _BOOK.finditer(text):
            kind = kind_of(m.group(1))
            if kind and kind != "Formulation":
                found.append((bs + m.start(1), bs + m.end(1), m.group(1), kind))
        for m in _QUOTED.finditer(text):
            inner, noun = m.group(1), m.group(2)
            if noun:
                s, e = bs + m.start(), bs + m.end()
                found.append((s, e, ctx.text[s:e], kind_of(noun)))
            elif _NUMBERED.match(inner) or kind_of(inner) in ("Law", "Regulation", "Programme", "System", "Strategy"):
                found.append((bs + m.start(1), bs + m.end(1), inner, kind_of(inner) if not _NUMBERED.match(inner) else "Formulation"))
        for s, e, kind in _compounds(ctx, bs, be):
            if free(s, e):
                found.append((s, e, ctx.text[s:e], kind))
    for s, e, anchor, kind in sorted(found):
        name, alts = canonical_policy(anchor)
        yield Mention(ctx.id, s, e, ctx.text[s:e], Label.POLICY, name, subtype=kind or "Policy", extractor="policy", alts=alts)
        if ctx.text[s - 1:s] == "《":
            for org in issuers(ctx, s - 1, ctx.org_spans):
                ss, se = ctx.sentence_of(s)
                yield Relation("publisher", Ref(Label.POLICY, name), Ref(Label.ORGANIZATION, org), ctx.id, ss, se, "policy")


def issuers(ctx: ArticleContext, at: int, orgs) -> list[str]:
    """Organizations that issue the 《…》 title at ``at``: "A、B印发《…》" (the closest run of names)."""
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
