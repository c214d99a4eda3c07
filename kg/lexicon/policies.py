"""General knowledge of policy names: document words, formulation heads, number words.

Only the grammar of policy names is kept here (what a document, a law, a plan or a
formulation ends with, which words qualify a name and which govern it); no particular
policy is listed. The word lists are ``data/policies.tsv``, with their sources.
"""

from __future__ import annotations

import re

from kg.lexicon import table

#: The head word of a document or treaty title -> policy class (``nkg:`` term).
#: A 《…》 title is a policy when its name ends with one of these.
DOC_HEADS = {e.name: e.parent for e in table.entries("policies.tsv", "document-head")}

#: Suffixes of a policy named in running text (no 《》), longest first when matched.
SUFFIX_KIND = {e.name: e.parent for e in table.entries("policies.tsv", "name-suffix")}

#: Words in front of a document title that qualify it and are not part of its name.
QUALIFIERS = table.names("policies.tsv", "qualifier")

#: A trailing note in a title that is not part of the name: （草案） （试行） （修订草案）.
DRAFT_NOTE = re.compile(r"[（(](?:[^（）()]{0,6}草案|试行|暂行|征求意见稿|送审稿|修订|修正)[）)]$")

#: A year range in a plan's name: （2024—2027年）, (2021-2025年); kept as part of the name.
YEAR_RANGE = re.compile(r"[（(]\s*\d{4}\s*[—–\-－~～至]+\s*\d{4}\s*年?\s*[）)]")

#: Words that qualify a document head inside a short name (《指导意见》, 《行动方案》).
GENERIC_QUALIFIERS = table.names("policies.tsv", "generic-qualifier")

#: Chinese number words that open a numbered formulation (四个意识, 五位一体).
NUMBERS = "一二两三四五六七八九十百千双"
#: Measure words between the number and the noun of a numbered formulation.
CLASSIFIERS = "个项大条种位"

#: Heads of a named reform: a reform is a policy when it reforms a system or a structure.
REFORM_HEADS = table.names("policies.tsv", "reform-head")

#: Verbs that govern a policy name rather than start it (制定|民法典).
GOVERNING = frozenset(table.names("policies.tsv", "governing-verb"))

#: Names that end like a policy and are common words or generic phrases, not a policy.
NOT_POLICY = re.compile(
    r"(方法|办法|做法|看法|想法|说法|立法|执法|司法|依法|违法|合法|守法|普法|用法|手法|写法|疗法|算法|语法|书法|操作法|工作法|"
    r"机制|体制|控制|限制|编制|研制|抵制|节制|克制|强制|复制|定制|压制|牵制|遏制|管制|专制|税制|学制|建制|法制|"
    r"系统工程|民心工程|形象工程|面子工程|过程|课程|流程|进程|章程|全程|期工程|项目工程|"
    r"解放思想|指导思想|统一思想|"
    r"^(?:国家|发展|总体|重大|长期|全球|国际|区域|竞争|营销|经营|品牌|人才|整体)战略|"
    r"^(?:命运|利益|责任|发展|生命|安全|学习|情感)共同体|"
    r"^(?:发展|服务|管理|经营|设计|教育|先进|创新|工作|核心|价值)理念|"
    r"^(?:体制机制|相关|各项|重点|领域|配套|有关)改革|会议议程)$"
)

#: Two-character laws (general knowledge).
SHORT_LAWS = frozenset(table.names("policies.tsv", "short-law"))

#: The name of the state in front of a law (laws are named without it in running text).
STATE_PREFIX = "中华人民共和国"


def head_kind(name: str, table: dict[str, str] = DOC_HEADS) -> str:
    """Policy class of a name by its head word ("" when none fits), longest head first.

    A trailing draft note or year range is not the head: 《某某法（草案）》 is a law.

    Examples
    --------
    >>> head_kind("某某合作协定"), head_kind("某某三年行动方案（2030—2032年）"), head_kind("某某报")
    ('Regulation', 'Programme', '')
    """
    name = YEAR_RANGE.sub("", DRAFT_NOTE.sub("", name)).strip()
    for head in sorted(table, key=len, reverse=True):
        if name.endswith(head):
            return table[head]
    return ""


def numbered(text: str) -> bool:
    """Whether ``text`` has the shape of a numbered formulation.

    A number word, a measure word and a noun (三个坚持), a number and a noun of at least
    two characters (十大工程), N位一体, 一X一Y / 一X两Y, or a list of such (三统一、两开放).

    Examples
    --------
    >>> [numbered(t) for t in ("两个坚持", "八位一体", "一山一水", "六统一、一放开", "一刀切", "三无", "三八节日")]
    [True, True, True, True, False, False, False]
    """
    n, c = NUMBERS, CLASSIFIERS
    one = (
        rf"[{n}]+[{c}][\u4e00-\u9fff]{{1,6}}"
        rf"|[{n.replace('一', '')}](?![{n}])[\u4e00-\u9fff]{{2,5}}"
        rf"|[{n}]位一体"
        rf"|一[\u4e00-\u9fff]{{1,2}}[一二两三四五][\u4e00-\u9fff]{{1,2}}"
    )
    if re.fullmatch(one, text) and not re.search(r"[之了的]", text):
        return True
    parts = re.split(r"[、，]", text)
    return len(parts) > 1 and all(re.fullmatch(rf"[{n}][\u4e00-\u9fff]{{1,4}}", p) for p in parts)


def five_year_plan(text: str) -> bool:
    """Whether ``text`` is the short name of a five-year plan (十X五).

    Examples
    --------
    >>> five_year_plan("十八五"), five_year_plan("十五")
    (True, False)
    """
    return re.fullmatch(r"十[一二三四五六七八九]五", text) is not None


def generic_document(text: str) -> str:
    """The head of a short document name that names no document by itself, else "".

    《意见》, 《指导意见》, 《行动方案》 stand for a document the article named in full.

    Examples
    --------
    >>> generic_document("指导意见"), generic_document("行动方案"), generic_document("某某条例")
    ('意见', '方案', '')
    """
    for head in sorted(DOC_HEADS, key=len, reverse=True):
        if text.endswith(head):
            rest = text[: -len(head)]
            while rest:
                q = next((g for g in GENERIC_QUALIFIERS if rest.endswith(g)), "")
                if not q:
                    return ""
                rest = rest[: -len(q)]
            return head
    return ""
