"""Posts held: a lexicon of post titles and the parser of "单位+职务" lists (author notes, attributions)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.lexicon import table
from kg.lexicon.orgs import canonical_org, org_suffix, province_of

#: Post titles (general knowledge, ``data/posts.tsv``). Prefix forms (副, 常务, 党委, 党组 …) are added by the pattern.
TITLES = table.names("posts.tsv", "title")
_TITLE_ALT = "|".join(sorted(TITLES, key=len, reverse=True))
ROLE = re.compile(
    rf"(?:(?:党委|党组|党工委|纪委|团委)?(?:常务|执行|第一|专职|兼职|名誉|首席|特聘|特约|二级|三级|候任|代理)?副?(?:{_TITLE_ALT}))$"
)
#: Titles of heads of state and government and of envoys: the post of a country (某国总统).
FOREIGN_TITLES = table.names("posts.tsv", "foreign-title")

#: Titles that name their body by themselves (general knowledge of the state's structure):
#: title -> (label of the body, its canonical name, the role in it).
IMPLIED: dict[str, tuple[str, str, str]] = {
    e.name: ("Place" if e.kind == "implied-place" else "Organization", e.parent, e.other[0])
    for e in table.entries("posts.tsv", "implied-place", "implied-organization")
}

#: Heads of a local government: their body is the people's government of the place (某市市长 -> 某市人民政府).
GOVERNMENT_TITLES = re.compile(r"^(?:常务)?副?(省长|市长|县长|区长|州长|旗长|镇长|乡长)$")
#: A local party committee or government named by its place: 长沙市委, 某省政府.
LOCAL_BODY = re.compile(r"^(?:中共)?(?P<place>[\u4e00-\u9fff]{1,8}?(?:省|市|自治区|自治州|县|区|州|盟))(?P<kind>委|党委|人民政府|政府)$")


def implied_body(role: str) -> tuple[str, str, str] | None:
    """(label, body, role) of a title that names its body by itself, or None.

    Examples
    --------
    >>> implied_body("国家主席"), implied_body("委员长")
    (('Place', '中国', '主席'), ('Organization', '全国人民代表大会常务委员会', '委员长'))
    >>> implied_body("部长") is None
    True
    """
    return IMPLIED.get(role)


def government_of(org: str, role: str) -> str:
    """The place whose government a head-of-government title leads, given the local body before it.

    "某市委副书记、市长": the mayor is not a post of the city's party committee; it is the head of
    the city (of its people's government, 某市人民政府). The place is returned as
    written (某某市); the extractor names it as its place node.

    Examples
    --------
    >>> government_of("中共某某市委", "市长"), government_of("中共某某省委", "副省长")
    ('某某市', '某某省')
    >>> government_of("中共某某市委", "书记")
    ''
    """
    m = LOCAL_BODY.match(org)
    if not m or not GOVERNMENT_TITLES.match(role):
        return ""
    return m.group("place")


_LEAD = re.compile(r"^[（(]?(作者(单位)?[：:为系是]|本文作者[为系是]|——|—)")


@dataclass(frozen=True)
class Post:
    """A post read in a list: org as written, its canonical name, the role, and the item's span."""

    org_text: str
    org: str
    alts: tuple[str, ...]
    role: str
    start: int  # of the item in the parsed text
    end: int
    org_start: int  # of org_text in the parsed text (-1 when inherited)


def split_role(item: str) -> tuple[str, str]:
    """(organization part, post title) of one item; the title may be empty.

    Examples
    --------
    >>> split_role("中国人民大学劳动人事学院党委书记")
    ('中国人民大学劳动人事学院', '党委书记')
    >>> split_role("省政协党组副书记")
    ('省政协', '党组副书记')
    >>> split_role("副院长")
    ('', '副院长')
    >>> split_role("某某财险某某中心支公司业务总监")
    ('某某财险某某中心支公司', '业务总监')
    """
    best = ""
    for m in ROLE.finditer(item):
        best = m.group(0)
    if not best:
        # the longest title the item ends with
        for i in range(len(item)):
            if ROLE.fullmatch(item[i:]):
                best = item[i:]
                break
    if not best:
        return item, ""
    # prefer the longest role that still leaves an organization ending with a suffix
    for i in range(len(item) - len(best), len(item)):
        tail = item[i:]
        if ROLE.fullmatch(tail):
            head = item[:i]
            if not head or org_suffix(head) or head.endswith(("省委", "市委", "县委", "区委", "政协", "总工会", "统战部", "常委会", "常务委员会", "政府", "中央")):
                return head, tail
    cut = len(item) - len(best)
    for i in range(cut - 1, max(cut - 13, 2), -1):  # 某公司|业务总监, 某中心|对公业务某团队处长: the words between qualify the title
        if org_suffix(item[:i]):
            return item[:i], item[i:]
    return item[:cut], best


def parse_posts(text: str, *, province: str = "") -> list[Post]:
    """Posts in a note or attribution: "山东省委常委、统战部部长，省政协党组副书记，省总工会主席".

    Items are split at 、，; an item without an organization holds its post in the
    previous item's organization; a department without a parent (统战部) belongs to the
    party committee of the previous item; short forms (省政协) take the province of
    the first organization.

    Examples
    --------
    >>> [(p.org, p.role) for p in parse_posts("（作者为山东省委常委、统战部部长，省政协党组副书记，省总工会主席）")]
    [('中共山东省委', '常委'), ('中共山东省委统战部', '部长'), ('山东省政协', '党组副书记'), ('山东省总工会', '主席')]
    >>> [(p.org, p.role) for p in parse_posts("中国人民大学劳动人事学院党委书记、副院长")]
    [('中国人民大学劳动人事学院', '党委书记'), ('中国人民大学劳动人事学院', '副院长')]
    """
    lead = _LEAD.match(text)
    pos = lead.end() if lead else 0
    body_end = len(text)
    while body_end > pos and text[body_end - 1] in "）)。 ":
        body_end -= 1
    posts: list[Post] = []
    prev_org = prev_org_text = ""
    prev_alts: tuple[str, ...] = ()
    for m in re.finditer(r"[^、，,；;]+", text[pos:body_end]):
        item = m.group(0).strip()
        s = pos + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        e = s + len(item)
        org_text, role = split_role(item)
        if not role:
            continue
        if org_text:
            prov = province or province_of(prev_org) or province_of(org_text)
            if prev_org and _is_department(org_text) and prev_org.endswith(("省委", "市委", "县委", "区委")):
                org, alts = canonical_org(prev_org + org_text)
                alts = tuple(dict.fromkeys((*alts, org_text)))
            else:
                org, alts = canonical_org(org_text, prov)
            if not province:
                province = province_of(org)
            posts.append(Post(org_text, org, alts, role, s, e, s))
            prev_org, prev_org_text, prev_alts = org, org_text, alts
        elif prev_org:
            posts.append(Post(prev_org_text, prev_org, prev_alts, role, s, e, -1))
    return posts


def _is_department(name: str) -> bool:
    """A party or government department named without its parent (统战部, 宣传部, 组织部)."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,6}(部|办公室|办)", name)) and not province_of(name)
